// Operations whose bodies are scripts rather than JSON: creating a load test (multipart `name` +
// `script`) and replacing its script (raw bytes). They live in their own Fastify context so the
// catch-all raw-body parser never applies to the JSON operations.
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { StampedeError } from '../../core/index.ts';
import type { Script } from '../../store/index.ts';
import { authenticate, found } from '../api-context.ts';
import type { ApiContext } from '../api-context.ts';
import { loadTestView } from '../api-views.ts';
import { isStorableText, unstorableMessage } from '../json-body-shape.ts';
import { isInt32 } from '../openapi/schema-validator.ts';
import { publicOrigin } from '../paging.ts';
import { pathId } from '../request-input.ts';
import { blankMessage, isBlank } from '../resource-name.ts';
import { detectScriptType, readableProblems } from '../run-control.ts';
import { validationError } from '../validation-error.ts';

interface CreateForm {
  name: string | undefined;
  script: Uint8Array | undefined;
  k6Version: number | null | undefined;
}

export async function registerScriptUploadRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const limit = ctx.config.bodyLimitBytes;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: limit }, (_req, body, done) => done(null, body));
  await app.register(multipart, { throwFileSizeLimit: true, limits: { fileSize: limit, fieldSize: limit, files: 2, fields: 10, parts: 12 } });

  app.post('/projects/:id/load_tests', async (req, reply) => {
    const caller = await authenticate(ctx, req, 'write');
    const projectId = pathId(req);
    if (!req.isMultipart()) throw new StampedeError('STAMPEDE_ERR_UNSUPPORTED_MEDIA_TYPE', 'Send multipart/form-data with the fields name and script');
    const form = await readCreateForm(req);
    const problems = validateCreateForm(form);
    if (problems.length > 0) {
      throw new StampedeError('STAMPEDE_ERR_VALIDATION', problems[0]?.message, { target: problems.length === 1 ? problems[0]?.target : 'body', details: problems });
    }
    found(await ctx.store.projects.get(caller.stackId, projectId), 'Project');
    const script = form.script === undefined || form.script.length === 0 ? null : await checkedScript(ctx, form.script);
    const created = await ctx.store.loadTests.create(caller.stackId, { projectId, name: form.name ?? '', script, k6Version: form.k6Version ?? null });
    return reply.code(201).header('location', `${publicOrigin(req, ctx.config.publicUrl)}/cloud/v6/load_tests/${created.id}`).send(loadTestView(created));
  });

  app.put('/load_tests/:id/script', async (req, reply) => {
    const caller = await authenticate(ctx, req, 'write');
    const id = pathId(req);
    // The spec sends raw bytes; a multipart body with a `script` part is accepted as well.
    const bytes = req.isMultipart() ? ((await readCreateForm(req)).script ?? rawBody(req)) : rawBody(req);
    found(await ctx.store.loadTests.get(caller.stackId, id), 'Load test');
    await ctx.store.loadTests.putScript(caller.stackId, id, await checkedScript(ctx, bytes));
    return reply.code(204).send();
  });
}

function rawBody(req: FastifyRequest): Uint8Array {
  const body = req.body;
  if (Buffer.isBuffer(body) && body.length > 0) return body;
  throw new StampedeError('STAMPEDE_ERR_VALIDATION', 'The request body must hold the script', { target: 'body', details: [{ target: 'body', message: 'empty script' }] });
}

/** Detects the script's type and has it inspected; a script that cannot load is a 400 listing why. */
async function checkedScript(ctx: ApiContext, bytes: Uint8Array): Promise<Script> {
  const contentType = detectScriptType(bytes);
  const inspected = await ctx.runs.inspectScript(bytes, contentType);
  if (!inspected.ok) {
    const problems = readableProblems(inspected.message, inspected.problems);
    throw new StampedeError('STAMPEDE_ERR_VALIDATION', `Invalid script: ${inspected.message}`, {
      target: 'script',
      details: problems.map((message) => ({ target: 'script', message })),
    });
  }
  return { bytes, contentType };
}

/**
 * The multipart body's fields. The parser's own complaints about a malformed body (no boundary in the
 * Content-Type, a part without a name, text ending mid-part) are plain errors: they become a 400 naming
 * the body, while its size limits keep their codes (answered as too large).
 */
async function readCreateForm(req: FastifyRequest): Promise<CreateForm> {
  try {
    return await readParts(req);
  } catch (err) {
    if (err instanceof StampedeError || typeof (err as { code?: unknown }).code === 'string') throw err;
    const message = `Malformed multipart/form-data body: ${(err as Error).message}`;
    throw validationError('body', message);
  }
}

async function readParts(req: FastifyRequest): Promise<CreateForm> {
  const form: CreateForm = { name: undefined, script: undefined, k6Version: undefined };
  for await (const part of req.parts()) {
    if (part.type === 'file') {
      const data = await part.toBuffer();
      if (part.fieldname === 'script') form.script = data;
      else if (part.fieldname === 'name') form.name = data.toString('utf8');
      continue;
    }
    if (part.valueTruncated) throw new StampedeError('STAMPEDE_ERR_PAYLOAD_TOO_LARGE', `The ${part.fieldname} field is too large`);
    const value = typeof part.value === 'string' ? part.value : String(part.value);
    if (part.fieldname === 'name') form.name = value;
    else if (part.fieldname === 'script') form.script = Buffer.from(value, 'utf8');
    else if (part.fieldname === 'k6_version') form.k6Version = value === '' || value === 'null' ? null : Number(value);
  }
  return form;
}

function validateCreateForm(form: CreateForm): { target: string; message: string }[] {
  const problems: { target: string; message: string }[] = [];
  if (form.name === undefined) problems.push({ target: 'name', message: 'Field "name" is required.' });
  else if (form.name.length < 1 || form.name.length > 300) problems.push({ target: 'name', message: 'name must be 1 to 300 characters.' });
  else if (!isStorableText(form.name)) problems.push({ target: 'name', message: unstorableMessage('name') });
  else if (isBlank(form.name)) problems.push({ target: 'name', message: blankMessage('name') });
  if (form.k6Version !== undefined && form.k6Version !== null && !isInt32(form.k6Version)) {
    problems.push({ target: 'k6_version', message: `k6_version must be null or an integer between -${2 ** 31} and ${2 ** 31 - 1}.` });
  }
  return problems;
}
