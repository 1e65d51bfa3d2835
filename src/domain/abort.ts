// Why a run was aborted, with k6's cloud run-status numbers (cloudapi/run_status.go) so clients that
// know k6 can tell the reasons apart from `extra.code` alone.
import type { StatusExtra } from './run-status.ts';

export const ABORT_CODES = {
  timed_out: 4,
  by_user: 5,
  by_system: 6,
  script_error: 7,
  threshold: 8,
  limit: 9,
} as const;
export type AbortReason = keyof typeof ABORT_CODES;
export const ABORT_REASONS = Object.keys(ABORT_CODES) as AbortReason[];

const DEFAULT_MESSAGES: Record<AbortReason, string> = {
  timed_out: 'Test run timed out',
  by_user: 'Test run aborted by user',
  by_system: 'Test run aborted by the system',
  script_error: 'Test run aborted by a script error',
  threshold: 'Test run aborted because a threshold failed',
  limit: 'Test run aborted because it exceeded a limit',
};

export function abortExtra(reason: AbortReason, opts: { byUser?: string | null; message?: string | null } = {}): StatusExtra {
  return {
    by_user: reason === 'by_user' ? (opts.byUser ?? null) : null,
    message: opts.message ?? DEFAULT_MESSAGES[reason],
    code: ABORT_CODES[reason],
  };
}

/**
 * k6's mapping from an engine abort reason to a run status (internal/output/cloud/output.go
 * getRunStatus): `test.abort()` counts as a user abort, a timeout as a limit abort.
 */
export function abortReasonFromEngine(reason: string): AbortReason {
  // The engine spells reasons as k6 does (`script-error`); underscores are accepted too.
  switch (reason.replace(/_/g, '-')) {
    case 'user':
    case 'script-abort':
      return 'by_user';
    case 'threshold':
      return 'threshold';
    case 'script-error':
      return 'script_error';
    case 'timeout':
      return 'limit';
    default:
      return 'by_system';
  }
}
