// A run's load-zone distribution as k6 execution segments, one per entry (label): the entry with `percent` p
// takes the segment of length p/100, zones in the order the distribution lists them, so k6's striping
// (ExecutionTuple.ScaleInt64) hands each zone its share of every scenario's VUs and iterations, adding
// up exactly to the script's numbers, as k6 cloud splits a run over its load zones by percentage.
import type { DistributionEntry } from '../domain/index.ts';
import type { RunnerShare } from '../runner/index.ts';

export interface ZoneShare extends RunnerShare {
  loadZone: string;
  /** The distribution label of the entry (K6_CLOUDRUN_DISTRIBUTION); a zone named under two labels has a share for each. */
  label: string;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** `n/100` as k6 writes a rational point: "0", "1", or a reduced fraction "3/10". */
function point(n: number): string {
  if (n === 0) return '0';
  if (n === 100) return '1';
  const d = gcd(n, 100);
  return `${n / d}/${100 / d}`;
}

/** One share per distribution entry; percents are whole numbers adding up to 100 (distributionEntries' guarantee). */
export function zoneShares(distribution: readonly DistributionEntry[]): ZoneShare[] {
  const points = [0];
  for (const z of distribution) points.push((points.at(-1) ?? 0) + z.percent);
  if (points.at(-1) !== 100) throw new RangeError(`load zone percents add up to ${points.at(-1) ?? 0}, not 100`);
  const sequence = points.map(point).join(',');
  return distribution.map((z, i) => ({ loadZone: z.load_zone, label: z.label, segment: `${point(points[i] ?? 0)}:${point(points[i + 1] ?? 100)}`, sequence }));
}
