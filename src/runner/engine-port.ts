// The slice of the engine's public surface (docs/architecture.md, "Engine public surface") that the
// runner drives. Kept structural so a test can hand the runner a stand-in engine module; the real
// engine is checked against it at compile time (real-engine.ts).

export interface EngineIoPort {
  cwd: string;
  env: Record<string, string>;
  readFile(path: string): Promise<Uint8Array>;
  writeFile(path: string, data: string | Uint8Array): Promise<void>;
  stdout: { write(s: string): void; isTTY: boolean; columns?: number };
  stderr: { write(s: string): void; isTTY: boolean };
  /** Each engine log line as an entry (epoch ms time) instead of a formatted line on stderr. */
  logEntries?: { write(entry: { time: number; level: 'debug' | 'info' | 'warn' | 'error'; msg: string; fields: Readonly<Record<string, string>> }): void };
}

export interface EnginePlanPort {
  maxVUs: number;
  maxPlannedVUs: number;
  totalDurationMs: number;
  maxBrowserVUs?: number;
}

export interface EngineRunResultPort {
  exitCode: number;
  abortReason?: string;
  abortMessage?: string;
  summaryData: unknown;
  thresholds?: unknown;
  testRunDurationMs: number;
}

export interface EngineRunningTestPort {
  abort(reason: string, message?: string): void;
  onMetrics(cb: (batch: unknown) => void): void;
  progress(): unknown;
  result: Promise<EngineRunResultPort>;
}

export interface EngineLoadedTestPort {
  /** Consolidated options (defaults filled in). */
  options: unknown;
  /** The options as the script declared them, when the engine offers them. */
  scriptOptions?: unknown;
  plan: EnginePlanPort;
  warnings: readonly string[];
  /** The metrics engine's warnings (thresholds on the vu/iter tags), when the engine keeps them apart. */
  thresholdWarnings?: readonly string[];
  /** The build dependencies the test declares (k6 v2's archive `dependencies`), when the engine works them out. */
  dependencies?: Readonly<Record<string, string>>;
  /** `env`: variables added to the VUs' `__ENV` under the run's own (the engine's RunHooks.env). */
  start(hooks?: { env?: Record<string, string> }): EngineRunningTestPort;
}

export interface EnginePort {
  /** The k6 version whose behaviour the engine reproduces (e.g. "2.2.0"), when it says. */
  k6Version?: string;
  loadTest(input: { name: string; data: Uint8Array }, flags: EngineFlagsPort, io: EngineIoPort): Promise<EngineLoadedTestPort>;
  /**
   * True while a run of the engine takes this thread's unhandled rejections itself (they are the
   * script's: they fail a VU's call or are logged, as in k6), so the runner must not fail on them.
   */
  capturesRejections?(): boolean;
}

/**
 * The run flags the runner sets: the `-e` variables, and for one share of a run spread over several
 * runners its execution segment with thresholds off (k6's `--execution-segment`,
 * `--execution-segment-sequence`, `--no-thresholds`); everything else comes from the script.
 */
export interface EngineFlagsPort {
  env?: Record<string, string>;
  executionSegment?: string;
  executionSegmentSequence?: string;
  noThresholds?: boolean;
  /** Always false: a run the orchestrator started has no one to resume it (k6's `paused` option). */
  paused?: boolean;
}

/** Engine errors carry a k6 exit code (104 invalid options, 107 script error); anything else is 255. */
export function engineErrorExitCode(err: unknown): number {
  const code = typeof err === 'object' && err !== null ? (err as { exitCode?: unknown }).exitCode : undefined;
  return typeof code === 'number' && Number.isInteger(code) ? code : 255;
}
