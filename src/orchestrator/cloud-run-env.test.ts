import { describe, expect, it } from 'vitest';
import { cloudRunEnv } from './cloud-run-env.ts';

describe('cloud execution context variables', () => {
  it('name the run, the zone, the instance and the distribution label that chose the zone', () => {
    const options = { cloud: { distribution: { east: { loadZone: 'amazon:us:ashburn', percent: 50 }, west: { loadZone: 'amazon:us:portland', percent: 50 } } } };
    expect(cloudRunEnv(17, 'amazon:us:portland', 1, options)).toEqual({
      K6_CLOUDRUN_TEST_RUN_ID: '17',
      K6_CLOUDRUN_LOAD_ZONE: 'amazon:us:portland',
      K6_CLOUDRUN_INSTANCE_ID: '1',
      K6_CLOUDRUN_DISTRIBUTION: 'west',
    });
  });

  it('without a distribution option the label is the zone itself', () => {
    expect(cloudRunEnv(3, 'amazon:us:ashburn', 0, { vus: 1 }).K6_CLOUDRUN_DISTRIBUTION).toBe('amazon:us:ashburn');
    expect(cloudRunEnv(3, 'amazon:us:ashburn', 0, null).K6_CLOUDRUN_DISTRIBUTION).toBe('amazon:us:ashburn');
  });

  it('the label of a legacy options.ext.loadimpact.distribution', () => {
    const options = { ext: { loadimpact: { distribution: { dublin: { loadZone: 'amazon:ie:dublin', percent: 100 } } } } };
    expect(cloudRunEnv(3, 'amazon:ie:dublin', 0, options).K6_CLOUDRUN_DISTRIBUTION).toBe('dublin');
  });
});
