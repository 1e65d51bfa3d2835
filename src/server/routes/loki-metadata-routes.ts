// The rest of Loki's read API a Loki client calls beside query_range (Grafana's Loki data source:
// its label browser, autocomplete and "Save & test"; logcli's `labels` and `series`), in the Loki scope:
// - GET /labels and /label/{name}/values (`start`, `end`, `since`, `query`): the label names, or one
//   label's values, of the lines logged in the window. With `query` (a stream selector naming a run,
//   as query_range takes it) of that run's lines matching it; without, of every run of the caller's
//   stack (the stack Loki's tenant stands for: X-Stack-Id, else the token's), so `test_run_id`'s values
//   list the runs that logged in the window.
// - GET /series (`match[]`, repeated, each a selector naming a run): the label sets of the lines
//   logged in the window that match one of the selectors.
// - GET /query: Loki's instant query: a metric query (logql-metric.ts) at `time` as a vector; a log
//   query gets the 400 of Loki 3.2 and later (saying to use a range query). A constant such as
//   `vector(1)+vector(1)` (Grafana's "Save & test") is answered as a vector.
// Auth and run scoping are query_range's: a run of another stack is a 404; errors are 400s in the
// ErrorResponse shape naming the parameter.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RunLogScope } from '../../store/index.ts';
import { authenticate } from '../api-context.ts';
import type { ApiContext } from '../api-context.ts';
import { matchesLogQuery, parseLogQuery, type LogQuery } from '../logql.ts';
import { queryOf } from '../request-input.ts';
import { validationError } from '../validation-error.ts';
import { lokiBounds, lokiTimeUs } from '../run-log-views.ts';
import { directionParam, intParam, MAX_PAGE, metricLines, readableRun } from './run-log-routes.ts';
import { evaluateMetricQuery, evaluationSteps, isMetricQuery, lookbackUs, metricQueryRun, parseMetricQuery, sampleText } from '../logql-metric.ts';

/** Loki's answer to a log query sent to the instant query endpoint (since Loki 3.2). */
export const INSTANT_LOG_QUERY_MESSAGE = 'log queries are not supported as an instant query type, please change your query to a range query type';

/** A stream selector naming a run (what Loki's `query` of labels and `match[]` of series take): no line filters. */
function selector(raw: unknown, name: string): LogQuery {
  const parsed = parseLogQuery(raw);
  if (parsed.filters.length > 0) throw validationError(name, `${name} takes a stream selector only, such as {test_run_id="123", level="error"}, without line filters`);
  return parsed;
}

/** Whether a label set (a line's labels with `level`) matches a selector's matchers. */
function setMatches(set: Record<string, string>, q: LogQuery): boolean {
  const { level = '', ...labels } = set;
  return set['test_run_id'] === String(q.testRunId) && matchesLogQuery({ id: 0, time: 0, level, message: '', labels }, { matchers: q.matchers, filters: [] });
}

/** The label sets of the window a labels or label-values request reads: of the run `query` names, else of the caller's stack. */
async function labelSets(ctx: ApiContext, req: FastifyRequest): Promise<Record<string, string>[]> {
  const query = queryOf(req);
  const window = lokiBounds(query, ctx.now().getTime() * 1000);
  if (query['query'] === undefined || query['query'] === '') {
    const caller = await authenticate(ctx, req, 'read', { optionalStack: true });
    return ctx.store.runLogs.labelSets({ stackId: caller.stackId }, window);
  }
  const q = selector(query['query'], 'query');
  await readableRun(ctx, req, q.testRunId);
  return (await ctx.store.runLogs.labelSets({ runIds: [q.testRunId] }, window)).filter((set) => setMatches(set, q));
}

/**
 * The value of a constant metric query, `vector(1)+vector(1)` (what Grafana's Loki data source sends
 * to test the connection) or `vector(N)`, `vector(A) op vector(B)` (op + - * /); else undefined.
 */
function constantVector(query: string): number | undefined {
  const num = String.raw`\s*vector\s*\(\s*(-?\d+(?:\.\d+)?)\s*\)\s*`;
  const m = new RegExp(`^${num}(?:([-+*/])${num})?$`).exec(query);
  if (m === null) return undefined;
  const a = Number(m[1]);
  if (m[2] === undefined) return a;
  const b = Number(m[3]);
  return m[2] === '+' ? a + b : m[2] === '-' ? a - b : m[2] === '*' ? a * b : a / b;
}

const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort();

export function registerLokiMetadataRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/labels', async (req) => {
    const sets = await labelSets(ctx, req);
    return { status: 'success', data: sorted(sets.flatMap((set) => Object.keys(set))) };
  });

  app.get('/label/:name/values', async (req) => {
    const name = (req.params as { name: string }).name;
    const sets = await labelSets(ctx, req);
    return { status: 'success', data: sorted(sets.flatMap((set) => (set[name] === undefined ? [] : [set[name]]))) };
  });

  app.get('/series', async (req) => {
    const query = queryOf(req);
    const raw = query['match[]'] ?? query['match'];
    const selectors = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map((m) => selector(m, 'match[]'));
    if (selectors.length === 0) throw validationError('match[]', 'match[] is required: one or more stream selectors, such as {test_run_id="123"}');
    const window = lokiBounds(query, ctx.now().getTime() * 1000);
    const runIds = [...new Set(selectors.map((s) => s.testRunId))];
    for (const runId of runIds) await readableRun(ctx, req, runId);
    const sets = await ctx.store.runLogs.labelSets({ runIds } satisfies RunLogScope, window);
    return { status: 'success', data: sets.filter((set) => selectors.some((s) => setMatches(set, s))) };
  });

  app.get('/query', async (req) => {
    const query = queryOf(req);
    // Read as Loki reads an instant query's parameters, so a bad one is named before the query is refused.
    const at = lokiTimeUs(query['time'], 'time') ?? ctx.now().getTime() * 1000;
    intParam(query['limit'], 'limit', 1, MAX_PAGE, 100);
    directionParam(query['direction'], 'backward');
    const constant = typeof query['query'] === 'string' ? constantVector(query['query']) : undefined;
    if (constant !== undefined) {
      await authenticate(ctx, req, 'read', { optionalStack: true });
      return { status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [at / 1e6, sampleText(constant)] }], stats: {} } };
    }
    if (isMetricQuery(query['query'])) {
      const metric = parseMetricQuery(query['query']);
      const logQuery = metricQueryRun(metric);
      await readableRun(ctx, req, logQuery.testRunId);
      const steps = evaluationSteps(at, at, 1);
      const lines = await metricLines(ctx, logQuery, at - lookbackUs(metric), at + 1);
      const result = evaluateMetricQuery(metric, lines, steps).flatMap((s) => (s.points[0] === undefined ? [] : [{ metric: s.metric, value: [at / 1e6, sampleText(s.points[0])] }]));
      return { status: 'success', data: { resultType: 'vector', result, stats: {} } };
    }
    const q = parseLogQuery(query['query']);
    await readableRun(ctx, req, q.testRunId);
    throw validationError('query', INSTANT_LOG_QUERY_MESSAGE);
  });
}
