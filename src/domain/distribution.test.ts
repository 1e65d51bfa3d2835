import { describe, expect, it } from 'vitest';
import { StampedeError } from '../core/index.ts';
import { deriveDistribution } from './distribution.ts';

function problems(fn: () => unknown): { target?: string; message: string }[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof StampedeError) return err.details;
    throw err;
  }
  throw new Error('expected a validation error');
}

describe('a distribution naming zones that cannot carry it', () => {
  const options = { cloud: { distribution: { us: { loadZone: 'amazon:us:ashburn', percent: 50 }, jp: { loadZone: 'amazon:jp:tokyo', percent: 50 } } } };
  it('says a zone is unknown, listing the usable ones', () => {
    expect(problems(() => deriveDistribution(options, ['amazon:us:ashburn']))).toEqual([
      { target: 'options.cloud.distribution.jp.loadZone', message: 'unknown load zone "amazon:jp:tokyo"; known: amazon:us:ashburn' },
    ]);
  });
  it('says a zone that exists but is unavailable is not available', () => {
    expect(problems(() => deriveDistribution(options, ['amazon:us:ashburn'], undefined, ['amazon:jp:tokyo']))).toEqual([
      { target: 'options.cloud.distribution.jp.loadZone', message: 'load zone "amazon:jp:tokyo" is not available for runs now; available: amazon:us:ashburn' },
    ]);
  });
});

describe('the legacy options.ext.loadimpact.distribution', () => {
  const zones = ['amazon:us:ashburn', 'amazon:de:frankfurt'];
  const split = { a: { loadZone: 'amazon:us:ashburn', percent: 60 }, b: { loadZone: 'amazon:de:frankfurt', percent: 40 } };
  it('splits a script that has no cloud option, as k6 before v2 and Grafana Cloud k6 read it', () => {
    expect(deriveDistribution({ vus: 5, ext: { loadimpact: { distribution: split, name: 'old' } } }, zones)).toEqual([
      { load_zone: 'amazon:us:ashburn', percent: 60 },
      { load_zone: 'amazon:de:frankfurt', percent: 40 },
    ]);
  });
  it('gives way to options.cloud when both are set (k6 read cloud first)', () => {
    expect(deriveDistribution({ cloud: { projectID: 1 }, ext: { loadimpact: { distribution: split } } }, zones)).toEqual([{ load_zone: 'amazon:us:ashburn', percent: 100 }]);
  });
  it('names the legacy option in its errors', () => {
    expect(problems(() => deriveDistribution({ ext: { loadimpact: { distribution: { a: { loadZone: 'amazon:us:ashburn', percent: 70 } } } } }, zones))).toEqual([
      { target: 'options.ext.loadimpact.distribution', message: 'percents must add up to 100, not 70' },
    ]);
  });
});
