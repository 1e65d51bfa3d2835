import { describe, expect, it } from 'vitest';
import { secretSourceFlags } from './secret-source-flag.ts';

describe('--secret-source and K6_SECRET_SOURCE', () => {
  it('K6_SECRET_SOURCE is one whole source spec when no flag is given; flags replace it', () => {
    expect(secretSourceFlags({ secretSource: [] }, {})).toEqual({});
    expect(secretSourceFlags({ secretSource: [] }, { K6_SECRET_SOURCE: 'mock=name=a,cool=x,default' })).toEqual({ secretSources: ['mock=name=a,cool=x,default'] });
    expect(secretSourceFlags({ secretSource: [] }, { K6_SECRET_SOURCE: '' })).toEqual({ secretSources: [''] });
    expect(secretSourceFlags({ secretSource: ['mock=name=b,k=v'] }, { K6_SECRET_SOURCE: 'mock=name=a,k=v' })).toEqual({ secretSources: ['mock=name=b,k=v'] });
  });
});
