// `stampede cloud run script.js|archive.tar`: what `k6 cloud run` does against the v6 API — validate the options
// (showing the VUh estimate), create the load test or update its script, start it with an idempotency
// key, follow it until it ends, and exit like k6: 0 passed, 99 thresholds failed, 97 any other end.
import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import { ApiError, type ApiClient } from './api-client.ts';
import { formatFigures, liveFigures } from './live-metrics.ts';
import type { PreparedScript } from './prepare-script.ts';

export interface CloudRunDeps {
  client: ApiClient;
  out: (s: string) => void;
  err: (s: string) => void;
  /**
   * Reads the script's consolidated options (k6 reads them by running the init code locally) and what
   * to upload: the file itself, or a k6 archive of it and the local files it needs.
   */
  prepare: (path: string) => Promise<PreparedScript>;
  onInterrupt: (handler: () => void) => void;
  sleep: (ms: number) => Promise<void>;
}

interface TestRun {
  id: number;
  status: string;
  result: string | null;
  result_details?: unknown;
  estimated_duration: number | null;
  execution_duration: number;
  max_vus?: number | null;
  cost?: { total_vuh?: number } | null;
  status_details?: { type: string; extra?: { message?: string; code?: number } | null };
}

const FINAL = new Set(['completed', 'aborted']);

export const EXIT_PASSED = 0;
export const EXIT_THRESHOLDS_FAILED = 99;
export const EXIT_CLOUD_RUN_FAILED = 97;

/** k6's mapping of a finished v6 run to an exit code (internal/cloudapi/v6/progress.go). */
export function exitCodeFor(run: Pick<TestRun, 'status' | 'result'>): number {
  if (run.result === 'passed') return EXIT_PASSED;
  if (run.result === 'failed') return EXIT_THRESHOLDS_FAILED;
  return EXIT_CLOUD_RUN_FAILED;
}

function cloudOption(options: Record<string, unknown>, key: string): unknown {
  const cloud = options.cloud;
  return typeof cloud === 'object' && cloud !== null ? (cloud as Record<string, unknown>)[key] : undefined;
}

async function findOrCreateLoadTest(deps: CloudRunDeps, projectId: number, name: string, script: Uint8Array, isTar: boolean): Promise<number> {
  const blob = new Blob([script], { type: isTar ? 'application/x-tar' : 'text/javascript' });
  const form = new FormData();
  form.set('name', name);
  form.set('script', blob, isTar ? 'archive.tar' : 'script.js');
  try {
    const created = await deps.client.json<{ id: number }>(`/cloud/v6/projects/${projectId}/load_tests`, { method: 'POST', form });
    return created.id;
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 409) throw err;
  }
  const found = await deps.client.json<{ value: Array<{ id: number; name: string }> }>(
    `/cloud/v6/projects/${projectId}/load_tests?name=${encodeURIComponent(name)}`,
  );
  const test = found.value.find((t) => t.name === name);
  if (!test) throw new Error(`a load test named "${name}" exists in project ${projectId} but could not be found`);
  await deps.client.raw(`/cloud/v6/load_tests/${test.id}/script`, {
    method: 'PUT',
    headers: { 'content-type': isTar ? 'application/x-tar' : 'text/javascript' },
    bytes: script,
  });
  return test.id;
}

export async function cloudRun(path: string, opts: { detach?: boolean }, deps: CloudRunDeps): Promise<number> {
  const { options, upload: script, isTar, packed } = await deps.prepare(path);
  if (packed.length > 0) {
    deps.out(`uploading a k6 archive of ${basename(path)} and ${packed.length} local file${packed.length === 1 ? '' : 's'} it needs\n`);
  }

  const validation = await deps.client.json<{ vuh_usage?: number; breakdown?: unknown }>('/cloud/v6/validate_options', { method: 'POST', body: { options } });
  deps.out(`options valid; estimated usage ${validation?.vuh_usage ?? '?'} VUh\n`);

  const auth = await deps.client.json<{ default_project_id: number }>('/cloud/v6/auth');
  const projectId = Number(cloudOption(options, 'projectID') ?? auth.default_project_id);
  const name = String(cloudOption(options, 'name') ?? basename(path));
  const loadTestId = await findOrCreateLoadTest(deps, projectId, name, script, isTar);

  const started = await deps.client.json<TestRun & { test_run_details_page_url?: string }>(`/cloud/v6/load_tests/${loadTestId}/start`, {
    method: 'POST',
    headers: { 'K6-Idempotency-Key': randomUUID() },
  });
  deps.out(`test run ${started.id} started${started.test_run_details_page_url ? `: ${started.test_run_details_page_url}` : ''}\n`);
  if (opts.detach) return EXIT_PASSED;

  let interrupts = 0;
  let detached = false;
  deps.onInterrupt(() => {
    interrupts++;
    if (interrupts === 1) {
      deps.err('aborting the test run (Ctrl+C again to stop waiting)\n');
      deps.client.raw(`/cloud/v6/test_runs/${started.id}/abort`, { method: 'POST' }).catch((e: unknown) => {
        if (!(e instanceof ApiError && e.status === 409)) deps.err(`abort failed: ${(e as Error).message}\n`);
      });
    } else detached = true;
  });

  let run: TestRun = started;
  let lastLine = '';
  while (!FINAL.has(run.status) && !detached) {
    await deps.sleep(1000);
    run = await deps.client.json<TestRun>(`/cloud/v6/test_runs/${started.id}`);
    const figures = run.status === 'running' ? formatFigures(await liveFigures(deps.client, run.id, Date.now())) : `max_vus=${run.max_vus ?? '-'}`;
    const lineText = `${run.status.padEnd(18)} ${figures} elapsed=${run.execution_duration}s/${run.estimated_duration ?? '?'}s`;
    if (lineText !== lastLine) deps.out(`${lineText}\n`);
    lastLine = lineText;
  }
  if (detached) {
    deps.err(`stopped waiting; test run ${started.id} goes on\n`);
    return EXIT_CLOUD_RUN_FAILED;
  }
  const why = run.status_details?.extra?.message ? ` (${run.status_details.extra.message})` : '';
  deps.out(`test run ${run.id} ${run.status}, result ${run.result ?? 'none'}${why}, cost ${run.cost?.total_vuh ?? '?'} VUh\n`);
  try {
    const summary = await deps.client.raw(`/cloud/v6/test_runs/${run.id}/summary`, { accept: 'application/json' });
    const body = (await summary.json()) as { text?: string };
    if (body.text) deps.out(body.text);
  } catch {
    // the summary extension may not be there for this run; the result line above stands
  }
  return exitCodeFor(run);
}
