// k6's exit codes (errext/exitcodes/codes.go), kept exactly for compatibility, and the abort reasons
// (errext/abort_reason.go) that lead to them.
export const EXIT_CODES = {
  ok: 0,
  thresholdsFailed: 99,
  setupTimeout: 100,
  teardownTimeout: 101,
  genericTimeout: 102,
  /** k6's REST API stopped the run (PATCH /v1/status with stopped: true). */
  stoppedFromRestApi: 103,
  invalidConfig: 104,
  externalAbort: 105,
  /** The REST API server (--address) could not listen. */
  cannotStartRestApi: 106,
  scriptException: 107,
  scriptAborted: 108,
  markedAsFailed: 110,
  /**
   * An error k6 attaches no exit code to (a missing script file, a script without exported functions,
   * a malformed runtime flag): internal/cmd/root.go exits with -1, which the shell sees as 255.
   */
  noExitCode: 255,
} as const;

export const ABORT_REASONS = ['user', 'threshold', 'script-error', 'script-abort', 'timeout'] as const;
export type AbortReason = (typeof ABORT_REASONS)[number];

export function exitCodeForAbort(reason: AbortReason): number {
  switch (reason) {
    case 'user': return EXIT_CODES.externalAbort;
    case 'threshold': return EXIT_CODES.thresholdsFailed;
    case 'script-error': return EXIT_CODES.scriptException;
    case 'script-abort': return EXIT_CODES.scriptAborted;
    case 'timeout': return EXIT_CODES.genericTimeout;
  }
}

/** What k6's errext.Format adds to the log line of a script exception (init, setup, teardown): its hint and source. */
export const SCRIPT_EXCEPTION_FIELDS: Readonly<Record<string, string>> = { hint: 'script exception', source: 'stacktrace' };

/**
 * The same for an exception in the init code of a VU the run initialises (every VU but VU 0, which
 * only reads the options): k6's scheduler (internal/execution/scheduler.go initVU) wraps the error
 * with its own hint, and errext.WithHint keeps the old one in parentheses. `vuId` is test-wide.
 */
export function vuInitExceptionFields(vuId: number): Readonly<Record<string, string>> {
  return { hint: `error while initializing VU #${vuId} (${SCRIPT_EXCEPTION_FIELDS.hint})`, source: 'stacktrace' };
}

/** A failure before or around the run that ends it with a k6 exit code. */
export class EngineError extends Error {
  readonly exitCode: number;
  /** Fields for the error's log line (k6's errext.Format: `hint`, `source` of a script exception). */
  readonly fields: Readonly<Record<string, string>> | undefined;
  constructor(exitCode: number, message: string, options?: { cause?: unknown; fields?: Readonly<Record<string, string>> }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'EngineError';
    this.exitCode = exitCode;
    this.fields = options?.fields;
  }
}
