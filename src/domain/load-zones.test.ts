import { describe, expect, it } from 'vitest';
import { defaultLoadZone, loadZoneIdProblem, runNeedsLoadZone } from './load-zones.ts';

describe('load zone ids', () => {
  it('accepts the ids k6 scripts name', () => {
    for (const id of ['amazon:us:ashburn', 'ops-playground-plz', 'dc:paris-2', 'gcp:europe-west1:b', 'a', 'zone_1.eu']) expect(loadZoneIdProblem(id), id).toBeNull();
  });
  it('refuses ids a script could not name unambiguously', () => {
    for (const id of ['', 'Amazon:US:Ashburn', 'amazon::ashburn', ':eu', 'eu:', 'dc paris', 'eu-', '-eu', 'dc/paris', 'x'.repeat(101)]) {
      expect(loadZoneIdProblem(id), id).toMatch(/k6_load_zone_id/);
    }
  });
});

describe('the default zone', () => {
  it('is the first zone by id, whatever the order given', () => {
    expect(defaultLoadZone([{ id: 7 }, { id: 3 }, { id: 5 }])).toEqual({ id: 3 });
    expect(defaultLoadZone([])).toBeUndefined();
  });
});

describe('whether an unfinished run needs a zone', () => {
  const script = (s: string) => new TextEncoder().encode(s);
  it('follows the planned distribution once there is one', () => {
    const distribution = [{ load_zone: 'amazon:us:ashburn', percent: 50 }, { load_zone: 'dc:paris', percent: 50 }];
    expect(runNeedsLoadZone('dc:paris', { distribution, script: script('') })).toBe(true);
    expect(runNeedsLoadZone('dc:berlin', { distribution, script: script("loadZone: 'dc:berlin'") })).toBe(false);
  });
  it('reads the script while the options are not known yet', () => {
    expect(runNeedsLoadZone('dc:paris', { distribution: null, script: script("cloud: { distribution: { p: { loadZone: 'dc:paris', percent: 100 } } }") })).toBe(true);
    expect(runNeedsLoadZone('dc:paris', { distribution: null, script: script('export default function () {}') })).toBe(false);
    expect(runNeedsLoadZone('dc:paris', { distribution: null, script: null })).toBe(false);
  });
});
