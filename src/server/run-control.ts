// What the HTTP layer needs from whatever makes runs happen. The production implementation adapts the
// orchestrator; tests pass a small in-test implementation. The server never executes user code itself.

import type { Orchestrator } from '../orchestrator/index.ts';
import type { ScriptContentType } from '../store/index.ts';

export type { Checked, OptionsPlan, ScriptInspection } from '../orchestrator/index.ts';
export type { ScriptContentType } from '../store/index.ts';

/**
 * start(runId) hands a freshly created run over for queueing and execution; abort(runId, byUser) asks a
 * non-final run to stop (byUser: the aborting user's email, null for a stack token); inspectScript reads
 * a script's options, plan and dependencies without running it here; planOptions validates an options
 * object and computes its execution-plan numbers (k6's arithmetic).
 */
export type RunControl = Pick<Orchestrator, 'start' | 'abort' | 'inspectScript' | 'planOptions'>;

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
