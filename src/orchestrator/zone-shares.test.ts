import { describe, expect, it } from 'vitest';
import { zoneShares } from './zone-shares.ts';

describe('zoneShares', () => {
  it('gives each load zone the execution segment of its percent, within one sequence', () => {
    expect(zoneShares([{ label: 'la', load_zone: 'a', percent: 30 }, { label: 'lb', load_zone: 'b', percent: 45 }, { label: 'lc', load_zone: 'c', percent: 25 }])).toEqual([
      { loadZone: 'a', label: 'la', segment: '0:3/10', sequence: '0,3/10,3/4,1' },
      { loadZone: 'b', label: 'lb', segment: '3/10:3/4', sequence: '0,3/10,3/4,1' },
      { loadZone: 'c', label: 'lc', segment: '3/4:1', sequence: '0,3/10,3/4,1' },
    ]);
  });

  it('gives a single zone the whole run', () => {
    expect(zoneShares([{ label: 'a', load_zone: 'a', percent: 100 }])).toEqual([{ loadZone: 'a', label: 'a', segment: '0:1', sequence: '0,1' }]);
  });

  it('refuses percents that do not cover the run', () => {
    expect(() => zoneShares([{ label: 'a', load_zone: 'a', percent: 40 }, { label: 'b', load_zone: 'b', percent: 40 }])).toThrow(/80, not 100/);
  });
});
