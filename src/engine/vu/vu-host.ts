// The contract between a VU's runtime and the k6 modules it hosts (k6/http, k6/metrics, k6/data, …).
// A module is created once per VU with `createXxxModule(host)` and returns the object that
// `import … from 'k6/xxx'` yields. Modules never reach for globals: everything comes through the host.
//
// Blocking calls. Scripts are transformed so that every call site checks whether the callee returned a
// *blocking* promise (one marked with `host.block(p)`), and awaits only those: that is how `http.get()`
// "returns the Response" and `sleep()` pauses just its own VU. A module function that blocks in k6
// (http.get, sleep, …) must return `host.block(promise)`. A function that returns a Promise in k6
// (http.asyncRequest) returns a plain, unmarked promise, which the script sees as a Promise.

import type { RequestRateLimit } from '../http/request-rate-limit.ts';

export type Tags = Readonly<Record<string, string>>;

export type MetricType = 'counter' | 'gauge' | 'rate' | 'trend';
export type MetricContains = 'default' | 'time' | 'data';

/** Where a VU's samples go. Implemented by the metrics aggregator of the VU's worker thread. */
export interface SampleSink {
  /** One sample of `metric` with these tags, timestamped now. */
  add(metric: string, tags: Tags, value: number): void;
  /** Several samples sharing one tag set (the series key is computed once). */
  addMany(tags: Tags, samples: ReadonlyArray<readonly [metric: string, value: number]>): void;
  /**
   * Sinks that record sample metadata (`--out json`): a sink whose samples also carry `metadata`
   * (k6's `exec.vu.metrics.metadata`). Others lack it and metadata is dropped.
   */
  withMetadata?(metadata: Readonly<Record<string, string>>): SampleSink;
}

/**
 * Takes the TLS session keys of a new connection, one NSS key log line at a time (a TLS socket's
 * 'keylog' event): `SSLKEYLOGFILE` (run/key-log.ts).
 */
export type KeyLogSink = (line: Buffer) => void;

/** The registry of metric definitions, shared by the VUs of a worker. */
export interface MetricRegistryView {
  /** Declares a custom metric; same name and type again returns quietly, another type throws. */
  define(name: string, type: MetricType, contains: MetricContains): void;
  get(name: string): { name: string; type: MetricType; contains: MetricContains } | undefined;
}

/** What the VU runtime knows at the moment a module function is called. */
export interface VuState {
  /** `__VU`: 1-based local VU id; 0 in the options-reading, setup, teardown and handleSummary VUs. */
  readonly id: number;
  /** Global VU id across instances (execution segments). */
  readonly idInTest: number;
  /** `__ITER`, or -1 outside iterations. */
  readonly iteration: number;
  /** Init context (module top level) vs. running an exported function. */
  readonly phase: 'init' | 'setup' | 'vu' | 'teardown' | 'summary';
  /** Current group path: "" at the root, "::a::b" when nested, "::setup"/"::teardown" there. */
  readonly groupPath: string;
  /** Name of the scenario the VU is running, or "" outside scenarios. */
  readonly scenario: string;
  /** Tags every sample of this VU carries now: run tags, scenario tags, `vu.tags` from k6/execution, `scenario`, `group`. */
  readonly tags: Tags;
}

/** The VU's logger; `fields` are the line's own fields (k6's `WithField`), e.g. `error`. */
export interface VuLogger {
  debug(msg: string, fields?: Readonly<Record<string, string>>): void;
  info(msg: string, fields?: Readonly<Record<string, string>>): void;
  warn(msg: string, fields?: Readonly<Record<string, string>>): void;
  error(msg: string, fields?: Readonly<Record<string, string>>): void;
}

/** The subset of consolidated k6 options modules read (k6 JS names). */
export interface VuOptions {
  readonly userAgent?: string;
  readonly maxRedirects?: number;
  readonly insecureSkipTLSVerify?: boolean;
  readonly noConnectionReuse?: boolean;
  readonly noVUConnectionReuse?: boolean;
  readonly discardResponseBodies?: boolean;
  readonly throw?: boolean;
  readonly batch?: number;
  readonly batchPerHost?: number;
  readonly hosts?: Readonly<Record<string, string>>;
  readonly httpDebug?: string;
  readonly systemTags?: readonly string[];
  readonly [key: string]: unknown;
}

/** Things a module may register to run at VU lifecycle points. */
export interface VuLifecycle {
  /**
   * Before every iteration and every setup/teardown call (k6 resets the VU cookie jar here). A hook
   * that returns a promise delays the call until it settled (k6/browser launches its browser).
   */
  onIterationStart(fn: () => void | Promise<void>): void;
  /**
   * After every iteration and every setup/teardown call, before the VU emits the call's samples
   * (modules count their sockets' bytes here with `VuHost.countBytes`, close idle connections for
   * noVUConnectionReuse).
   */
  onIterationEnd(fn: () => void | Promise<void>): void;
  /** When the VU is torn down at the end of the run. */
  onClose(fn: () => void | Promise<void>): void;
}

export interface VuHost {
  readonly state: VuState;
  readonly options: VuOptions;
  /** Replaced by the VU while `exec.vu.metrics.metadata` is not empty: read it at each use. */
  readonly samples: SampleSink;
  readonly metrics: MetricRegistryView;
  readonly log: VuLogger;
  readonly lifecycle: VuLifecycle;
  /**
   * Adds bytes the VU's sockets moved. As k6's dialer, the VU emits one data_sent/data_received
   * pair after every iteration and every setup/teardown call (zero when nothing moved), holding what
   * every module counted since the last one (internal/js/runner.go runFn, netext Dialer.IOSamples).
   */
  countBytes(sent: number, received: number): void;
  /** Marks a promise as blocking: the transformed script awaits it at the call site. */
  block<T>(p: Promise<T>): Promise<T>;
  /**
   * block() for a promise that settles by itself as soon as `signal` aborts (a request the HTTP client
   * cancels, a sleep listening to the signal): no race with the interrupt is set up; once the promise
   * settled, an interrupted call throws. Cheaper per call than block().
   */
  blockCancellable<T>(p: Promise<T>): Promise<T>;
  /**
   * For a self-cancelling blocking call that marks and settles its own promise instead of going
   * through blockCancellable() (k6/http's requests): the error the call must reject with as it
   * settles, because the VU was interrupted; undefined when it was not.
   */
  interruption(): unknown;
  /**
   * True when blocking calls must resume through blockCancellable() or block(): their reaction
   * restores the VU's seeded Math.random right before the script continues.
   */
  readonly resumeHooks: boolean;
  /** Aborted when the VU's current iteration is interrupted (gracefulStop, abort): long waits must honour it. */
  readonly signal: AbortSignal;
  /**
   * Resolves after `ms`, or as soon as the VU's current call is interrupted (sleep()). Cheaper than a
   * timer plus an 'abort' listener on `signal`: a VU's AbortSignal has a map of its own, so Node's
   * EventTarget code runs megamorphic for every add and remove.
   */
  pause(ms: number): Promise<void>;
  /** Keeps the VU's event loop open until the returned function is called (asyncRequest, timers). */
  keepAlive(): () => void;
  /**
   * A promise settled as `p` is, on the VU's event loop (k6's RegisterCallback): while the VU is inside
   * a blocking call its callbacks wait until it has left it; the loop stays open until then.
   */
  settleOnLoop<T>(p: Promise<T>): Promise<T>;
  /** The instance's `rps` limit on HTTP requests, when set. */
  readonly requestRate?: RequestRateLimit | undefined;
  /** Where TLS connections log their session keys (`SSLKEYLOGFILE`); absent: nowhere. */
  readonly keyLog?: KeyLogSink | undefined;
}
