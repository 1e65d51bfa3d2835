// Test-run lifecycle. The order of RUN_STATUSES is the order a healthy run moves through; `aborted`
// is reachable from every non-final status. Final statuses never change again.
import { StampedeError } from '../core/index.ts';

export const RUN_STATUSES = ['created', 'queued', 'initializing', 'running', 'processing_metrics', 'completed', 'aborted'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const FINAL_RUN_STATUSES = ['completed', 'aborted'] as const satisfies readonly RunStatus[];

export function isRunStatus(value: unknown): value is RunStatus {
  return typeof value === 'string' && (RUN_STATUSES as readonly string[]).includes(value);
}

export function isFinalStatus(status: RunStatus): boolean {
  return status === 'completed' || status === 'aborted';
}

/** v6 StatusExtraApiModel: who/why a status was set; all three keys are always present. */
export interface StatusExtra {
  by_user: string | null;
  message: string | null;
  code: number | null;
}

/** v6 StatusApiModel, stored exactly as the API shows it. */
export interface StatusEntry {
  type: RunStatus;
  entered: string;
  extra: StatusExtra | null;
}

/** Only the next status in RUN_STATUSES order, or `aborted`, is legal: the history shows every step. */
export function canTransition(from: RunStatus, to: RunStatus): boolean {
  if (isFinalStatus(from)) return false;
  if (to === 'aborted') return true;
  return RUN_STATUSES.indexOf(to) === RUN_STATUSES.indexOf(from) + 1;
}

export function assertTransition(from: RunStatus, to: RunStatus): void {
  if (!canTransition(from, to)) {
    throw new StampedeError('STAMPEDE_ERR_CONFLICT', isFinalStatus(from) ? `Test run has already ended (${from})` : `Test run cannot move from ${from} to ${to}`);
  }
}

export function statusEntry(type: RunStatus, entered: Date, extra: StatusExtra | null = null): StatusEntry {
  return { type, entered: entered.toISOString(), extra };
}

/** The history with `to` appended; throws a conflict when the move is illegal. */
export function appendStatus(history: readonly StatusEntry[], to: RunStatus, at: Date, extra: StatusExtra | null = null): StatusEntry[] {
  const last = history[history.length - 1];
  if (last !== undefined) assertTransition(last.type, to);
  return [...history, statusEntry(to, at, extra)];
}

/** Milliseconds spent in `running`, from the history; an unfinished `running` counts until `now`. */
export function runningMs(history: readonly StatusEntry[], now: Date): number {
  let ms = 0;
  history.forEach((entry, i) => {
    if (entry.type !== 'running') return;
    const next = history[i + 1];
    const end = next === undefined ? now.getTime() : Date.parse(next.entered);
    ms += Math.max(0, end - Date.parse(entry.entered));
  });
  return ms;
}

/** Whole seconds spent in `running` (v6 `execution_duration`). */
export function runningSeconds(history: readonly StatusEntry[], now: Date): number {
  return Math.round(runningMs(history, now) / 1000);
}
