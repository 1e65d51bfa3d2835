import { describe, expect, it } from 'vitest';
import { configFileFeatures, resolveFeatures, runTagsWithFeatures } from './feature-flags.ts';

describe('feature flags (k6 internal/features)', () => {
  it('--features wins over K6_FEATURES, which wins over the config file; names are split on commas and trimmed', () => {
    expect(resolveFeatures({ cli: ['merge-run-tags'], env: { K6_FEATURES: 'freeze-env' }, json: ['native-histograms'] }).activated).toEqual(['merge-run-tags']);
    expect(resolveFeatures({ env: { K6_FEATURES: ' native-histograms , merge-run-tags' }, json: ['freeze-env'] }).activated).toEqual(['merge-run-tags', 'native-histograms']);
    expect(resolveFeatures({ env: {}, json: ['freeze-env'] }).activated).toEqual(['freeze-env']);
    // Given at all is enough: an empty surface still hides the lower ones.
    expect(resolveFeatures({ cli: [''], env: { K6_FEATURES: 'merge-run-tags' } }).activated).toEqual([]);
    expect(resolveFeatures({ env: { K6_FEATURES: '' }, json: ['merge-run-tags'] }).mergeRunTags).toBe(false);
    expect(resolveFeatures({ env: {} })).toEqual({ activated: [], mergeRunTags: false, log: [] });
  });

  it('an unknown name is an error line and nothing else; a known one is logged as enabled, once', () => {
    const r = resolveFeatures({ cli: ['merge-run-tags,bogus', 'merge-run-tags'], env: {} });
    expect(r.activated).toEqual(['merge-run-tags']);
    expect(r.mergeRunTags).toBe(true);
    expect(r.log).toEqual([
      { level: 'info', msg: 'Experimental feature enabled', fields: { feature: 'merge-run-tags', lifecycle: 'experimental' } },
      { level: 'error', msg: 'Unknown feature flag', fields: { feature: 'bogus', outcome: 'unknown', source: 'cli' } },
    ]);
    expect(resolveFeatures({ env: { K6_FEATURES: 'Merge-Run-Tags' } }).log[0]?.fields).toEqual({ feature: 'Merge-Run-Tags', outcome: 'unknown', source: 'env' });
  });

  it('the legacy K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM=true turns native-histograms on, with a warning', () => {
    const r = resolveFeatures({ env: { K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM: 'true' } });
    expect(r.activated).toEqual(['native-histograms']);
    expect(r.log[0]).toMatchObject({ level: 'warn', msg: 'Legacy env var detected, use --features or K6_FEATURES instead' });
    expect(resolveFeatures({ env: { K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM: 'false' } }).activated).toEqual([]);
  });

  it("active features are run tags; the options' own k6_feature_* tags are dropped", () => {
    expect(runTagsWithFeatures({ env: 'prod', k6_feature_x: 'true' }, ['merge-run-tags'])).toEqual({ env: 'prod', k6_feature_merge_run_tags: 'true' });
    expect(runTagsWithFeatures({ env: 'prod' }, [])).toEqual({ env: 'prod' });
  });

  it("the config file's features: a list, absent when missing or null", () => {
    expect(configFileFeatures({ features: ['merge-run-tags'] })).toEqual(['merge-run-tags']);
    expect(configFileFeatures({ features: [] })).toEqual([]);
    expect(configFileFeatures({ features: null })).toBeUndefined();
    expect(configFileFeatures({ vus: 1 })).toBeUndefined();
  });
});
