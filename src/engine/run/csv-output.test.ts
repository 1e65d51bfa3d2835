import { describe, expect, it } from 'vitest';
import { csvFromPointLines, parseCsvArgument } from './csv-output.ts';

const point = (metric: string, value: number, tags: Record<string, string>, metadata?: Record<string, string>): string =>
  JSON.stringify({ metric, type: 'Point', data: { time: '2026-01-02T03:04:05.678Z', value, tags, ...(metadata ? { metadata } : {}) } });

describe('--out csv', () => {
  it('reads the argument as k6 does: a file name, or key=value pairs; "-" is stdout, none is file.csv', () => {
    expect(parseCsvArgument('results.csv')).toEqual({ file: 'results.csv', timeFormat: 'unix' });
    expect(parseCsvArgument('-')).toEqual({ file: '-', timeFormat: 'unix' });
    expect(parseCsvArgument('')).toEqual({ file: 'file.csv', timeFormat: 'unix' });
    expect(parseCsvArgument('', { K6_CSV_FILENAME: 'env.csv' })).toEqual({ file: 'env.csv', timeFormat: 'unix' });
    expect(parseCsvArgument('fileName=r.csv.gz,timeFormat=rfc3339,saveInterval=5s')).toEqual({ file: 'r.csv.gz', timeFormat: 'rfc3339' });
    expect(parseCsvArgument('x.csv', { K6_CSV_TIME_FORMAT: 'unix_milli' })).toEqual({ file: 'x.csv', timeFormat: 'unix_milli' });
    expect(() => parseCsvArgument('fileName=a.csv,color=red')).toThrow('unknown key "color" as argument for csv output');
    expect(() => parseCsvArgument('timeFormat=iso')).toThrow('iso does not belong to TimeFormat values');
    expect(() => parseCsvArgument('fileName=')).toThrow(`couldn't parse "fileName=" as argument for csv output`);
    // k6 TestParseArg: saveInterval is a duration (bare numbers are milliseconds), checked with Go's words.
    expect(parseCsvArgument('saveInterval=1500', { K6_CSV_SAVE_INTERVAL: '2s' })).toEqual({ file: 'file.csv', timeFormat: 'unix' });
    expect(() => parseCsvArgument('saveInterval=soon')).toThrow('time: invalid duration "soon"');
    expect(() => parseCsvArgument('x.csv', { K6_CSV_SAVE_INTERVAL: 'zz' })).toThrow(
      'envconfig.Process: assigning K6_CSV_SAVE_INTERVAL to SaveInterval: converting \'zz\' to type types.NullDuration. details: time: invalid duration "zz"');
  });

  it('k6 TestApply/GetConsolidatedConfig: the config file\'s collectors.csv, under K6_CSV_* and the argument', () => {
    const json = { file_name: 'conf.csv', time_format: 'rfc3339', save_interval: '2s' };
    expect(parseCsvArgument('', {}, json)).toEqual({ file: 'conf.csv', timeFormat: 'rfc3339' });
    expect(parseCsvArgument('', { K6_CSV_FILENAME: 'env.csv' }, json)).toEqual({ file: 'env.csv', timeFormat: 'rfc3339' });
    expect(parseCsvArgument('timeFormat=unix_nano', {}, json)).toEqual({ file: 'conf.csv', timeFormat: 'unix_nano' });
    expect(() => parseCsvArgument('', {}, { file_name: 5 })).toThrow('json: cannot unmarshal number into Go struct field Config.file_name of type string');
    expect(() => parseCsvArgument('', {}, { time_format: 'iso' })).toThrow('iso does not belong to TimeFormat values');
  });

  it('writes a row per sample: system tag columns, extra tags, metadata, Go number and CSV quoting', () => {
    const lines = [
      '{"type":"Metric","data":{"name":"http_reqs"},"metric":"http_reqs"}',
      point('http_reqs', 1, { method: 'GET', status: '200', url: 'http://x/?a=1,2', scenario: 'default', my_tag: 'v', other: 'w' }),
      point('checks', 0, { check: 'is "ok"', group: '::g' }, { trace_id: 'abc' }),
    ];
    expect(csvFromPointLines(lines, ['url', 'status', 'method', 'check', 'group', 'scenario', 'vu'], 'unix')).toBe([
      'metric_name,timestamp,metric_value,check,group,method,scenario,status,url,extra_tags,metadata',
      'http_reqs,1767323045,1.000000,,,GET,default,200,"http://x/?a=1,2",my_tag=v&other=w,',
      'checks,1767323045,0.000000,"is ""ok""",::g,,,,,,trace_id=abc',
      '',
    ].join('\n'));
  });

  it('k6 TestRun: only enabled system tags get columns (vu never: a vu tag is an extra tag), metadata in the last column', () => {
    const at = (sec: number, tags: Record<string, string>, metadata?: Record<string, string>): string =>
      JSON.stringify({ metric: 'my_metric', type: 'Point', data: { time: new Date(sec * 1000).toISOString(), value: 1, tags, ...(metadata ? { metadata } : {}) } });
    // Tags come sorted, as --out json writes them (k6 writes Go's map order; its test sorts them).
    const lines = [
      at(1562324643, { check: 'val1', url: 'val2', error: 'val3' }, { y: '1' }),
      at(1562324644, { check: 'val1', error: 'val3', tag4: 'val4', url: 'val2', vu: '1' }),
    ];
    expect(csvFromPointLines(lines, ['error', 'check', 'vu'], 'unix')).toBe('metric_name,timestamp,metric_value,check,error,extra_tags,metadata\n'
      + 'my_metric,1562324643,1.000000,val1,val3,url=val2,y=1\n'
      + 'my_metric,1562324644,1.000000,val1,val3,tag4=val4&url=val2&vu=1,\n');
  });

  it('formats timestamps in every k6 time format', () => {
    const row = (f: Parameters<typeof csvFromPointLines>[2]): string => csvFromPointLines([point('m', 2.5, {})], [], f).split('\n')[1] ?? '';
    expect(row('unix')).toBe('m,1767323045,2.500000,,');
    expect(row('unix_milli')).toBe('m,1767323045678,2.500000,,');
    expect(row('unix_micro')).toBe('m,1767323045678000,2.500000,,');
    expect(row('unix_nano')).toBe('m,1767323045678000000,2.500000,,');
    expect(row('rfc3339')).toBe('m,2026-01-02T03:04:05Z,2.500000,,');
    expect(row('rfc3339_nano')).toBe('m,2026-01-02T03:04:05.678Z,2.500000,,');
  });
});
