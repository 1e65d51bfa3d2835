// `stampede cloud run --local-execution`: the test runs on this machine with Stampede's engine and is
// recorded as a run on the server through the provisioning API, the way `k6 cloud run
// --local-execution` does it (k6 internal/cmd/outputs_cloud.go createCloudTest,
// internal/cloudapi/provisioning, output/cloud/expv2, internal/log/cloud):
//
// 1. create the load test by name, or find it on 409 (POST /cloud/v6/projects/{id}/load_tests);
// 2. POST /provisioning/v1/load_tests/{id}/start_local_execution {options, max_vus, total_duration,
//    archive_size} with a K6-Idempotency-Key;
// 3. PUT the k6 archive to `archive_upload_url` (not with --no-archive-upload);
// 4. poll GET /cloud/v6/test_runs/{id} until `initializing` (aborted or completed end it here);
// 5. while the test runs, push its metrics every `push_interval` to the metrics URL (protobuf
//    MetricSet in a snappy block, Bearer test run token) and its log entries to the logs URL (Loki
//    JSON; not with --no-cloud-logs);
// 6. once it ended: the last metrics, the last logs, then POST …/notify script_execution_completed,
//    with k6's error code when the test did not complete.
//
// As in k6, a push the server refuses (409 once the run was aborted from the API) is logged and the
// test goes on: k6 stops a test only when the legacy cloud answers 403 with code 4, which the
// provisioning API never sends.
import { randomBytes } from 'node:crypto';
import { encodeBatchesAsMetricSets, encodeSnappyBlock } from '../../results/index.ts';
import type { EngineLogEntry, MetricsBatch, RunResult } from '../../engine/index.ts';
import { ApiError, type ApiClient } from './api-client.ts';

export type LogFn = (level: 'debug' | 'info' | 'warn' | 'error', msg: string, fields?: Record<string, string>) => void;

/** k6's HTTP timeout of the cloud clients (K6_CLOUD_TIMEOUT's default, 1 min). */
const REQUEST_TIMEOUT_MS = 60_000;
/** k6 clientcfg: 3 attempts, 500 ms apart, on a 5xx or a network error. */
const MAX_ATTEMPTS = 3;
const RETRY_MS = 500;
const USER_AGENT = 'k6cloud/stampede';

/** The runtime_config of a StartLocalExecutionTestResponse, as far as Stampede's client reads it. */
export interface RuntimeConfig {
  metrics: {
    push_url: string;
    push_interval?: string | null;
    aggregation_period?: string | null;
    max_samples_per_package?: number | null;
  };
  logs?: {
    push_url?: string;
    level?: string;
    limit?: number;
    push_period_seconds?: string;
    message_max_size?: number;
    allowed_labels?: string[];
  } | null;
  test_run_token: string;
}

export interface Provisioned {
  testRunId: number;
  detailsUrl: string;
  runtime: RuntimeConfig;
}

/** k6 provisioning ResponseError's text. */
export class ProvisioningError extends Error {
  constructor(readonly status: number, readonly body: string) {
    super(status === 401 || status === 403 ? `${status === 401 ? 'unauthorized' : 'forbidden'}: ${body}` : `provisioning API error (${status}): ${body}`);
    this.name = 'ProvisioningError';
  }
}

/** One provisioning call: retried on 5xx and network errors as k6's doWithRetry does; a non-2xx answer throws. */
export async function provisioningCall(url: string, init: { method: string; headers: Record<string, string>; body?: Uint8Array | string }, sleep: (ms: number) => Promise<void>): Promise<Response> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    let res: Response;
    try {
      res = await fetch(url, { ...init, headers: { 'user-agent': USER_AGENT, ...init.headers }, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    } catch (e) {
      lastError = e;
      if (attempt < MAX_ATTEMPTS) await sleep(RETRY_MS);
      continue;
    }
    if (res.status >= 500 && attempt < MAX_ATTEMPTS) {
      await res.arrayBuffer().catch(() => undefined);
      await sleep(RETRY_MS);
      continue;
    }
    if (res.status < 200 || res.status > 299) throw new ProvisioningError(res.status, await res.text().catch(() => ''));
    return res;
  }
  const cause = lastError as Error & { cause?: unknown };
  throw new Error(`${init.method} ${JSON.stringify(url)}: ${cause.cause instanceof Error ? cause.cause.message : cause.message}`, { cause: lastError });
}

export interface ProvisionParams {
  name: string;
  projectId: number;
  maxVus: number;
  totalDurationS: number;
  options: Record<string, unknown>;
  /** The k6 archive; undefined with --no-archive-upload. */
  archive?: Uint8Array;
}

export interface ProvisionDeps {
  client: ApiClient;
  /** The long-lived token and stack the start call is signed with. */
  token: string;
  stackId: string;
  log: LogFn;
  sleep: (ms: number) => Promise<void>;
  /** Between status polls (k6: 2 s). */
  pollMs?: number;
}

interface RunStatusView {
  status: string;
  status_details?: { extra?: { message?: string | null } | null } | null;
  status_history?: Array<{ type: string; extra?: { message?: string | null } | null }>;
}

/** k6 ProvisionLocalExecution: create or find the load test, start the local execution, upload the archive, wait until it may start. */
export async function provisionLocalExecution(deps: ProvisionDeps, params: ProvisionParams): Promise<Provisioned> {
  const { client } = deps;
  let loadTestId: number;
  try {
    loadTestId = await createOrFindLoadTest(client, params.projectId, params.name);
  } catch (e) {
    throw new Error(`create or find load test: ${(e as Error).message}`, { cause: e });
  }

  const body = {
    options: params.options,
    max_vus: params.maxVus,
    total_duration: params.totalDurationS,
    archive_size: params.archive === undefined ? null : params.archive.length,
  };
  let started: { test_run_id: number; archive_upload_url?: string | null; runtime_config: RuntimeConfig; test_run_details_page_url?: string };
  try {
    const res = await provisioningCall(`${client.baseUrl}/provisioning/v1/load_tests/${loadTestId}/start_local_execution`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${deps.token}`,
        'x-stack-id': deps.stackId,
        'content-type': 'application/json',
        accept: 'application/json',
        'K6-Idempotency-Key': randomBytes(8).toString('hex'),
      },
      body: JSON.stringify(body),
    }, deps.sleep);
    started = (await res.json()) as typeof started;
  } catch (e) {
    throw new Error(`start local execution: ${(e as Error).message}`, { cause: e });
  }

  if (params.archive !== undefined) {
    const uploadUrl = started.archive_upload_url;
    if (typeof uploadUrl === 'string' && uploadUrl !== '') {
      try {
        await uploadArchive(uploadUrl, params.archive, deps.sleep);
      } catch (e) {
        throw new Error(`upload archive: ${(e as Error).message}`, { cause: e });
      }
    } else {
      deps.log('warn', 'archive present but provisioning API returned no upload URL; skipping archive upload');
    }
  }

  try {
    await waitForTestRunReady(deps, started.test_run_id);
  } catch (e) {
    throw new Error(`wait for test run ready: ${(e as Error).message}`, { cause: e });
  }
  return {
    testRunId: started.test_run_id,
    detailsUrl: started.test_run_details_page_url ?? `${client.baseUrl}/cloud/v6/test_runs/${started.test_run_id}`,
    runtime: started.runtime_config,
  };
}

/** k6 CreateOrFindLoadTest: the load test by name only (no script); on 409 the one of that name. */
async function createOrFindLoadTest(client: ApiClient, projectId: number, name: string): Promise<number> {
  const form = new FormData();
  form.set('name', name);
  try {
    return (await client.json<{ id: number }>(`/cloud/v6/projects/${projectId}/load_tests`, { method: 'POST', form })).id;
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 409) throw e;
  }
  const found = await client.json<{ value: Array<{ id: number; name: string }> }>(`/cloud/v6/projects/${projectId}/load_tests?name=${encodeURIComponent(name)}`);
  const test = found.value.find((t) => t.name === name);
  if (test === undefined) throw new Error(`load test "${name}" not found in project ${projectId}`);
  return test.id;
}

/** k6 UploadArchive: a PUT of the tar to the presigned URL, no Authorization. */
async function uploadArchive(url: string, archive: Uint8Array, sleep: (ms: number) => Promise<void>): Promise<void> {
  try {
    await provisioningCall(url, { method: 'PUT', headers: { 'content-type': 'application/x-tar' }, body: archive }, sleep);
  } catch (e) {
    if (!(e instanceof ProvisioningError)) throw new Error(`uploading archive: ${(e as Error).message}`, { cause: e });
    const text = STATUS_TEXT[e.status] ?? '';
    throw new Error(`archive upload failed: ${e.status} ${text}${e.body === '' ? '' : `: ${e.body}`}`, { cause: e });
  }
}

/** Go's http.StatusText for the answers an upload may get. */
const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 413: 'Request Entity Too Large',
  500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

/** k6 WaitForTestRunReady: `initializing` lets k6 start; `aborted` and `completed` end it here. */
async function waitForTestRunReady(deps: ProvisionDeps, testRunId: number): Promise<void> {
  for (;;) {
    let run: RunStatusView;
    try {
      run = await deps.client.json<RunStatusView>(`/cloud/v6/test_runs/${testRunId}`);
    } catch (e) {
      throw new Error(`fetching test status: ${(e as Error).message}`, { cause: e });
    }
    if (run.status === 'initializing') return;
    if (run.status === 'aborted') {
      const message = run.status_history?.find((h) => h.type === 'aborted' && (h.extra?.message ?? '') !== '')?.extra?.message ?? run.status_details?.extra?.message ?? '';
      throw new Error(message === '' ? 'test run aborted before starting' : `test run aborted before starting: ${message}`);
    }
    if (run.status === 'completed') throw new Error('test run completed before k6 could start');
    await deps.sleep(deps.pollMs ?? 2000);
  }
}

/** A Go duration as the runtime config gives it ("1s", "500ms", "3s"); undefined when it is not one. */
export function goDurationMs(text: string | null | undefined): number | undefined {
  if (typeof text !== 'string' || text === '') return undefined;
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let m: RegExpExecArray | null;
  let seen = 0;
  while ((m = re.exec(text)) !== null) {
    total += Number(m[1]) * (units[m[2] as string] as number);
    seen = re.lastIndex;
  }
  return seen === text.length && seen > 0 ? total : undefined;
}

/** Go's time.Duration String() for whole milliseconds ("3s", "1m30s", "1h0m0s", "500ms"). */
export function goDurationText(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const sec = (ms % 60_000) / 1000;
  if (h > 0) return `${h}h${m}m${sec}s`;
  if (m > 0) return `${m}m${sec}s`;
  return `${sec}s`;
}

/**
 * k6's cloud output v2 in provisioning mode: the engine's per-second batches are queued and pushed
 * every push interval, one push at a time, in sets of at most max_samples_per_package series.
 */
export class CloudMetricsOutput {
  readonly #queue: MetricsBatch[] = [];
  readonly #discarded = new Set<string>();
  readonly #reported = new Set<string>();
  #timer: ReturnType<typeof setInterval> | undefined;
  #flushing: Promise<void> = Promise.resolve();
  #busy = false;

  constructor(private readonly cfg: {
    testRunId: number;
    runtime: RuntimeConfig;
    log: LogFn;
    sleep: (ms: number) => Promise<void>;
  }) {}

  get pushIntervalMs(): number {
    return this.#duration('push_interval', this.cfg.runtime.metrics.push_interval, 1000);
  }

  #duration(field: string, text: string | null | undefined, fallback: number): number {
    if (text === null || text === undefined) return fallback;
    const ms = goDurationMs(text);
    if (ms !== undefined && ms > 0) return ms;
    this.cfg.log('warn', 'invalid duration in runtime_config; using default', { field });
    return fallback;
  }

  add(batch: MetricsBatch): void {
    this.#queue.push(batch);
  }

  start(): void {
    this.#timer = setInterval(() => {
      if (this.#busy) return;
      this.#flushing = this.#flush();
    }, this.pushIntervalMs);
    this.#timer.unref();
  }

  /** Stops the timer and pushes what is still queued (after a push under way). */
  async stop(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#flushing;
    await this.#flush();
  }

  async #flush(): Promise<void> {
    if (this.#queue.length === 0) return;
    this.#busy = true;
    try {
      const batches = this.#queue.splice(0);
      const { metrics } = this.cfg.runtime;
      const periodS = Math.max(1, Math.round(this.#duration('aggregation_period', metrics.aggregation_period, 1000) / 1000));
      const maxSeries = typeof metrics.max_samples_per_package === 'number' && metrics.max_samples_per_package > 0 ? metrics.max_samples_per_package : 1000;
      const sets = encodeBatchesAsMetricSets(String(this.cfg.testRunId), periodS, batches, maxSeries, this.#discarded);
      for (const key of this.#discarded) {
        if (this.#reported.has(key)) continue;
        this.#reported.add(key);
        this.cfg.log('warn', `Tag ${key} has been discarded since it is reserved for Cloud operations.`);
      }
      for (const set of sets) {
        await provisioningCall(metrics.push_url, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${this.cfg.runtime.test_run_token}`,
            'content-type': 'application/x-protobuf',
            'content-encoding': 'snappy',
            'K6-Metrics-Protocol-Version': '2.0',
          },
          body: encodeSnappyBlock(set),
        }, this.cfg.sleep);
      }
    } catch (e) {
      // k6 handleFlushError: logged, and the test goes on
      this.cfg.log('error', 'Failed to push metrics to the cloud', { error: (e as Error).message });
    } finally {
      this.#busy = false;
    }
  }
}

type Level = 'debug' | 'info' | 'warn' | 'error';
const LOGRUS_LEVEL: Record<Level, string> = { debug: 'debug', info: 'info', warn: 'warning', error: 'error' };
const LEVEL_RANK: Record<string, number> = { trace: 0, debug: 0, info: 1, warn: 2, warning: 2, error: 3, fatal: 3, panic: 3 };

interface LogEntry { ns: bigint; labels: Record<string, string>; line: string }

/**
 * k6's cloud log pusher (internal/log/cloud over its Loki hook): the engine log's entries, buffered
 * from the start, go to the run's logs URL as Loki JSON every push period once the run is known;
 * labels are `level`, the allowed fields and `test_run_id`, other fields follow the message as
 * ` key=value`. At most `limit` entries per push; the rest are counted in k6's "dropped" line.
 */
export class CloudLogPusher {
  #buffer: LogEntry[] = [];
  #dropped = 0;
  #cfg: { url: string; token: string; testRunId: string; minRank: number; limit: number; maxSize: number; allowed: Set<string>; periodMs: number } | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #pushing: Promise<void> = Promise.resolve();
  #warned = false;

  #log: LogFn = () => undefined;

  constructor(private readonly deps: { sleep: (ms: number) => Promise<void> }) {}

  /** Where the engine log's entries go (EngineIo.logEntries, with the log still shown). */
  readonly entries = { tee: true, write: (entry: EngineLogEntry): void => this.#add(entry) };

  #add({ time, level, msg, fields }: EngineLogEntry): void {
    const limit = this.#cfg?.limit ?? 900;
    if (this.#buffer.length >= limit * 10) {
      this.#dropped++;
      return;
    }
    const labels: Record<string, string> = { ...fields, level: LOGRUS_LEVEL[level] };
    this.#buffer.push({ ns: BigInt(Math.trunc(time)) * 1_000_000n, labels, line: msg });
  }

  configure(testRunId: number, runtime: RuntimeConfig, log: LogFn): void {
    this.#log = log;
    const logs = runtime.logs ?? {};
    if (typeof logs.push_url !== 'string' || logs.push_url === '') return;
    const periodMs = goDurationMs(logs.push_period_seconds) ?? 1000;
    const allowed = new Set([...(logs.allowed_labels ?? []), 'test_run_id', 'level']);
    this.#cfg = {
      url: logs.push_url,
      token: runtime.test_run_token,
      testRunId: String(testRunId),
      minRank: LEVEL_RANK[(logs.level ?? '').toLowerCase()] ?? 0,
      limit: typeof logs.limit === 'number' && logs.limit > 0 ? logs.limit : 100,
      maxSize: typeof logs.message_max_size === 'number' && logs.message_max_size > 0 ? logs.message_max_size : 1024 * 1024,
      allowed: logs.allowed_labels !== undefined && logs.allowed_labels.length > 0 ? allowed : new Set(),
      periodMs: periodMs > 0 ? periodMs : 1000,
    };
    this.#timer = setInterval(() => {
      this.#pushing = this.#pushing.then(() => this.#push());
    }, this.#cfg.periodMs);
    this.#timer.unref();
  }

  /** Pushes everything buffered (k6 drains the pusher before the notify). */
  async drain(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#pushing;
    while (this.#cfg !== undefined && (this.#buffer.length > 0 || this.#dropped > 0)) {
      const before = this.#buffer.length + this.#dropped;
      await this.#push();
      if (this.#buffer.length + this.#dropped >= before) break;
    }
  }

  async #push(): Promise<void> {
    const cfg = this.#cfg;
    if (cfg === undefined) return;
    const wanted = this.#buffer.filter((e) => (LEVEL_RANK[e.labels.level ?? 'info'] ?? 1) >= cfg.minRank);
    const taken = wanted.slice(0, cfg.limit);
    const dropped = this.#dropped + wanted.length - taken.length;
    this.#buffer = [];
    this.#dropped = 0;
    if (taken.length === 0 && dropped === 0) return;
    const streams = new Map<string, { stream: Record<string, string>; values: Array<[string, string]> }>();
    const add = (labels: Record<string, string>, line: string, ns: bigint): void => {
      const stream: Record<string, string> = { test_run_id: cfg.testRunId };
      const extra: string[] = [];
      for (const key of Object.keys(labels).sort()) {
        const value = labels[key] as string;
        if (cfg.allowed.size === 0 || cfg.allowed.has(key)) stream[key] = value;
        else extra.push(` ${key}=${value}`);
      }
      const text = (line + extra.join('')).slice(0, cfg.maxSize);
      const key = JSON.stringify(Object.entries(stream).sort(([a], [b]) => (a < b ? -1 : 1)));
      let s = streams.get(key);
      if (s === undefined) streams.set(key, (s = { stream, values: [] }));
      s.values.push([ns.toString(), text]);
    };
    for (const e of taken.sort((a, b) => (a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : 0))) add(e.labels, e.line, e.ns);
    if (dropped > 0) {
      add({ level: 'warning' }, `k6 dropped ${dropped} log messages because they were above the limit of ${cfg.limit} messages / ${goDurationText(cfg.periodMs)}`, BigInt(Date.now()) * 1_000_000n);
    }
    try {
      await provisioningCall(cfg.url, {
        method: 'POST',
        headers: { authorization: `Bearer ${cfg.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ streams: [...streams.values()] }),
      }, this.deps.sleep);
    } catch (e) {
      // k6 writes this to its fallback logger (the terminal only); once is enough here
      if (!this.#warned) this.#log('error', 'Error while sending logs to loki', { error: (e as Error).message });
      this.#warned = true;
    }
  }
}

/**
 * k6 mapTestErrorToNotifyCode: the notification's error for how the test ended; null when it
 * completed (thresholds that failed at the end included: the server judges those itself).
 */
export function notifyErrorFor(result: Pick<RunResult, 'exitCode' | 'abortReason' | 'abortMessage'>, reason?: string): { code: number; reason: string } | null {
  const text = reason ?? result.abortMessage ?? `the test ended with exit code ${result.exitCode}`;
  switch (result.abortReason) {
    case 'user':
    case 'script-abort':
    case 'threshold':
      return { code: 8036, reason: text };
    case 'script-error':
      return { code: 8035, reason: text };
    case 'timeout':
      return { code: 8034, reason: text };
    case undefined:
      return result.exitCode === 0 || result.exitCode === 99 ? null : { code: 0, reason: text };
  }
}

/** POST …/notify script_execution_completed with the test run token. */
export async function notifyCompleted(
  baseUrl: string, testRunId: number, token: string, error: { code: number; reason: string } | null, sleep: (ms: number) => Promise<void>,
  /** The run's measured test duration: Stampede's server divides the run summary's rates by it, as the local summary does (k6 sends none). */
  testRunDurationMs?: number,
): Promise<void> {
  try {
    await provisioningCall(`${baseUrl}/provisioning/v1/test_runs/${testRunId}/notify`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ event_type: 'script_execution_completed', error, ...(testRunDurationMs !== undefined && testRunDurationMs > 0 && { test_run_duration_ms: testRunDurationMs }) }),
    }, sleep);
  } catch (e) {
    throw new Error(`notify test run completed: ${(e as Error).message}`, { cause: e });
  }
}
