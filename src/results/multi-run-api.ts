// The v5 metrics API across several runs of one load test (to compare runs):
//   GET /load_tests/{id}/metrics[(test_run_count=N | test_run_ids=[a,b,…])]
//     → {"value": [{name, type, labels}]}: every metric of the selected runs, by name; the type of the
//       latest run that has it; the union of label names
//   GET /load_tests/{id}/query_aggregate_k6(query=…,metric=…[,start][,end], test_run_count=N | test_run_ids=[…])
//     → one vector answer holding each run's series, told apart by their `test_run_id` label
// Which runs those are is the caller's business (stack scoping, the load test's own runs): it passes
// a resolver for the selection. Listing labels scans every selected run's stored series.
import { StampedeError } from '../core/index.ts';
import type { RunMetricsRepo } from '../store/index.ts';
import { parseFunctionParams } from './function-params.ts';
import { AGGREGATE_PARAMS, runQuery, type QueryAnswer, type RunForMetrics } from './metrics-api.ts';

/** Runs when neither test_run_count nor test_run_ids is given (Grafana's default). */
export const DEFAULT_RUN_COUNT = 30;
export const MAX_SELECTED_RUNS = 100;

export type RunsSelection = { readonly count: number } | { readonly ids: readonly number[] };

/** The selected runs, newest first; throws (404) for an id that is not one of the load test's runs. */
export type RunsResolver<R extends RunForMetrics> = (selection: RunsSelection) => Promise<R[]>;

/** Where each run's metrics are read (e.g. through a RunMetricsCache). */
export type RepoForRun<R extends RunForMetrics> = (run: R) => RunMetricsRepo;

export interface MultiRunMetric {
  name: string;
  type: 'counter' | 'gauge' | 'rate' | 'trend';
  labels: string[];
}

function bad(message: string): StampedeError {
  return new StampedeError('STAMPEDE_ERR_BAD_REQUEST', message);
}

function selectionOf(params: ReadonlyMap<string, string>, required: boolean): RunsSelection {
  const count = params.get('test_run_count');
  const ids = params.get('test_run_ids');
  if (count !== undefined && ids !== undefined) throw bad('give test_run_count or test_run_ids, not both');
  if (ids !== undefined) {
    const m = /^\[\s*(\d+(?:\s*,\s*\d+)*)?\s*\]$/.exec(ids);
    const list = m?.[1]?.split(',').map((x) => Number(x.trim()));
    if (!list || list.length === 0 || list.some((n) => !Number.isSafeInteger(n) || n < 1)) throw bad(`test_run_ids must be a list of run ids like [1,2,3], got ${JSON.stringify(ids)}`);
    if (list.length > MAX_SELECTED_RUNS) throw bad(`at most ${MAX_SELECTED_RUNS} test_run_ids`);
    return { ids: [...new Set(list)] };
  }
  if (count !== undefined) {
    const n = Number(count);
    if (!/^\d+$/.test(count) || n < 1 || n > MAX_SELECTED_RUNS) throw bad(`test_run_count must be a whole number from 1 to ${MAX_SELECTED_RUNS}, got ${JSON.stringify(count)}`);
    return { count: n };
  }
  if (required) throw bad('give test_run_count or test_run_ids');
  return { count: DEFAULT_RUN_COUNT };
}

/** `paramsText` is what stands between the parentheses of `metrics(…)`; undefined for plain `/metrics`. */
export async function listMetricsAcrossRuns<R extends RunForMetrics>(repoFor: RepoForRun<R>, paramsText: string | undefined, resolve: RunsResolver<R>): Promise<{ value: MultiRunMetric[] }> {
  const params = parseFunctionParams(paramsText ?? '', ['test_run_count', 'test_run_ids']);
  const runs = await resolve(selectionOf(params, false));
  const byName = new Map<string, { type: MultiRunMetric['type']; labels: Set<string> }>();
  // Newest first: the first run to define a metric gives its type.
  for (const run of runs) {
    const repo = repoFor(run);
    for (const def of await repo.listMetrics(run.id)) {
      if (!byName.has(def.name)) byName.set(def.name, { type: def.type, labels: new Set(['__name__', 'test_run_id']) });
    }
    for (const b of await repo.read(run.id)) {
      for (const s of b.series) {
        const entry = byName.get(s.metric);
        if (entry) for (const k of Object.keys(s.tags)) entry.labels.add(k);
      }
    }
  }
  return {
    value: [...byName.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, e]) => ({ name, type: e.type, labels: [...e.labels].sort() })),
  };
}

export async function queryAggregateAcrossRuns<R extends RunForMetrics>(repoFor: RepoForRun<R>, paramsText: string, resolve: RunsResolver<R>, now: Date): Promise<QueryAnswer> {
  const all = parseFunctionParams(paramsText, [...AGGREGATE_PARAMS, 'test_run_count', 'test_run_ids']);
  const selection = selectionOf(all, true);
  const params = new Map([...all].filter(([k]) => k !== 'test_run_count' && k !== 'test_run_ids'));
  const answer: QueryAnswer = { status: 'success', data: { resultType: 'vector', result: [] } };
  for (const run of await resolve(selection)) {
    answer.data.result.push(...(await runQuery(repoFor(run), run, params, false, now)).data.result);
  }
  return answer;
}
