// What the HTTP layer needs from whatever makes runs happen. The production implementation adapts the
// orchestrator; tests pass a small in-test implementation. The server never executes user code itself.

export type ScriptContentType = 'text/javascript' | 'application/x-tar';

/** What a short-lived inspection of a script (or k6 archive) learned, in k6's arithmetic. */
export interface ScriptInspection {
  /** The options as the script declared them (the consolidated `options` export). */
  options: Record<string, unknown>;
  maxVus: number;
  maxBrowserVus: number;
  /** The execution plan's total duration, graceful stops included, in whole seconds. */
  estimatedDurationS: number;
  /** Declared k6 dependencies (`k6`, `k6/x/...`) with their version constraints. */
  dependencies: Record<string, string>;
}

/** The plan numbers of an options object, as `k6 inspect --execution-requirements` would report them. */
export interface OptionsPlan {
  maxVus: number;
  maxBrowserVus: number;
  estimatedDurationS: number;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; message: string; problems: string[] };

export interface RunControl {
  /** Hands a freshly created run (status `created`) over for queueing and execution. */
  start(runId: number): Promise<void>;
  /** Asks a non-final run to stop; `byUser` is the aborting user's email, null for a stack token. */
  abort(runId: number, byUser: string | null): Promise<void>;
  /** Reads a script's options, plan and dependencies without running it. */
  inspectScript(bytes: Uint8Array, contentType: ScriptContentType): Promise<Checked<ScriptInspection>>;
  /** Validates an options object and computes its execution-plan numbers. */
  planOptions(options: Record<string, unknown>): Promise<Checked<OptionsPlan>>;
}

// A k6 archive is a POSIX tar: "ustar" at offset 257 of the first header block. Anything else is
// taken to be JavaScript, as the v6 API documents.
export function detectScriptType(bytes: Uint8Array): ScriptContentType {
  if (bytes.length >= 512) {
    const magic = Buffer.from(bytes.subarray(257, 262)).toString('latin1');
    if (magic === 'ustar') return 'application/x-tar';
  }
  return 'text/javascript';
}

/**
 * The problem lines of a failed check worth showing a user: stack-trace frames and list headers
 * ("invalid options (2 problems):") are dropped, bullets unwrapped.
 */
export function readableProblems(message: string, problems: readonly string[]): string[] {
  const lines = problems
    .map((p) => p.trim())
    .filter((p) => p !== '' && !/^at\s/.test(p) && !/:$/.test(p))
    .map((p) => p.replace(/^[-*]\s+/, ''));
  return lines.length > 0 ? lines : [message];
}
