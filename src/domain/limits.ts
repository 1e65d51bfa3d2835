// Per-project limits (v6 ProjectLimitsApiModel). A null limit means "unlimited". The check runs when
// a run initialises, with the engine's plan, and names the first limit the run would break.
import { computeCost } from './cost.ts';

export interface ProjectLimits {
  vuh_max_per_month: number | null;
  vu_max_per_test: number | null;
  vu_browser_max_per_test: number | null;
  duration_max_per_test: number | null;
}

export const PROJECT_LIMIT_NAMES = ['vuh_max_per_month', 'vu_max_per_test', 'vu_browser_max_per_test', 'duration_max_per_test'] as const;
export type ProjectLimitName = (typeof PROJECT_LIMIT_NAMES)[number];

export const NO_LIMITS: ProjectLimits = {
  vuh_max_per_month: null,
  vu_max_per_test: null,
  vu_browser_max_per_test: null,
  duration_max_per_test: null,
};

export interface PlannedRun {
  maxVus: number;
  maxBrowserVus: number;
  /** Planned duration in seconds (the execution plan's total, graceful stops included). */
  durationSeconds: number;
}

export interface LimitViolation {
  limit: ProjectLimitName;
  message: string;
}

/** The first violated limit, or null when the run fits. `vuhUsedThisMonth` excludes this run. */
export function checkProjectLimits(limits: ProjectLimits, run: PlannedRun, vuhUsedThisMonth: number): LimitViolation | null {
  if (limits.vu_max_per_test !== null && run.maxVus > limits.vu_max_per_test) {
    return { limit: 'vu_max_per_test', message: `vu_max_per_test exceeded: the test needs ${run.maxVus} VUs, the project allows ${limits.vu_max_per_test}` };
  }
  if (limits.vu_browser_max_per_test !== null && run.maxBrowserVus > limits.vu_browser_max_per_test) {
    return {
      limit: 'vu_browser_max_per_test',
      message: `vu_browser_max_per_test exceeded: the test needs ${run.maxBrowserVus} browser VUs, the project allows ${limits.vu_browser_max_per_test}`,
    };
  }
  if (limits.duration_max_per_test !== null && run.durationSeconds > limits.duration_max_per_test) {
    return {
      limit: 'duration_max_per_test',
      message: `duration_max_per_test exceeded: the test lasts up to ${run.durationSeconds}s, the project allows ${limits.duration_max_per_test}s`,
    };
  }
  if (limits.vuh_max_per_month !== null) {
    const vuh = computeCost(run).total_vuh;
    if (vuhUsedThisMonth + vuh > limits.vuh_max_per_month) {
      return {
        limit: 'vuh_max_per_month',
        message: `vuh_max_per_month exceeded: ${vuhUsedThisMonth} VUh used this month plus ${vuh} VUh for this test is over the ${limits.vuh_max_per_month} VUh allowed`,
      };
    }
  }
  return null;
}

/** Start of the calendar month (UTC) that `at` falls in: the window vuh_max_per_month counts. */
export function monthStart(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}
