import { describe, expect, it } from 'vitest';
import { batchPrecision, goFloat, influxLines } from './influxdb-line.ts';
import type { PointSample } from './sample-output.ts';

const sample = (over: Partial<PointSample>): PointSample => ({
  metric: 'http_req_duration', type: 'trend', contains: 'time', time: Date.UTC(2026, 10, 27, 10, 0, 0, 123), value: 12.5, tags: {}, metadata: undefined, ...over,
});

describe('influxdb line protocol', () => {
  it('measurement, sorted tags (escaped, empty ones left out), value and typed tag fields, nanoseconds', () => {
    const kinds = new Map([['url', 'string'], ['vu', 'int'], ['ok', 'bool'], ['ratio', 'float']] as const);
    const body = influxLines([sample({
      metric: 'my metric,x',
      tags: { status: '200', name: 'a b,c=d', group: '', url: 'http://h/"q"\\', vu: '3', ok: 'T', ratio: 'n/a' },
    })], kinds, 'ns');
    expect(body).toBe('my\\ metric\\,x,name=a\\ b\\,c\\=d,status=200 ok=true,ratio="n/a",url="http://h/\\"q\\"\\\\",value=12.5,vu=3i 1795773600123000000\n');
  });

  it('precision divides the nanoseconds as influxdb1-client does; Go-unknown units are NewBatchPoints errors', () => {
    expect(influxLines([sample({})], new Map(), 's')).toBe('http_req_duration value=12.5 1795773600\n');
    expect(influxLines([sample({})], new Map(), 'ms')).toBe('http_req_duration value=12.5 1795773600123\n');
    expect(batchPrecision('')).toBe('ns');
    expect(batchPrecision('ms')).toBe('ms');
    expect(() => batchPrecision('u')).toThrow('time: unknown unit "u" in duration "1u"');
  });

  it('floats as Go FormatFloat(\'f\', -1): no exponent; a non-finite value fails the batch', () => {
    expect(goFloat(1e-7)).toBe('0.0000001');
    expect(goFloat(1.5e21)).toBe('1500000000000000000000');
    expect(goFloat(-2.5e-8)).toBe('-0.000000025');
    expect(goFloat(3)).toBe('3');
    expect(() => influxLines([sample({ value: Infinity })], new Map(), 'ns')).toThrow('+/-Inf is an unsupported value for field value');
  });
});
