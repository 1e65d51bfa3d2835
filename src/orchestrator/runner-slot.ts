// One runner process of a run, as the run's execution tracks it. A run has one runner, or, when its
// distribution names several load zones, one per zone (each carrying its zone's execution segment)
// after a first runner planned the whole run and was dismissed.
import { abortExtra, abortReasonFromEngine } from '../domain/index.ts';
import type { AbortReason, StatusExtra } from '../domain/index.ts';
import type { FinishedInfo, RunnerExit, RunnerHandle, RunnerPhase } from '../runner/index.ts';
import type { ZoneShare } from './zone-shares.ts';

export interface RunnerSlot {
  readonly handle: RunnerHandle;
  /** Its load zone's share of the run; null for a runner planning (and, with one zone, carrying) the whole run. */
  readonly share: ZoneShare | null;
  lastHeard: number;
  phase: RunnerPhase | null;
  /** It reported its plan (a zone's runner waits for every zone's before running). */
  planned: boolean;
  finished: FinishedInfo | null;
  error: { message: string; exitCode: number } | null;
  exit: RunnerExit | null;
  killTimer: NodeJS.Timeout | null;
}

export function newSlot(handle: RunnerHandle, share: ZoneShare | null): RunnerSlot {
  return { handle, share, lastHeard: Date.now(), phase: null, planned: false, finished: null, error: null, exit: null, killTimer: null };
}

// k6 reports a threshold that only failed at the very end this way; the run itself completed.
const COMPLETED_ENGINE_REASONS = new Set(['thresholds_after_test_end', 'ThresholdsAfterTestEnd']);

/** Lines of an engine's abort message kept in the run's status (its error and where it was thrown). */
export const ABORT_MESSAGE_LINES = 3;
/** Characters of it kept, at most (the whole text is in the run's logs). */
export const ABORT_MESSAGE_CHARS = 500;

/**
 * The engine's abort message (a script error as the run's log prints it: the error, then its stack in
 * the script's lines) cut to its first lines and a bounded length for the run's status message.
 */
export function boundedMessage(text: string): string {
  const lines = text.trim().split(/\r?\n/);
  let kept = lines.slice(0, ABORT_MESSAGE_LINES).map((l) => l.trimEnd()).join('\n');
  let cut = lines.length > ABORT_MESSAGE_LINES;
  if (kept.length > ABORT_MESSAGE_CHARS) {
    kept = kept.slice(0, ABORT_MESSAGE_CHARS).trimEnd();
    cut = true;
  }
  return cut ? `${kept} …` : kept;
}

/** Why a runner's part of the run did not complete, or null when it did. */
export function slotFailure(slot: RunnerSlot): { reason: AbortReason; extra: StatusExtra } | null {
  const finished = slot.finished;
  if (finished !== null) {
    const reason = finished.abortReason;
    if (reason === undefined || COMPLETED_ENGINE_REASONS.has(reason)) return null;
    const why = abortReasonFromEngine(reason);
    const message = finished.abortMessage === undefined || finished.abortMessage.trim() === '' ? `The engine aborted the run (${reason})` : boundedMessage(finished.abortMessage);
    return { reason: why, extra: abortExtra(why, { message }) };
  }
  const error = slot.error;
  if (error !== null) {
    const why = error.exitCode === 104 || error.exitCode === 107 || error.exitCode === 108 ? 'script_error' : 'by_system';
    return { reason: why, extra: abortExtra(why, { message: error.message }) };
  }
  const exit = slot.exit;
  const how = exit === null ? 'never started' : exit.signal !== null ? `was killed (${exit.signal})` : `exited with code ${exit.code}`;
  const which = slot.share === null ? 'The runner process' : `The runner process of load zone ${slot.share.loadZone}`;
  return { reason: 'by_system', extra: abortExtra('by_system', { message: `${which} ${how} before the run ended` }) };
}
