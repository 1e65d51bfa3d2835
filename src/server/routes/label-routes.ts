// Labels: the stack's label keys (/labels, /labels/{id}) and the labels of a project
// (/projects/{project_id}/labels, /projects/{project_id}/labels/{key}).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { StampedeError } from '../../core/index.ts';
import type { LabelKeyRecord, ProjectLabelRecord } from '../../store/index.ts';
import { authenticate, found } from '../api-context.ts';
import type { ApiContext, Caller } from '../api-context.ts';
import { isStorableText } from '../json-body-shape.ts';
import { pathId, specBody } from '../request-input.ts';
import { validationError } from '../validation-error.ts';

interface LabelKeyCreateRequest {
  value: { key: string; description?: string | null }[];
}

interface LabelKeyPatchRequest {
  key?: string | null;
  description?: string | null;
}

interface ProjectLabelPutRequest {
  value: { key_id?: number | null; key?: string | null; value: string }[];
}

const keyView = (k: LabelKeyRecord) => ({ id: k.id, key: k.key, description: k.description });
const labelView = (l: ProjectLabelRecord) => ({ key: l.key, value: l.value });

function duplicates(names: readonly string[]): string | undefined {
  return names.find((n, i) => names.indexOf(n) !== i);
}

export function registerLabelRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/labels', async (req) => {
    const caller = await authenticate(ctx, req, 'read');
    return { value: (await ctx.store.labels.listKeys(caller.stackId)).map(keyView) };
  });

  app.post('/labels', async (req, reply) => {
    const caller = await authenticate(ctx, req, 'write');
    const body = specBody<LabelKeyCreateRequest>(ctx, req, 'LabelKeyCreateRequest');
    const twice = duplicates(body.value.map((k) => k.key));
    if (twice !== undefined) {
      const message = `Label key ${JSON.stringify(twice)} is given more than once`;
      throw validationError('value', message);
    }
    const created = await ctx.store.labels.createKeys(caller.stackId, body.value.map((k) => ({ key: k.key, description: k.description ?? null })));
    return reply.code(201).send({ value: created.map(keyView) });
  });

  app.patch('/labels/:id', async (req) => {
    const caller = await authenticate(ctx, req, 'manage_stack');
    const id = pathId(req);
    const body = specBody<LabelKeyPatchRequest>(ctx, req, 'LabelKeyPatchRequest');
    const updated = await ctx.store.labels.updateKey(caller.stackId, id, {
      ...(typeof body.key === 'string' && { key: body.key }),
      ...(body.description !== undefined && { description: body.description }),
    });
    return keyView(updated);
  });

  app.delete('/labels/:id', async (req, reply) => {
    const caller = await authenticate(ctx, req, 'manage_stack');
    await ctx.store.labels.deleteKey(caller.stackId, pathId(req));
    return reply.code(204).send();
  });

  const project = async (req: FastifyRequest, caller: Caller) => found(await ctx.store.projects.get(caller.stackId, pathId(req, 'project_id')), 'Project');

  app.get('/projects/:project_id/labels', async (req) => {
    const caller = await authenticate(ctx, req, 'read');
    const p = await project(req, caller);
    return { value: (await ctx.store.labels.listProjectLabels(p.id)).map(labelView) };
  });

  app.put('/projects/:project_id/labels', async (req) => {
    const caller = await authenticate(ctx, req, 'write');
    const p = await project(req, caller);
    const body = specBody<ProjectLabelPutRequest>(ctx, req, 'ProjectLabelPutRequest');
    const labels = await ctx.store.labels.replaceProjectLabels(caller.stackId, p.id, body.value.map((l) => ({ keyId: l.key_id ?? null, key: l.key ?? null, value: l.value })));
    return { value: labels.map((l) => ({ key_id: l.keyId, key: l.key, value: l.value })) };
  });

  app.delete('/projects/:project_id/labels/:key', async (req, reply) => {
    const caller = await authenticate(ctx, req, 'write');
    const p = await project(req, caller);
    const key = (req.params as { key: string }).key;
    // A key no store could hold (a NUL, a lone surrogate: PostgreSQL refuses such text) names no label.
    if (!isStorableText(key) || !(await ctx.store.labels.removeProjectLabel(caller.stackId, p.id, key))) {
      throw new StampedeError('STAMPEDE_ERR_NOT_FOUND', `The project has no label with key ${JSON.stringify(key)}`);
    }
    return reply.code(204).send();
  });
}
