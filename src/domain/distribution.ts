// Load-zone distribution of a run: from `options.cloud.distribution` (k6's shape
// `{label: {loadZone, percent}}`) or the default zone at 100%.
import { StampedeError } from '../core/index.ts';

/** k6 Cloud's default load zone; scripts written for Grafana Cloud name it, so Stampede's own zone uses this id. */
export const DEFAULT_LOAD_ZONE_ID = 'amazon:us:ashburn';

/** v6 DistributionZoneApiModel. */
export interface DistributionZone {
  load_zone: string;
  percent: number;
}

/** v6 NodeApiModel: one runner that carried (part of) a run. */
export interface RunnerNode {
  size: string;
  public_ip: string;
}

/** v6 TestRunDistributionApiModel.distribution: per load zone, its share and runners. */
export type RunnerDistribution = Record<string, { percentage: number; nodes: RunnerNode[] }>;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A run's distribution option and where it sits: `options.cloud.distribution`, or, for a script with
 * no `cloud` option, the legacy `options.ext.loadimpact.distribution`. k6 before v2 read its cloud
 * settings from either (`cloud` first, else `ext.loadimpact`: cloudapi's pickSource), and Grafana
 * Cloud k6 distributes the runs of scripts and archives written that way; k6 v2 dropped the legacy
 * key from its own config, but those scripts are still started on the cloud API.
 */
export function distributionOption(options: Record<string, unknown> | null | undefined): { raw: unknown; target: string } {
  const cloud = options?.['cloud'];
  const ext = options?.['ext'];
  const legacy = isRecord(ext) ? ext['loadimpact'] : undefined;
  if ((cloud === undefined || cloud === null) && isRecord(legacy)) return { raw: legacy['distribution'], target: 'options.ext.loadimpact.distribution' };
  return { raw: isRecord(cloud) ? cloud['distribution'] : undefined, target: 'options.cloud.distribution' };
}

/** One entry of a distribution option: its label (`K6_CLOUDRUN_DISTRIBUTION`), zone and percent. */
export interface DistributionEntry {
  label: string;
  load_zone: string;
  percent: number;
}

/**
 * The entries of the distribution a run's options ask for (`distributionOption`), in the option's
 * order; the default zone at 100% (labelled with its id) when there is none. Each entry is one load
 * generator of its zone (two labels naming one zone are two, as each has its own label to tell).
 * Throws a validation error (target `options.cloud.distribution`, or the legacy option's path) for
 * unknown zones, bad percents, or percents not summing to 100. `unavailableZones` (zones that exist
 * but may not carry runs) only make that error say so.
 */
export function distributionEntries(options: Record<string, unknown> | null, knownZones: readonly string[], defaultZone: string = DEFAULT_LOAD_ZONE_ID, unavailableZones: readonly string[] = []): DistributionEntry[] {
  const { raw, target } = distributionOption(options);
  if (raw === undefined || raw === null) return [{ label: defaultZone, load_zone: defaultZone, percent: 100 }];
  const problems: { target: string; message: string }[] = [];
  const entries: DistributionEntry[] = [];
  if (!isRecord(raw)) problems.push({ target, message: 'distribution must be an object of {loadZone, percent}' });
  else {
    for (const [label, entry] of Object.entries(raw)) {
      const zone = isRecord(entry) ? entry['loadZone'] : undefined;
      const percent = isRecord(entry) ? entry['percent'] : undefined;
      if (typeof zone === 'string' && !knownZones.includes(zone) && unavailableZones.includes(zone)) {
        problems.push({ target: `${target}.${label}.loadZone`, message: `load zone ${JSON.stringify(zone)} is not available for runs now; available: ${knownZones.join(', ')}` });
      } else if (typeof zone !== 'string' || !knownZones.includes(zone)) {
        problems.push({ target: `${target}.${label}.loadZone`, message: `unknown load zone ${JSON.stringify(zone)}; known: ${knownZones.join(', ')}` });
      } else if (typeof percent !== 'number' || !Number.isInteger(percent) || percent < 1 || percent > 100) {
        problems.push({ target: `${target}.${label}.percent`, message: 'percent must be an integer from 1 to 100' });
      } else {
        entries.push({ label, load_zone: zone, percent });
      }
    }
    const total = entries.reduce((a, e) => a + e.percent, 0);
    if (problems.length === 0 && total !== 100) problems.push({ target, message: `percents must add up to 100, not ${total}` });
  }
  if (problems.length > 0) throw new StampedeError('STAMPEDE_ERR_VALIDATION', problems[0]?.message, { target, details: problems });
  return entries;
}

/** Per load zone, in order of first mention, the percent of its entries together (the run's v6 `distribution`). */
export function zonesOf(entries: readonly DistributionEntry[]): DistributionZone[] {
  const zones = new Map<string, number>();
  for (const e of entries) zones.set(e.load_zone, (zones.get(e.load_zone) ?? 0) + e.percent);
  return [...zones].map(([load_zone, percent]) => ({ load_zone, percent }));
}

/** The distribution a run's options ask for, per load zone (`distributionEntries`, a zone named twice counted once). */
export function deriveDistribution(options: Record<string, unknown> | null, knownZones: readonly string[], defaultZone: string = DEFAULT_LOAD_ZONE_ID, unavailableZones: readonly string[] = []): DistributionZone[] {
  return zonesOf(distributionEntries(options, knownZones, defaultZone, unavailableZones));
}
