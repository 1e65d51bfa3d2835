import { describe, expect, it } from 'vitest';
import { consolidateOptions } from './consolidate.ts';
import { optionsToK6Json } from './options-json.ts';
import { parseOptionsObject } from './parse-options.ts';

describe('optionsToK6Json', () => {
  it('writes durations the way k6 prints them and survives a round trip', () => {
    const { options } = consolidateOptions({ script: { stages: [{ duration: 90_000, target: 3 }], setupTimeout: '2m' } });
    const json = optionsToK6Json(options);
    expect(json).toMatchObject({ stages: [{ duration: '1m30s', target: 3 }], setupTimeout: '2m0s', teardownTimeout: '1m0s' });
    const again = parseOptionsObject(JSON.parse(JSON.stringify(json)));
    expect(again.problems).toEqual([]);
    expect(again.options.stages).toEqual([{ duration: 90_000, target: 3 }]);
  });

  it('archive metadata durations are Go time.Duration strings to the nanosecond (µs under a millisecond)', () => {
    const { options } = consolidateOptions({ script: { minIterationDuration: '500us', setupTimeout: '1.2345678s', stages: [{ duration: '1.5ms', target: 1 }] } });
    const json = optionsToK6Json(options);
    expect(json).toMatchObject({ minIterationDuration: '500µs', setupTimeout: '1.2345678s', stages: [{ duration: '1.5ms', target: 1 }] });
    const again = parseOptionsObject(JSON.parse(JSON.stringify(json)));
    expect(again.problems).toEqual([]);
    expect(again.options.minIterationDuration).toBe(0.5);
  });
});
