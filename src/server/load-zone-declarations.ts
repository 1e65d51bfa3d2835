// Load zones declared in the configuration (STAMPEDE_LOAD_ZONES), so a deployment can be set up
// without calling the admin API. A declaration only adds: a declared zone missing from the store is
// created (available, public) at start-up; one that exists is left as the admin API last set it, and
// zones that are not declared are kept.
import { StampedeError } from '../core/index.ts';
import { loadZoneIdProblem } from '../domain/index.ts';
import type { LoadZoneRecord, Store } from '../store/index.ts';

export interface DeclaredLoadZone {
  k6LoadZoneId: string;
  name: string;
}

const MAX_NAME = 255;

/**
 * Parses `k6id[=Name],…` (e.g. `amazon:de:frankfurt=Frankfurt runners,amazon:jp:tokyo`; a zone without
 * a name is named by its id). Returns the zones and the problems found, each naming `variable`.
 */
export function parseDeclaredLoadZones(raw: string | undefined, variable: string): { zones: DeclaredLoadZone[]; problems: string[] } {
  const zones: DeclaredLoadZone[] = [];
  const problems: string[] = [];
  for (const entry of (raw ?? '').split(',')) {
    if (entry.trim() === '') continue;
    const eq = entry.indexOf('=');
    const k6LoadZoneId = (eq < 0 ? entry : entry.slice(0, eq)).trim();
    const name = eq < 0 ? k6LoadZoneId : entry.slice(eq + 1).trim();
    const idProblem = loadZoneIdProblem(k6LoadZoneId);
    if (idProblem !== null) problems.push(`${variable}: ${idProblem}`);
    else if (name === '' || name.length > MAX_NAME) problems.push(`${variable}: the name of ${k6LoadZoneId} must be 1 to ${MAX_NAME} characters`);
    else if (zones.some((z) => z.k6LoadZoneId === k6LoadZoneId)) problems.push(`${variable}: ${k6LoadZoneId} is declared twice`);
    else zones.push({ k6LoadZoneId, name });
  }
  return { zones, problems };
}

/** Creates the declared zones the store does not have yet; returns those it created. */
export async function declareLoadZones(store: Pick<Store, 'loadZones'>, declared: readonly DeclaredLoadZone[]): Promise<LoadZoneRecord[]> {
  const existing = new Set((await store.loadZones.list()).map((z) => z.k6LoadZoneId));
  const created: LoadZoneRecord[] = [];
  for (const zone of declared) {
    if (existing.has(zone.k6LoadZoneId)) continue;
    try {
      created.push(await store.loadZones.create({ ...zone, available: true, public: true, customLoadRunnerImage: null }));
    } catch (err) {
      // Another server on the same database created it first: declared all the same.
      if (!(err instanceof StampedeError && err.code === 'STAMPEDE_ERR_CONFLICT')) throw err;
    }
  }
  return created;
}
