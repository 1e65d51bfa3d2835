// `stampede cloud run|upload script.js|archive.tar`: what `k6 cloud run`/`k6 cloud upload` do against
// the v6 API (k6 internal/cmd/cloud.go runCloudTest) — validate the consolidated options (showing the
// VUh estimate), create the load test or update its script, start it with an idempotency key, follow
// it until it ends (or until it runs, with --exit-on-running), and exit like k6: 0 passed, 99
// thresholds crossed (result `failed`), 97 the test failed (result `error`), 98 no progress at all,
// 105 a second Ctrl+C.
import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import { ApiError, type ApiClient } from './api-client.ts';
import type { Credentials } from './credentials.ts';
import { formatFigures, liveFigures } from './live-metrics.ts';
import { cliLevel, RunLogFollower, type RunLogFollowerOptions } from './run-log-follower.ts';
import type { PreparedScript } from './prepare-script.ts';

export type CloudLogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface CloudRunDeps {
  client: ApiClient;
  /** The login: the stack's default project and URL, K6_CLOUD_PROJECT_ID. */
  creds?: Pick<Credentials, 'projectId' | 'defaultProjectId' | 'stackUrl' | 'stackId'>;
  out: (s: string) => void;
  /** A log line, as k6's logger writes it (level=error msg=…). */
  log: (level: CloudLogLevel, msg: string) => void;
  /** A line of the run's own logs (--show-logs), with its labels as fields. */
  runLog?: (level: CloudLogLevel, msg: string, fields: Readonly<Record<string, string>>, time: number) => void;
  /** How the log tail is reopened after a drop. */
  logTail?: RunLogFollowerOptions;
  /** The execution description printed once the run's (or load test's) URL is known. */
  describe?: (output: string) => string;
  onInterrupt: (handler: () => void) => void;
  sleep: (ms: number) => Promise<void>;
  /** Milliseconds between polls (k6: 2 s). */
  pollMs?: number;
}

export interface CloudRunOptions {
  /** Return as soon as the run has started (Stampede's own flag). */
  detach?: boolean;
  /** --exit-on-running / K6_EXIT_ON_RUNNING: return once the run reaches `running`. */
  exitOnRunning?: boolean;
  /** `cloud upload`: create or update the load test, don't start it. */
  uploadOnly?: boolean;
  /** -q: no progress lines, no summary. */
  quiet?: boolean;
  /** --show-logs / K6_SHOW_CLOUD_LOGS (default true): print the run's log lines as they come. */
  showLogs?: boolean;
  /** K6_CLOUD_NAME: the load test's name over options.cloud.name. */
  name?: string;
}

interface StatusEvent {
  type: string;
  extra?: { by_user?: string | null; message?: string | null; code?: number | null } | null;
}

interface TestRun {
  id: number;
  status: string;
  result: string | null;
  estimated_duration: number | null;
  execution_duration: number;
  max_vus?: number | null;
  cost?: { total_vuh?: number } | null;
  status_details?: { type: string; extra?: { message?: string; code?: number } | null };
  status_history?: StatusEvent[];
}

const FINAL = new Set(['completed', 'aborted']);

export const EXIT_PASSED = 0;
export const EXIT_CLOUD_RUN_FAILED = 97;
export const EXIT_CLOUD_NO_PROGRESS = 98;
export const EXIT_THRESHOLDS_FAILED = 99;
export const EXIT_EXTERNAL_ABORT = 105;

/** k6's mapping of a run's result to an exit code (internal/cloudapi/v6/progress.go, cloud.go). */
export function exitCodeFor(run: Pick<TestRun, 'status' | 'result'>): number {
  if (run.result === 'failed') return EXIT_THRESHOLDS_FAILED;
  if (run.result === 'error') return EXIT_CLOUD_RUN_FAILED;
  return EXIT_PASSED;
}

/** k6's TestProgress.FormatStatus: "Finished", "Aborted (by user)", else the status in title case. */
export function formatStatus(run: Pick<TestRun, 'status' | 'status_history'>): string {
  if ((run.status_history ?? []).some((e) => e.type === 'aborted' && (e.extra?.by_user ?? '') !== '')) return 'Aborted (by user)';
  if (run.status === 'completed') return 'Finished';
  return run.status.split('_').map((w) => w.slice(0, 1).toUpperCase() + w.slice(1)).join(' ');
}

function cloudOption(options: Record<string, unknown>, key: string): unknown {
  const cloud = options.cloud;
  return typeof cloud === 'object' && cloud !== null ? (cloud as Record<string, unknown>)[key] : undefined;
}

async function findOrCreateLoadTest(client: ApiClient, projectId: number, name: string, script: Uint8Array, isTar: boolean): Promise<number> {
  const blob = new Blob([script], { type: isTar ? 'application/x-tar' : 'text/javascript' });
  const form = new FormData();
  form.set('name', name);
  form.set('script', blob, isTar ? 'archive.tar' : 'script.js');
  try {
    const created = await client.json<{ id: number }>(`/cloud/v6/projects/${projectId}/load_tests`, { method: 'POST', form });
    return created.id;
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 409) throw err;
  }
  const found = await client.json<{ value: Array<{ id: number; name: string }> }>(
    `/cloud/v6/projects/${projectId}/load_tests?name=${encodeURIComponent(name)}`,
  );
  const test = found.value.find((t) => t.name === name);
  if (!test) throw new Error(`a load test named "${name}" exists in project ${projectId} but could not be found`);
  await client.raw(`/cloud/v6/load_tests/${test.id}/script`, {
    method: 'PUT',
    headers: { 'content-type': isTar ? 'application/x-tar' : 'text/javascript' },
    bytes: script,
  });
  return test.id;
}

/**
 * The project (k6 resolveDefaultProjectID): options.cloud.projectID, K6_CLOUD_PROJECT_ID over it,
 * else the stack's default project (with k6's warning), from the login or, when the login came from
 * the environment only, from `/cloud/v6/auth`.
 */
export async function resolveProject(deps: Pick<CloudRunDeps, 'creds' | 'client' | 'log'>, options: Record<string, unknown>): Promise<number> {
  const fromOptions = Number(cloudOption(options, 'projectID') ?? 0);
  const explicit = deps.creds?.projectId ?? (Number.isInteger(fromOptions) && fromOptions > 0 ? fromOptions : undefined);
  if (explicit !== undefined) return explicit;
  const stackName = deps.creds?.stackUrl ?? `stack-${deps.creds?.stackId ?? '?'}`;
  const fallback = deps.creds?.defaultProjectId ?? (await deps.client.json<{ default_project_id: number }>('/cloud/v6/auth')).default_project_id;
  deps.log('warn', `No projectID specified, using default project of the ${stackName} stack`);
  return fallback;
}

export async function cloudRun(path: string, prepared: PreparedScript, opts: CloudRunOptions, deps: CloudRunDeps): Promise<number> {
  const { options, upload: script, isTar, packed } = prepared;
  if (packed.length > 0) {
    deps.out(`uploading a k6 archive of ${basename(path)} and ${packed.length} local file${packed.length === 1 ? '' : 's'} it needs\n`);
  }

  const projectId = await resolveProject(deps, options);
  const validation = await deps.client.json<{ vuh_usage?: number; breakdown?: unknown }>('/cloud/v6/validate_options', { method: 'POST', body: { project_id: projectId, options } });
  deps.out(`options valid; estimated usage ${validation?.vuh_usage ?? '?'} VUh\n`);

  const cloudName = cloudOption(options, 'name');
  const name = opts.name ?? (typeof cloudName === 'string' && cloudName !== '' ? cloudName : basename(path));
  let loadTestId: number;
  try {
    loadTestId = await findOrCreateLoadTest(deps.client, projectId, name, script, isTar);
  } catch (err) {
    throw new Error(`uploading test: ${(err as Error).message}`, { cause: err });
  }

  if (opts.uploadOnly) {
    if (deps.describe) deps.out(deps.describe(`${deps.client.baseUrl}/cloud/v6/load_tests/${loadTestId}`));
    deps.out(`load test ${loadTestId} "${name}" uploaded to project ${projectId}\n`);
    printStatus(deps, opts, 'Archived');
    return EXIT_PASSED;
  }

  let started: TestRun & { test_run_details_page_url?: string };
  try {
    started = await deps.client.json(`/cloud/v6/load_tests/${loadTestId}/start`, { method: 'POST', headers: { 'K6-Idempotency-Key': randomUUID() } });
  } catch (err) {
    throw new Error(`starting test: ${(err as Error).message}`, { cause: err });
  }
  const url = started.test_run_details_page_url ?? `${deps.client.baseUrl}/cloud/v6/test_runs/${started.id}`;
  if (deps.describe) deps.out(deps.describe(url));
  deps.out(`test run ${started.id} started: ${url}\n`);
  if (opts.detach) return EXIT_PASSED;

  let interrupts = 0;
  let hardStop = false;
  deps.onInterrupt(() => {
    interrupts++;
    if (interrupts === 1) {
      deps.log('info', 'Stopping cloud test run in response to signal...');
      deps.client.raw(`/cloud/v6/test_runs/${started.id}/abort`, { method: 'POST' }).then(
        () => deps.log('info', 'Successfully sent signal to stop the cloud test, now waiting for it to actually stop...'),
        (e: unknown) => {
          if (!(e instanceof ApiError && e.status === 409)) deps.log('error', `Stop cloud test error: ${(e as Error).message}`);
        },
      );
    } else {
      hardStop = true;
      deps.log('error', "Aborting k6 in response to signal, we won't wait for the test to end.");
    }
  });

  let run: TestRun | undefined;
  let lastLine = '';
  const runLog = deps.runLog;
  const logs = opts.showLogs === true && runLog !== undefined
    ? new RunLogFollower(deps.client, started.id, (l) => runLog(cliLevel(l.level), l.message, l.labels, Date.parse(l.time)), (msg) => deps.log('warn', msg), deps.logTail ?? {})
    : null;
  // Lines come over the server's live tail as they are logged (polled with the status when it cannot be opened).
  await logs?.start();
  for (;;) {
    await deps.sleep(deps.pollMs ?? 2000);
    if (hardStop) {
      await logs?.stop(false);
      return EXIT_EXTERNAL_ABORT;
    }
    try {
      run = await deps.client.json<TestRun>(`/cloud/v6/test_runs/${started.id}`);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      deps.log('error', `Test progress error: ${err.message}`);
      if (err.status === 0 || err.status === 401 || err.status === 403 || err.status === 404) break;
      continue;
    }
    await logs?.poll();
    if (opts.quiet !== true) {
      const figures = run.status === 'running' ? formatFigures(await liveFigures(deps.client, run.id, Date.now())) : `max_vus=${run.max_vus ?? '-'}`;
      const lineText = `${run.status.padEnd(18)} ${figures} elapsed=${run.execution_duration}s/${run.estimated_duration ?? '?'}s`;
      if (lineText !== lastLine) deps.out(`${lineText}\n`);
      lastLine = lineText;
    }
    if (FINAL.has(run.status) || (opts.exitOnRunning === true && run.status === 'running')) break;
    if (hardStop) {
      await logs?.stop(false);
      return EXIT_EXTERNAL_ABORT;
    }
  }
  // The last lines, logged while the run ended.
  await logs?.stop(run !== undefined && FINAL.has(run.status));
  if (run === undefined) {
    deps.log('error', 'Test progress error');
    return EXIT_CLOUD_NO_PROGRESS;
  }

  if (FINAL.has(run.status) && opts.quiet !== true) {
    const why = run.status_details?.extra?.message ? ` (${run.status_details.extra.message})` : '';
    deps.out(`test run ${run.id} ${run.status}, result ${run.result ?? 'none'}${why}, cost ${run.cost?.total_vuh ?? '?'} VUh\n`);
    try {
      const summary = await deps.client.raw(`/cloud/v6/test_runs/${run.id}/summary`, { accept: 'application/json' });
      const body = (await summary.json()) as { text?: string };
      if (body.text) deps.out(body.text);
    } catch {
      // the summary extension may not be there for this run; the result line above stands
    }
  }
  printStatus(deps, opts, formatStatus(run));
  const code = exitCodeFor(run);
  if (code === EXIT_THRESHOLDS_FAILED) deps.log('error', 'Thresholds have been crossed');
  else if (code === EXIT_CLOUD_RUN_FAILED) deps.log('error', 'The test has failed');
  return code;
}

/** k6 printCloudTestStatus: "     test status: Finished" on stdout, nothing with -q. */
function printStatus(deps: CloudRunDeps, opts: CloudRunOptions, status: string): void {
  if (opts.quiet !== true) deps.out(`     test status: ${status}\n`);
}
