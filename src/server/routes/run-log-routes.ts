// A run's logs (the script's console, the engine's warnings and errors, from Stampede's runners or
// pushed by k6 running locally):
// - GET /cloud/v6/test_runs/{id}/logs (a Stampede extension, scoped and authenticated like v6): lines
//   in order, `after` a cursor (an item's id), `limit` 1–5,000 (default 1,000), `direction`
//   forward (default) or backward (the latest first); `@nextLink` to read on while a page is full.
// - GET /loki/api/v1/query_range and the WebSocket /loki/api/v1/tail: Loki's API for log queries on
//   one run (`{test_run_id="…"}`, more label matchers, line filters: logql.ts), so `k6 cloud run` shows
//   the logs of a run as it goes (K6_CLOUD_LOGS_TAIL_URL) and Grafana can query them. They take the
//   same tokens (`Authorization: Bearer …` or k6's `token …`); the run's stack is implied, X-Stack-Id
//   is not needed. The tail also resumes after a line id (`after`, a Stampede extension, used by the CLI).
//   query_range also answers metric queries (logql-metric.ts: count_over_time and rate of a run's lines,
//   Grafana's log volume) as Loki's matrix, over Loki's start/end window at `step`.
//   Loki's labels, label values, series and instant query: loki-metadata-routes.ts.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { WebSocketServer, type WebSocket } from 'ws';
import { StampedeError } from '../../core/index.ts';
import { isFinalStatus } from '../../domain/index.ts';
import type { StoredRunLogLine, TestRunRecord } from '../../store/index.ts';
import { authenticate, found, headerValue } from '../api-context.ts';
import type { ApiContext, Caller } from '../api-context.ts';
import { mapError } from '../error-response.ts';
import { publicOrigin } from '../paging.ts';
import { pathId, queryOf } from '../request-input.ts';
import { fullyNarrowed, LineMatcher, parseLogQuery, storeNarrowing, type LogQuery } from '../logql.ts';
import { durationUs, LOKI_TAIL_PATH, lokiBounds, lokiStreams, lokiTimeUs, runLogItem } from '../run-log-views.ts';
import { defaultStepUs, evaluateMetricQuery, evaluationSteps, isMetricQuery, lookbackUs, metricQueryRun, parseMetricQuery, sampleText } from '../logql-metric.ts';
import { validationError } from '../validation-error.ts';

const DEFAULT_PAGE = 1_000;
export const MAX_PAGE = 5_000;
/** Loki's default and largest `limit` for query_range. */
const LOKI_DEFAULT_LIMIT = 100;
/** How often a tail looks for new lines. */
const TAIL_POLL_MS = 500;
/** A tail of a run that has ended closes once no line came for this long. */
const TAIL_LINGER_MS = 10_000;

export function intParam(raw: unknown, name: string, min: number, max: number, fallback: number): number {
  if (raw === undefined) return fallback;
  if (typeof raw === 'string' && /^\d{1,16}$/.test(raw) && Number(raw) >= min && Number(raw) <= max) return Number(raw);
  const message = `${name} must be an integer from ${min} to ${max}`;
  throw validationError(name, message);
}

export function directionParam(raw: unknown, fallback: 'forward' | 'backward'): 'forward' | 'backward' {
  if (raw === undefined) return fallback;
  if (raw === 'forward' || raw === 'backward' || raw === 'FORWARD' || raw === 'BACKWARD') return raw.toLowerCase() as 'forward' | 'backward';
  const message = 'direction must be forward or backward';
  throw validationError('direction', message);
}

/**
 * The run a Loki request names, for a caller who may read it: 404 alike for an unknown run and another
 * stack's. Without X-Stack-Id the run's stack is implied, and not belonging to it is that 404; an
 * X-Stack-Id the caller does not belong to is a 403 whatever the run, as on v6 (a 404 for existing runs
 * alone would tell another tenant which ids exist).
 */
export async function readableRun(ctx: ApiContext, req: Pick<FastifyRequest, 'headers'>, runId: number): Promise<TestRunRecord> {
  const run = await ctx.store.testRuns.getById(runId);
  const implied = run !== null && headerValue(req, 'x-stack-id') === undefined;
  let caller: Caller;
  try {
    caller = await authenticate(ctx, req, 'read', { optionalStack: true, ...(implied ? { impliedStack: run.stackId } : {}) });
  } catch (err) {
    if (err instanceof StampedeError && err.code === 'STAMPEDE_ERR_PERMISSION_DENIED' && implied) throw new StampedeError('STAMPEDE_ERR_NOT_FOUND', 'Test run not found');
    throw err;
  }
  // An X-Stack-Id naming the caller's own stack is no key to another stack's run.
  if (run !== null && run.stackId !== caller.stackId) throw new StampedeError('STAMPEDE_ERR_NOT_FOUND', 'Test run not found');
  return found(run, 'Test run');
}

/** GET /test_runs/:id/logs, in the v6 scope. */
export function registerRunLogRoute(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/test_runs/:id/logs', async (req) => {
    const caller = await authenticate(ctx, req, 'read');
    const id = pathId(req);
    const query = queryOf(req);
    const after = intParam(query['after'], 'after', 0, Number.MAX_SAFE_INTEGER, 0);
    const limit = intParam(query['limit'], 'limit', 1, MAX_PAGE, DEFAULT_PAGE);
    const direction = directionParam(query['direction'], 'forward');
    found(await ctx.store.testRuns.get(caller.stackId, id), 'Test run');
    const lines = await ctx.store.runLogs.read(id, { ...(query['after'] === undefined ? {} : { after }), limit, direction });
    const body: { value: ReturnType<typeof runLogItem>[]; '@nextLink'?: string } = { value: lines.map(runLogItem) };
    const last = lines[lines.length - 1];
    if (lines.length === limit && last !== undefined) {
      const next = new URL(`${publicOrigin(req, ctx.config.publicUrl)}${req.url}`);
      next.searchParams.set('after', String(last.id));
      body['@nextLink'] = next.toString();
    }
    return body;
  });
}

/** GET /loki/api/v1/query_range (the Loki scope). */
export function registerLokiQueryRoute(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/query_range', async (req) => {
    const query = queryOf(req);
    if (isMetricQuery(query['query'])) return metricRange(ctx, req, query, query['query']);
    const logQuery = parseLogQuery(query['query']);
    // Without `start` (or `since`) the whole run, not Loki's last hour: the query names one run.
    const end = lokiTimeUs(query['end'], 'end');
    const start = query['start'] === undefined && query['since'] !== undefined ? lokiBounds(query, ctx.now().getTime() * 1000).since : lokiTimeUs(query['start'], 'start');
    const limit = intParam(query['limit'], 'limit', 1, MAX_PAGE, LOKI_DEFAULT_LIMIT);
    const direction = directionParam(query['direction'], 'backward');
    await readableRun(ctx, req, logQuery.testRunId);
    const picked: StoredRunLogLine[] = [];
    let cursor: number | undefined;
    // The store applies what it can (levels, substrings); the rest (label matchers, regexes) is
    // matched here, reading on page by page until `limit` lines matched or the lines run out.
    const narrowed = fullyNarrowed(logQuery);
    const matcher = new LineMatcher(logQuery);
    const page = narrowed ? limit : MAX_PAGE;
    for (;;) {
      const lines = await ctx.store.runLogs.read(logQuery.testRunId, { ...storeNarrowing(logQuery), ...(cursor === undefined ? {} : { after: cursor }), ...(start === undefined ? {} : { since: start }), ...(end === undefined ? {} : { until: end }), limit: page, direction });
      for (const line of narrowed ? lines : matcher.filter(lines)) if (picked.length < limit) picked.push(line);
      if (lines.length < page || picked.length >= limit) break;
      cursor = lines[lines.length - 1]?.id;
    }
    return { status: 'success', data: { resultType: 'streams', result: lokiStreams(picked, false, logQuery.dropped), stats: {} } };
  });
}

/** A query_range `step`: a number of seconds (`15`, `0.5`) or a duration (`1m`); Loki's default when absent. */
function stepUs(raw: unknown, startUs: number, endUs: number): number {
  if (raw === undefined || raw === '') return defaultStepUs(startUs, endUs);
  if (typeof raw === 'string' && /^\d+(\.\d+)?$/.test(raw)) return Math.round(Number(raw) * 1e6);
  return durationUs(typeof raw === 'string' ? raw : '', 'step');
}

/** The lines of a run that a metric query's log query matches, in [sinceUs, untilUs). */
export async function metricLines(ctx: ApiContext, logQuery: LogQuery, sinceUs: number, untilUs: number): Promise<StoredRunLogLine[]> {
  const out: StoredRunLogLine[] = [];
  const matcher = new LineMatcher(logQuery);
  const narrowed = fullyNarrowed(logQuery);
  let cursor: number | undefined;
  for (;;) {
    const lines = await ctx.store.runLogs.read(logQuery.testRunId, { ...storeNarrowing(logQuery), ...(cursor === undefined ? {} : { after: cursor }), since: sinceUs, until: untilUs, limit: MAX_PAGE });
    out.push(...(narrowed ? lines : matcher.filter(lines)));
    if (lines.length < MAX_PAGE) return out;
    cursor = lines[lines.length - 1]?.id;
  }
}

/** query_range of a metric query (logql-metric.ts): Loki's matrix, one series per label set. */
async function metricRange(ctx: ApiContext, req: FastifyRequest, query: Record<string, unknown>, text: string): Promise<unknown> {
  const metric = parseMetricQuery(text);
  const { since, until } = lokiBounds(query, ctx.now().getTime() * 1000);
  const steps = evaluationSteps(since, until, stepUs(query['step'], since, until));
  intParam(query['limit'], 'limit', 1, MAX_PAGE, LOKI_DEFAULT_LIMIT);
  const logQuery = metricQueryRun(metric);
  await readableRun(ctx, req, logQuery.testRunId);
  const lines = await metricLines(ctx, logQuery, since - lookbackUs(metric), until + 1);
  const result = evaluateMetricQuery(metric, lines, steps).map((s) => ({
    metric: s.metric,
    values: s.points.flatMap((v, i) => (v === undefined ? [] : [[(steps.startUs + i * steps.stepUs) / 1e6, sampleText(v)]])),
  }));
  return { status: 'success', data: { resultType: 'matrix', result, stats: {} } };
}

/**
 * The WebSocket /loki/api/v1/tail: the lines of the run the query names that it matches, from `start`
 * (nanoseconds, default now) on, or after the line id `after` (then each value carries its line's id),
 * as Loki tail frames (`{"streams": […], "dropped_entries": null}`), until the client closes, or the
 * run has ended and no line came for a while.
 */
export function attachLokiTail(app: FastifyInstance, ctx: ApiContext): void {
  const wss = new WebSocketServer({ noServer: true });
  const tails = new Set<WebSocket>();
  app.addHook('onClose', async () => {
    for (const ws of tails) ws.close(1001, 'server shutting down');
    wss.close();
  });
  app.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== LOKI_TAIL_PATH) {
      refuse(socket, 404, { error: { code: 'not_found', message: `No WebSocket endpoint at ${url.pathname}` } });
      return;
    }
    const query = Object.fromEntries(url.searchParams);
    void (async () => {
      const logQuery = parseLogQuery(query['query']);
      const from: TailFrom = query['after'] !== undefined
        ? { after: intParam(query['after'], 'after', 0, Number.MAX_SAFE_INTEGER, 0) }
        : { start: lokiTimeUs(query['start'], 'start') ?? Date.now() * 1000 };
      await readableRun(ctx, req, logQuery.testRunId);
      return { logQuery, from };
    })().then(
      ({ logQuery, from }) => wss.handleUpgrade(req, socket, head, (ws) => {
        tails.add(ws);
        ws.on('close', () => tails.delete(ws));
        ws.on('error', () => ws.terminate());
        void tail(ctx, ws, logQuery, from);
      }),
      (err: unknown) => {
        const mapped = mapError(err);
        refuse(socket, mapped.status, mapped.body);
      },
    );
  });
}

function refuse(socket: Duplex, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  socket.end(`HTTP/1.1 ${status} ${status === 404 ? 'Not Found' : status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : 'Bad Request'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`);
}

/** Where a tail starts: at a time (epoch µs), or after a line id. */
type TailFrom = { start: number } | { after: number };

async function tail(ctx: ApiContext, ws: WebSocket, logQuery: LogQuery, from: TailFrom): Promise<void> {
  let cursor = 'after' in from ? from.after : undefined;
  const withIds = 'after' in from;
  const narrowing = storeNarrowing(logQuery);
  const matcher = new LineMatcher(logQuery);
  let lastLineAt = Date.now();
  while (ws.readyState === ws.OPEN) {
    let lines: StoredRunLogLine[];
    try {
      lines = await ctx.store.runLogs.read(logQuery.testRunId, { ...narrowing, ...(cursor === undefined && 'start' in from ? { since: from.start } : { after: cursor ?? 0 }), limit: MAX_PAGE });
    } catch {
      ws.close(1011, 'could not read the logs');
      return;
    }
    if (lines.length > 0) {
      cursor = lines[lines.length - 1]?.id;
      lastLineAt = Date.now();
      let matching: StoredRunLogLine[];
      try {
        matching = matcher.filter(lines);
      } catch {
        ws.close(1008, 'the query\'s regular expressions take too long on these lines');
        return;
      }
      if (matching.length > 0) ws.send(JSON.stringify({ streams: lokiStreams(matching, withIds, logQuery.dropped), dropped_entries: null }));
      if (lines.length === MAX_PAGE) continue;
    } else if (Date.now() - lastLineAt > TAIL_LINGER_MS) {
      const run = await ctx.store.testRuns.getById(logQuery.testRunId).catch(() => null);
      if (run === null || isFinalStatus(run.status)) {
        ws.close(1000, run === null ? 'the test run was deleted' : `the test run has ended (${run.status})`);
        return;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, TAIL_POLL_MS));
  }
}
