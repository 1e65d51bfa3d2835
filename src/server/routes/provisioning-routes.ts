// The provisioning API `k6 cloud run --local-execution` talks to (/provisioning/v1), and the endpoints
// its answer points k6 at: the archive upload, the metrics push and the logs push. The run-scoped
// calls are signed with the run's test run token (a personal or stack token of the run's stack with
// the right role works as well; the spec gives these operations no X-Stack-Id, so without one the
// stack is the one of the load test or run in the path); the archive upload carries its own secret in
// the URL, as k6 sends it without an Authorization header (it expects a presigned S3 URL).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { KeyedSerializer, StampedeError } from '../../core/index.ts';
import { cutMessage } from '../../domain/index.ts';
import type { Action } from '../../domain/index.ts';
import { decodeK6MetricsPush } from '../../results/index.ts';
import type { RunLogLine, TestRunRecord } from '../../store/index.ts';
import { authenticate, bearerToken, found } from '../api-context.ts';
import type { ApiContext } from '../api-context.ts';
import { startLocalExecutionResponse } from '../local-execution.ts';
import type { LocalExecutionRuns, ScriptExecutionCompleted, StartLocalExecutionRequest } from '../local-execution.ts';
import { publicOrigin } from '../paging.ts';
import { jsonBody, pathId, queryOf, readIdempotencyKey, specBody } from '../request-input.ts';
import { detectScriptType } from '../run-control.ts';
import { validationError } from '../validation-error.ts';

/** Most log lines of one push kept (k6 sends at most `limit`, 900, per push). */
const MAX_LOG_LINES = 1000;

/**
 * The local-execution run `req` acts on: with the run's test run token, that run alone (another run's
 * token is a 403); with a personal or stack token, any local-execution run of the caller's stack that
 * the role may `action`. A run Stampede executes itself is not one (404).
 */
async function localRun(ctx: ApiContext, req: FastifyRequest, runId: number, action: Action): Promise<TestRunRecord> {
  const scoped = await ctx.store.runTokens.resolve(bearerToken(req));
  if (scoped !== null) {
    if (scoped.purpose !== 'run') throw new StampedeError('STAMPEDE_ERR_UNAUTHENTICATED', 'Invalid or revoked token');
    if (scoped.runId !== runId) throw new StampedeError('STAMPEDE_ERR_PERMISSION_DENIED', 'This test run token belongs to another test run');
    return found(await ctx.store.testRuns.getById(runId), 'Test run');
  }
  const caller = await authenticate(ctx, req, action, { resourceStack: { what: 'Test run', lookup: async () => (await ctx.store.testRuns.getById(runId))?.stackId ?? null } });
  const run = found(await ctx.store.testRuns.get(caller.stackId, runId), 'Test run');
  if (!(await ctx.store.runTokens.isLocalExecution(run.id))) {
    throw new StampedeError('STAMPEDE_ERR_NOT_FOUND', `Test run ${run.id} is not a local-execution run (it runs on Stampede's runners)`);
  }
  return run;
}

export function registerProvisioningRoutes(app: FastifyInstance, ctx: ApiContext, runs: LocalExecutionRuns): void {
  const logPushes = new KeyedSerializer<number>();
  app.post('/load_tests/:id/start_local_execution', async (req) => {
    // The spec gives this operation no X-Stack-Id (k6 sends one; generated clients cannot): without it the stack is the load test's.
    const caller = await authenticate(ctx, req, 'write', { resourceStack: { what: 'Load test', lookup: () => ctx.store.loadTests.stackOf(pathId(req)) } });
    const id = pathId(req);
    const idempotencyKey = readIdempotencyKey(req);
    const body = specBody<StartLocalExecutionRequest>(ctx, req, 'StartLocalExecutionTestRequest');
    found(await ctx.store.loadTests.get(caller.stackId, id), 'Load test');
    const { run, token, archiveToken } = await runs.start(caller, id, body, idempotencyKey);
    return startLocalExecutionResponse(publicOrigin(req, ctx.config.publicUrl), run, token, archiveToken);
  });

  app.post('/test_runs/:id/notify', async (req, reply) => {
    const run = await localRun(ctx, req, pathId(req), 'write');
    const event = specBody<ScriptExecutionCompleted>(ctx, req, 'ScriptExecutionCompletedNotificationApiModel');
    await runs.notify(run, event);
    return reply.code(204).send();
  });

  app.get('/test_runs/:test_run_id/decrypt_secret', async (req) => {
    const run = await localRun(ctx, req, pathId(req, 'test_run_id'), 'read');
    const name = queryOf(req)['name'];
    if (typeof name !== 'string' || name === '') {
      const message = 'The query parameter name (the secret to decrypt) is required, once';
      throw validationError('name', message);
    }
    throw new StampedeError('STAMPEDE_ERR_NOT_FOUND', `Secret "${name}" not found: Stampede has no secrets store, so test run ${run.id} has no secrets (run k6 with --no-cloud-secrets, or give secrets another source)`, { target: 'name' });
  });

  app.get('/test_runs/:test_run_id/aisdk_session', async (req) => {
    const run = await localRun(ctx, req, pathId(req, 'test_run_id'), 'read');
    throw new StampedeError('STAMPEDE_ERR_NOT_FOUND', `No AI SDK session for test run ${run.id}: Stampede has no AI SDK service`);
  });

  // Loki's push format, as k6's log hook sends it: {"streams": [{"stream": {labels}, "values": [["ns", "line"]]}]}.
  // The lines become the run's logs (the stream's `level` label is the level; `test_run_id` is the run's).
  app.post('/test_runs/:id/logs', async (req, reply) => {
    const run = await localRun(ctx, req, pathId(req), 'write');
    const body = jsonBody(req);
    const streams = typeof body === 'object' && body !== null ? (body as { streams?: unknown }).streams : undefined;
    if (!Array.isArray(streams)) throw new StampedeError('STAMPEDE_ERR_VALIDATION', 'Send a Loki push body: {"streams": [{"stream": {…}, "values": [["<ns>", "<line>"]]}]}', { target: 'streams' });
    const lines: RunLogLine[] = [];
    for (const stream of streams as { stream?: unknown; values?: unknown }[]) {
      const labels = pushedLabels(stream?.stream);
      const level = labels.level ?? 'info';
      delete labels.level;
      labels.test_run_id = String(run.id);
      for (const value of Array.isArray(stream?.values) ? stream.values : []) {
        if (lines.length >= MAX_LOG_LINES) break;
        if (!Array.isArray(value) || typeof value[1] !== 'string') continue;
        const ns = typeof value[0] === 'string' && /^\d{1,19}$/.test(value[0]) ? BigInt(value[0]) : BigInt(Date.now()) * 1_000_000n;
        lines.push({ time: Number(ns / 1000n), level, message: cutMessage(value[1]), labels: { ...labels } });
      }
    }
    if (lines.length > 0) {
      // Counted and appended under the run's key: concurrent pushes must not both fit under the cap.
      await logPushes.run(run.id, async () => {
        const cap = ctx.config.runLogLines;
        const stored = await ctx.store.runLogs.count(run.id);
        const kept = lines.sort((a, b) => a.time - b.time).slice(0, Math.max(0, cap - stored));
        if (kept.length < lines.length && stored <= cap) {
          kept.push({ time: Date.now() * 1000, level: 'warning', message: `Log lines past ${cap} are dropped: a run keeps at most ${cap} (STAMPEDE_RUN_LOG_LINES)`, labels: { test_run_id: String(run.id) } });
        }
        if (kept.length > 0) await ctx.store.runLogs.append(run.id, kept);
      });
    }
    return reply.code(204).send();
  });
}

/** A pushed stream's labels: string values only, at most 30, keys and values of sane length. */
function pushedLabels(raw: unknown): Record<string, string> {
  const labels: Record<string, string> = {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return labels;
  for (const [key, value] of Object.entries(raw).slice(0, 30)) {
    if (typeof value === 'string' && key.length <= 128) labels[key] = value.slice(0, 1024);
  }
  return labels;
}

/** The endpoints whose bodies are not JSON (k6's protobuf metrics and its tar archive), in a context of their own. */
export function registerProvisioningUploadRoutes(app: FastifyInstance, ctx: ApiContext, runs: LocalExecutionRuns): void {
  const limit = ctx.config.bodyLimitBytes;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: limit }, (_req, body, done) => done(null, body));

  // The push's snappy coding is read by the decoder, not by the server-wide Content-Encoding hook.
  app.post('/test_runs/:id/metrics', { config: { ownContentEncoding: true } }, async (req, reply) => {
    const run = await localRun(ctx, req, pathId(req), 'write');
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const encoding = req.headers['content-encoding'];
    const push = decodeK6MetricsPush(body, { encoding: Array.isArray(encoding) ? encoding.join(',') : encoding, maxLength: limit });
    if (push.testRunId !== '' && push.testRunId !== String(run.id)) {
      throw new StampedeError('STAMPEDE_ERR_VALIDATION', `The metrics are for test run ${push.testRunId}, not ${run.id}`, { target: 'test_run_id' });
    }
    await runs.ingest(run, push);
    return reply.code(204).send();
  });

  app.put('/test_runs/:id/archive', async (req, reply) => {
    const runId = pathId(req);
    const secret = queryOf(req)['token'];
    const scoped = typeof secret === 'string' && secret !== '' ? await ctx.store.runTokens.resolve(secret) : null;
    if (scoped === null || scoped.purpose !== 'archive') throw new StampedeError('STAMPEDE_ERR_UNAUTHENTICATED', 'This upload URL is not valid (or its archive has been uploaded already)');
    if (scoped.runId !== runId) throw new StampedeError('STAMPEDE_ERR_PERMISSION_DENIED', 'This upload URL belongs to another test run');
    const run = found(await ctx.store.testRuns.getById(runId), 'Test run');
    const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (detectScriptType(bytes) !== 'application/x-tar') {
      throw new StampedeError('STAMPEDE_ERR_VALIDATION', 'The body must be the k6 archive (a tar file, as `k6 archive` writes it)', { target: 'body' });
    }
    await runs.attachArchive(run, { bytes, contentType: 'application/x-tar' });
    return reply.code(204).send();
  });
}
