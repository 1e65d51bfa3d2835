import { describe, expect, it } from 'vitest';
import { checkCommandEnvBools, envNullBool } from './env-null-bool.ts';

describe('envNullBool (k6 Config null.Bool variables through envconfig)', () => {
  it('reads true and false; missing, empty and "null" are not set', () => {
    expect(envNullBool({ K6_LINGER: 'true' }, 'K6_LINGER', 'Linger')).toBe(true);
    expect(envNullBool({ K6_LINGER: 'false' }, 'K6_LINGER', 'Linger')).toBe(false);
    for (const env of [{}, { K6_LINGER: '' }, { K6_LINGER: 'null' }]) expect(envNullBool(env, 'K6_LINGER', 'Linger')).toBeUndefined();
  });

  it("rejects everything else, Go's other spellings too, with k6's envconfig error and 104", () => {
    for (const bad of ['1', 't', 'TRUE', 'yes']) {
      expect(() => envNullBool({ K6_NO_USAGE_REPORT: bad }, 'K6_NO_USAGE_REPORT', 'NoUsageReport')).toThrow(expect.objectContaining({
        exitCode: 104,
        message: `envconfig.Process: assigning K6_NO_USAGE_REPORT to NoUsageReport: converting '${bad}' to type null.Bool. details: invalid input:${bad}`,
      }));
    }
  });

  it('checks K6_LINGER, K6_NO_USAGE_REPORT and K6_WEB_DASHBOARD in the order of k6 Config', () => {
    expect(() => checkCommandEnvBools({ K6_NO_USAGE_REPORT: 'true', K6_LINGER: 'false', K6_WEB_DASHBOARD: '' })).not.toThrow();
    expect(() => checkCommandEnvBools({ K6_WEB_DASHBOARD: 'x', K6_NO_USAGE_REPORT: 'y' })).toThrow(/assigning K6_NO_USAGE_REPORT/);
    expect(() => checkCommandEnvBools({ K6_WEB_DASHBOARD: 'x', K6_LINGER: 'y' })).toThrow(/assigning K6_LINGER/);
  });
});
