// Rules about an installation's load zones (the places runs can be carried from) that do not depend on
// how they are stored: the shape of a k6 load zone id, which zone is the default, and whether an
// unfinished run needs a zone.
import type { DistributionZone } from './distribution.ts';

/**
 * A k6 load zone id: colon-separated segments of lowercase letters and digits, inner `.`, `_` or `-`
 * allowed (`amazon:us:ashburn`, `ops-playground-plz`, `dc:paris-2`). Lowercase only, so two ids that
 * differ by case never name "the same" zone.
 */
const SEGMENT = '[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?';
const LOAD_ZONE_ID = new RegExp(`^${SEGMENT}(?::${SEGMENT})*$`);
export const MAX_LOAD_ZONE_ID_LENGTH = 100;

/** Why `id` is not a usable k6 load zone id, or null when it is. */
export function loadZoneIdProblem(id: string): string | null {
  if (id.length > MAX_LOAD_ZONE_ID_LENGTH) return `k6_load_zone_id must be at most ${MAX_LOAD_ZONE_ID_LENGTH} characters`;
  if (!LOAD_ZONE_ID.test(id)) {
    return `k6_load_zone_id ${JSON.stringify(id)} is not a load zone id: use lowercase letters, digits, ".", "_" or "-" in ":"-separated parts, like amazon:us:ashburn`;
  }
  return null;
}

/**
 * The default zone is the installation's first one (lowest id): the zone a run without
 * `options.cloud.distribution` runs in. It can neither be removed nor made unavailable, so it stays
 * the first available zone, which is what the orchestrator runs undistributed runs in.
 */
export function defaultLoadZone<Z extends { id: number }>(zones: readonly Z[]): Z | undefined {
  return zones.reduce<Z | undefined>((first, z) => (first === undefined || z.id < first.id ? z : first), undefined);
}

/** What is known of an unfinished run when deciding whether it needs a zone. */
export interface UnfinishedRunZones {
  /** The distribution the run was planned with; null until its options have been read. */
  distribution: readonly DistributionZone[] | null;
  /** The run's script (JS text or k6 archive); consulted only while the distribution is unknown. */
  script: Uint8Array | null;
}

/**
 * Whether an unfinished run needs the zone `k6LoadZoneId`: its planned distribution names it, or, before
 * its options have been read (queued runs), its script mentions the id. The script test is
 * conservative: a script naming the zone only in a comment also counts, one that builds the id at run
 * time does not (such a run is aborted with "unknown load zone" when it is planned).
 */
export function runNeedsLoadZone(k6LoadZoneId: string, run: UnfinishedRunZones): boolean {
  if (run.distribution !== null) return run.distribution.some((z) => z.load_zone === k6LoadZoneId);
  return run.script !== null && Buffer.from(run.script.buffer, run.script.byteOffset, run.script.byteLength).includes(k6LoadZoneId, 0, 'utf8');
}
