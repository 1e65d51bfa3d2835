import { describe, expect, it } from 'vitest';
import { readStatusPatch } from './rest-api-status-patch.ts';

describe('PATCH /v1/status body, decoded as k6 decodes its StatusJSONAPI', () => {
  it('reads paused, stopped, vus and vus-max; null or absent fields stay unset', () => {
    expect(readStatusPatch('{"data":{"type":"status","id":"default","attributes":{"paused":false}}}')).toEqual({ stopped: false, paused: false });
    expect(readStatusPatch('{"data":{"attributes":{"stopped":true,"paused":null}}}')).toEqual({ stopped: true });
    expect(readStatusPatch('{"data":{"attributes":{"vus":3,"vus-max":null}}}')).toEqual({ stopped: false, vus: 3 });
    expect(readStatusPatch('{}')).toEqual({ stopped: false });
  });

  it('matches field names ignoring case, as Go does', () => {
    expect(readStatusPatch('{"Data":{"Attributes":{"Paused":false}}}')).toEqual({ stopped: false, paused: false });
  });

  it('answers malformed or wrongly typed bodies with an error text', () => {
    expect(readStatusPatch('')).toBe('unexpected end of JSON input');
    expect(readStatusPatch('[]')).toBe('json: cannot unmarshal array into Go value of type v1.StatusJSONAPI');
    expect(readStatusPatch('{"data":{"attributes":{"paused":"no"}}}')).toBe('json: cannot unmarshal string into Go value of type null.Bool');
    expect(readStatusPatch('{"data":{"attributes":{"stopped":1}}}')).toBe(
      'json: cannot unmarshal number into Go struct field StatusJSONAPI.data.attributes.stopped of type bool',
    );
    expect(readStatusPatch('{"data":{"attributes":{"vus":1.5}}}')).toBe('json: cannot unmarshal number 1.5 into Go value of type int64');
  });
});
