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
