// A run's result: `passed` when it completed with every threshold held, `failed` when a threshold
// failed (also when abortOnFail stopped it), `error` when it did not complete for any other reason.
import { ABORT_CODES } from './abort.ts';
import type { StatusEntry } from './run-status.ts';

export const RUN_RESULTS = ['passed', 'failed', 'error'] as const;
export type RunResult = (typeof RUN_RESULTS)[number];

export function isRunResult(value: unknown): value is RunResult {
  return typeof value === 'string' && (RUN_RESULTS as readonly string[]).includes(value);
}

/** v6 ResultDetailsApiModel. */
export interface ResultDetails {
  type: RunResult;
  message: string | null;
  code: number | null;
}

export interface ResultInput {
  /** The final status entry (completed or aborted). */
  final: StatusEntry;
  /** Names of failed thresholds ("metric: expression"), empty when all held or none were defined. */
  failedThresholds: readonly string[];
}

export function deriveResult(input: ResultInput): ResultDetails {
  const { final, failedThresholds } = input;
  if (final.type === 'completed') {
    if (failedThresholds.length === 0) return { type: 'passed', message: null, code: null };
    return { type: 'failed', message: `Thresholds failed: ${failedThresholds.join(', ')}`, code: null };
  }
  const code = final.extra?.code ?? null;
  if (code === ABORT_CODES.threshold) {
    const which = failedThresholds.length > 0 ? `: ${failedThresholds.join(', ')}` : '';
    return { type: 'failed', message: `Aborted by a failed threshold${which}`, code };
  }
  return { type: 'error', message: final.extra?.message ?? 'Test run was aborted', code };
}
