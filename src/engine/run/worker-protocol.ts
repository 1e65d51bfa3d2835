// The typed messages between the run (main thread) and its worker threads. Only these cross the
// boundary; everything in them is structured-cloneable.
import type { ScenarioConfig } from '../executors/executor-config.ts';
import type { ExecutorProgress } from '../executors/executor-context.ts';
import type { MetricsBatch } from '../metrics/metrics-batch.ts';
import type { LogLevel } from '../vu/log-sink.ts';
import type { SecretTable } from '../modules/secret-store.ts';
import type { FailedOpen } from '../vu/open-errors.ts';
import type { VuIdScheme } from './vu-ids.ts';
import type { JsonMetricDescriptions } from '../summary/json-output.ts';

export interface WorkerInit {
  readonly index: number;
  readonly count: number;
  readonly factorySource: string;
  readonly filename: string;
  readonly scriptDir: string;
  /** The script uses promises: attribute unhandled rejections to VUs (vu/promise-owners.ts). */
  readonly trackRejections: boolean;
  /** Files VU 0 opened (and the compiler knew): the only ones later VUs may open, as in k6. */
  readonly files: ReadonlyArray<readonly [string, Uint8Array]>;
  /** Paths VU 0 found missing or a directory: later VUs get the same error. */
  readonly failedFiles: ReadonlyArray<readonly [string, FailedOpen]>;
  /** Consolidated options (JSON-safe). */
  readonly options: Readonly<Record<string, unknown>>;
  readonly scenarios: readonly ScenarioConfig[];
  /** k6/execution `test.options` (JSON-safe; frozen by the worker). */
  readonly testOptions: Readonly<Record<string, unknown>>;
  readonly env: Readonly<Record<string, string>>;
  readonly runTags: Readonly<Record<string, string>>;
  /** How this worker numbers its VUs (run/vu-ids.ts); ids are unique across the instance. */
  readonly vuIds: VuIdScheme;
  /** Int32Array slot 0 ≠ 0: stop every VU now, checked inside loops (the worker may be stuck). */
  readonly stopBuffer: SharedArrayBuffer;
  /** This worker's log lines the main thread has not written yet (log-back-pressure.ts). */
  readonly logBuffer: SharedArrayBuffer;
  /** `--out json`: samples are also written as k6 NDJSON lines, sent to the main thread in chunks. */
  readonly jsonOut: boolean;
  /** The thresholds and submetrics the JSON output's Metric lines describe (jsonMetricDescriptions). */
  readonly jsonMetrics: JsonMetricDescriptions;
  /** k6/execution's instance counters, shared by every worker (instance-counters.ts). */
  readonly countersBuffer: SharedArrayBuffer;
  /** The instance's `rps` bucket, shared by every worker and the main thread (http/request-rate-limit.ts). */
  readonly rateBuffer: SharedArrayBuffer;
  /** Each shared-iterations scenario's counter, by the scenario's index (executors/shared-iteration-counter.ts). */
  readonly sharedItersBuffer: SharedArrayBuffer;
  /**
   * Each arrival-rate scenario's hand-off of ticks to other workers' idle VUs, by the scenario's index;
   * undefined for other scenarios and when fewer than two workers have its VUs (executors/arrival-rate-hand-off.ts).
   */
  readonly handOffBuffers: ReadonlyArray<SharedArrayBuffer | undefined>;
  /** The `--secret-source` secrets (k6/secrets). */
  readonly secrets: SecretTable;
  /** k6's "extended" compatibility mode: `global` is an alias of `globalThis`. */
  readonly globalAlias: boolean;
  /** k6's `freeze-env` feature: `__ENV` is frozen. */
  readonly freezeEnv: boolean;
  /** `SSLKEYLOGFILE` is set: TLS connections post their session keys ('keylog') to the main thread. */
  readonly keyLog: boolean;
  /** The system environment's K6_BROWSER_* variables: k6/browser reads its settings there, as k6 does. */
  readonly browserEnv: Readonly<Record<string, string>>;
}

export type MainToWorker =
  | { readonly type: 'init'; readonly init: WorkerInit }
  | { readonly type: 'start'; readonly testStart: number; readonly runStart: number; readonly setupData: string | undefined }
  | { readonly type: 'stop' };

export interface WorkerStatus {
  readonly vusActive: number;
  readonly vusInitialized: number;
  readonly scenarios: ReadonlyArray<{ readonly name: string } & ExecutorProgress>;
}

export type WorkerToMain =
  /** The worker thread is up and begins its VUs' init. */
  | { readonly type: 'init-start' }
  | { readonly type: 'ready'; readonly vus: number }
  | {
    readonly type: 'failed'; readonly phase: 'init' | 'run'; readonly message: string; readonly abort: boolean;
    /** The test-wide id of the VU whose init code failed (phase 'init'). */
    readonly vuId?: number;
  }
  | { readonly type: 'metrics'; readonly batches: MetricsBatch[]; readonly status: WorkerStatus }
  | { readonly type: 'log'; readonly level: LogLevel; readonly msg: string; readonly fields?: Readonly<Record<string, string>> }
  | { readonly type: 'abort-test'; readonly message: string }
  | { readonly type: 'fail-test'; readonly message: string }
  /** An arrival-rate scenario had all of this worker's VUs busy and dropped an iteration. */
  | { readonly type: 'out-of-vus'; readonly scenario: string; readonly executor: string }
  | { readonly type: 'output'; readonly chunk: string }
  /** A script got this secret: the main thread's log redacts it from now on (posted before the script has it). */
  | { readonly type: 'secret'; readonly value: string }
  /** NSS key log lines of a TLS connection (SSLKEYLOGFILE), newline-terminated; the main thread writes them. */
  | { readonly type: 'keylog'; readonly lines: string }
  | { readonly type: 'done'; readonly batches: MetricsBatch[]; readonly status: WorkerStatus };
