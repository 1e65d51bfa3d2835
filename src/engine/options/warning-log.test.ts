import { describe, expect, it } from 'vitest';
import { warningLogEntry } from './warning-log.ts';
import { parseOptionsObject } from './parse-options.ts';

describe('a load warning as k6 logs it', () => {
  it('the unknown-options warning carries Go\'s decoding error in an error field (k6: logger.WithError(err).Warn)', () => {
    const [warning] = parseOptionsObject({ vus: 1, vusMax: 2 }).warnings;
    expect(warningLogEntry(warning ?? '')).toEqual({
      msg: 'There were unknown fields in the options exported in the script',
      fields: { error: 'json: unknown field "vusMax"' },
    });
  });

  it('other warnings are the message alone', () => {
    expect(warningLogEntry('`vus=2` overrides scenarios configuration')).toEqual({ msg: '`vus=2` overrides scenarios configuration' });
  });
});
