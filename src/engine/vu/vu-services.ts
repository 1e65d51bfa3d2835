// What one worker thread (or the main thread, for the options and service VUs) provides to its VUs.
import type { KeyLogSink, MetricRegistryView, SampleSink, Tags, VuOptions } from './vu-host.ts';
import type { LogSink } from './log-sink.ts';
import type { ScriptFactory, ScriptRealm } from './script-realm.ts';
import type { SharedArrayStore } from '../modules/data-module.ts';
import type { RequestRateLimit } from '../http/request-rate-limit.ts';
import type { SecretStore } from '../modules/secret-store.ts';

/** Files for `open()`: the options VU reads through the engine io; other VUs only what it read. */
export interface FileSource {
  read(absolutePath: string): Uint8Array | Promise<Uint8Array>;
  /** True while the test's first init (VU 0's) finds the files the test opens; later inits only read what it found. */
  readonly recording?: boolean;
}

/** A one-slot flag another thread can raise while this one is stuck in a loop (SharedArrayBuffer). */
export interface StopFlag {
  isRaised(): boolean;
}

/** Instance-wide facts k6/execution exposes, and the test-level actions it offers. */
export interface ExecutionFacts {
  iterationsCompleted(): number;
  iterationsInterrupted(): number;
  vusActive(): number;
  vusInitialized(): number;
  /** Epoch ms of t=0 (0 before the executors started). */
  testStart(): number;
  /** Epoch ms the test run started, just before setup() (k6 MarkStarted; 0 before). */
  runStart(): number;
  scenario(name: string): { executor: string; startTime: number; progress: number } | undefined;
  /** Consolidated options without vus/iterations/duration/stages, as `exec.test.options`. */
  testOptions(): unknown;
  abortTest(message: string): void;
  failTest(message: string): void;
}

export interface VuServices {
  readonly realm: ScriptRealm;
  readonly factory: ScriptFactory;
  /**
   * The optional modules (protocols, extensions, jslib) the script's code names, loaded before a VU's
   * init (vu-modules.ts `optionalModulesIn`); undefined: every one.
   */
  readonly optionalModules?: readonly string[];
  readonly options: VuOptions;
  /** Run-level tags (`options.tags`, `--tag`), carried by every sample. */
  readonly runTags: Tags;
  /** `__ENV` before scenario env is layered on. */
  readonly env: Readonly<Record<string, string>>;
  /** k6's `freeze-env` feature: `__ENV` is a frozen object. */
  readonly freezeEnv?: boolean;
  readonly samples: SampleSink;
  readonly metrics: MetricRegistryView;
  readonly log: LogSink;
  /** Where iteration exceptions are logged (rate-limited). */
  readonly errorLog: LogSink;
  readonly files: FileSource;
  /** Directory of the main script (absolute or archive-virtual), for relative `open()` paths. */
  readonly scriptDir: string;
  readonly sharedArrays: SharedArrayStore;
  readonly execution: ExecutionFacts;
  readonly stop: StopFlag;
  /** The instance's `rps` limit, shared by every thread; undefined when rps is off. */
  readonly requestRate?: RequestRateLimit | undefined;
  /** The script uses promises: unhandled rejections are attributed to VUs (promise-owners.ts). */
  readonly trackRejections?: boolean;
  /** Epoch ms clock. */
  readonly now: () => number;
  /** The `--secret-source` secrets k6/secrets reads (none configured when absent). */
  readonly secrets?: SecretStore;
  /** `SSLKEYLOGFILE`: where TLS connections log their session keys. */
  readonly keyLog?: KeyLogSink | undefined;
  /** The system environment's K6_BROWSER_* variables, which k6/browser reads (absent: none set). */
  readonly browserEnv?: Readonly<Record<string, string>>;
}
