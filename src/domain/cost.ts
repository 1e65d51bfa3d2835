// Test-run cost in virtual-user hours, per Grafana Cloud k6's billing rules: the run's max VUs times
// its duration in minutes rounded up to the whole minute, divided by 60. Browser VUs are billed at
// ten times a protocol VU. While a run is in progress the cost is an estimate from the planned
// duration; once it has ended the real seconds spent running are used.
//
// Reductions: a deployment may configure named reduction rates (0 ≤ r < 1, e.g. {"self_hosted": 0.5});
// they combine multiplicatively (effective = 1 − Π(1 − rᵢ)) and are listed in the breakdown. The
// default is none, so total_vuh = base_total_vuh.

export const BROWSER_VU_MULTIPLIER = 10;

/** v6 CostBreakdownApiModel. */
export interface CostBreakdown {
  protocol_vuh: number;
  browser_vuh: number;
  base_total_vuh: number;
  reduction_rate: number;
  reduction_rate_breakdown: Record<string, number> | null;
}

/** v6 TestCostApiModel. */
export interface TestCost {
  total_vuh: number;
  breakdown: CostBreakdown;
}

export type CostReductions = Readonly<Record<string, number>>;

export interface CostInput {
  /** Total VUs (protocol + browser) at the plan's peak. */
  maxVus: number;
  maxBrowserVus: number;
  durationSeconds: number;
  reductions?: CostReductions;
}

// VUh values are kept to 4 decimals so sums and JSON stay free of float noise.
function round4(n: number): number {
  return Math.round(n * 10_000) / 10_000;
}

export function billedMinutes(durationSeconds: number): number {
  return Math.ceil(Math.max(0, durationSeconds) / 60);
}

export function computeCost(input: CostInput): TestCost {
  const minutes = billedMinutes(input.durationSeconds);
  const browserVus = Math.max(0, input.maxBrowserVus);
  const protocolVus = Math.max(0, input.maxVus - browserVus);
  const protocol = (protocolVus * minutes) / 60;
  const browser = (browserVus * minutes * BROWSER_VU_MULTIPLIER) / 60;
  const base = protocol + browser;
  const entries = Object.entries(input.reductions ?? {});
  const keep = entries.reduce((acc, [, rate]) => acc * (1 - rate), 1);
  const reductionRate = 1 - keep;
  return {
    total_vuh: round4(base * keep),
    breakdown: {
      protocol_vuh: round4(protocol),
      browser_vuh: round4(browser),
      base_total_vuh: round4(base),
      reduction_rate: round4(reductionRate),
      reduction_rate_breakdown: entries.length === 0 ? null : Object.fromEntries(entries),
    },
  };
}

/** Checks deployment-configured reductions once at start-up; returns the problems found. */
export function validateReductions(reductions: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const [name, rate] of Object.entries(reductions)) {
    if (typeof rate !== 'number' || !Number.isFinite(rate) || rate < 0 || rate >= 1) {
      problems.push(`reduction ${name} must be a number in [0, 1)`);
    }
  }
  return problems;
}
