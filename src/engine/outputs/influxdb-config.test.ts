import { describe, expect, it } from 'vitest';
import { influxdbConfig, parseInfluxdbUrl } from './influxdb-config.ts';

describe('influxdb config (k6 internal/output/influxdb/config.go)', () => {
  it('defaults: localhost:8086, db k6, 1s pushes, 4 concurrent writes, vu/iter/url as fields', () => {
    const c = influxdbConfig('', {}, undefined);
    expect(c).toMatchObject({ addr: 'http://localhost:8086', db: 'k6', pushIntervalMs: 1000, concurrentWrites: 4, precision: '', username: '', insecure: false });
    expect([...c.fieldKinds]).toEqual([['vu', 'string'], ['iter', 'string'], ['url', 'string']]);
  });

  it('reads the URL forms k6 reads (TestParseURL)', () => {
    expect(parseInfluxdbUrl('http://localhost:8086')).toEqual({ addr: 'http://localhost:8086' });
    expect(parseInfluxdbUrl('http://localhost:8086/k6')).toEqual({ addr: 'http://localhost:8086', db: 'k6' });
    expect(parseInfluxdbUrl('http://user:pass@localhost:8086/k6')).toEqual({ addr: 'http://localhost:8086', db: 'k6', username: 'user', password: 'pass' });
    expect(parseInfluxdbUrl('https://host/influxdbA/dbname')).toEqual({ addr: 'https://host/influxdbA', db: 'dbname' });
    expect(parseInfluxdbUrl('https://host/influxdbA/')).toEqual({ addr: 'https://host/influxdbA' });
    expect(parseInfluxdbUrl('dbname')).toEqual({ db: 'dbname' });
    expect(parseInfluxdbUrl('/dbname')).toEqual({ db: 'dbname' });
    expect(parseInfluxdbUrl('udp://localhost:8089')).toEqual({ addr: 'udp://localhost:8089' });
    expect(parseInfluxdbUrl('http://h:1/db?precision=s&retention=r&consistency=one&payload_size=100&insecure=true&pushInterval=3s&concurrentWrites=2&tagsAsFields=a&tagsAsFields=b:int'))
      .toEqual({ addr: 'http://h:1', db: 'db', precision: 's', retention: 'r', consistency: 'one', payloadSize: 100, insecure: true, pushIntervalMs: 3000, concurrentWrites: 2, tagsAsFields: ['a', 'b:int'] });
    expect(() => parseInfluxdbUrl('http://h/db?payload_size=big')).toThrow('strconv.Atoi: parsing "big": invalid syntax');
    expect(() => parseInfluxdbUrl('http://h/db?pushInterval=soon')).toThrow('time: invalid duration "soon"');
  });

  it('tiers: defaults < collectors.influxdb < K6_INFLUXDB_* < the URL', () => {
    const json = { addr: 'http://file:1', db: 'file', username: 'fileuser', pushInterval: 2e9, tagsAsFields: ['method'] };
    const env = { K6_INFLUXDB_DB: 'envdb', K6_INFLUXDB_PASSWORD: 'envpass', K6_INFLUXDB_INSECURE: 'true', K6_INFLUXDB_CONSISTENCY: 'all' };
    const c = influxdbConfig('http://url:2/urldb?consistency=any', env, json);
    expect(c).toMatchObject({ addr: 'http://url:2', db: 'urldb', username: 'fileuser', password: 'envpass', insecure: true, pushIntervalMs: 2000, consistency: 'any' });
    expect([...c.fieldKinds.keys()]).toEqual(['method']);
    expect(influxdbConfig('', env, json)).toMatchObject({ addr: 'http://file:1', db: 'envdb', consistency: 'all' });
    // An empty tagsAsFields list does not replace the one before it (Config.Apply).
    expect([...influxdbConfig('', { K6_INFLUXDB_TAGS_AS_FIELDS: '' }, undefined).fieldKinds.keys()]).toEqual(['vu', 'iter', 'url']);
  });

  it('refuses what k6 refuses, with its texts', () => {
    expect(() => influxdbConfig('', { K6_INFLUXDB_INSECURE: 'yes' }, undefined))
      .toThrow("envconfig.Process: assigning K6_INFLUXDB_INSECURE to Insecure: converting 'yes' to type null.Bool. details: invalid input:yes");
    expect(() => influxdbConfig('', { K6_INFLUXDB_PUSH_INTERVAL: 'often' }, undefined))
      .toThrow("envconfig.Process: assigning K6_INFLUXDB_PUSH_INTERVAL to PushInterval: converting 'often' to type types.NullDuration. details: time: invalid duration \"often\"");
    expect(() => influxdbConfig('', { K6_INFLUXDB_CONCURRENT_WRITES: '-1' }, undefined)).toThrow("influxdb's ConcurrentWrites must be a positive number");
    expect(() => influxdbConfig('?tagsAsFields=vu&tagsAsFields=vu:int', {}, undefined))
      .toThrow('a tag name (vu) shows up more than once in InfluxDB field type configurations');
    expect(() => influxdbConfig('', { K6_INFLUXDB_PUSH_INTERVAL: '0s' }, undefined)).toThrow('metric flush period should be positive but was 0s');
    expect(() => influxdbConfig('', {}, { db: 5 })).toThrow('json: cannot unmarshal number into Go struct field Config.db of type string');
    expect(() => influxdbConfig('', {}, [])).toThrow('json: cannot unmarshal array into Go value of type influxdb.Config');
  });
});

describe('influxdb config edge cases (TestParseURL, TestGetConsolidatedConfigHTTPProxy)', () => {
  it('every base URL with each query (k6\'s table)', () => {
    const bases: Record<string, object> = {
      '': {}, dbname: { db: 'dbname' }, '/dbname': { db: 'dbname' }, 'http://localhost:8086': { addr: 'http://localhost:8086' },
      'http://my.site.io/a/b/c/dbname': { addr: 'http://my.site.io/a/b/c', db: 'dbname' }, 'http://my.site.io/prefix/': { addr: 'http://my.site.io/prefix' },
    };
    for (const [base, want] of Object.entries(bases)) {
      expect(parseInfluxdbUrl(base)).toEqual(want);
      expect(parseInfluxdbUrl(`${base}?`)).toEqual(want);
      expect(parseInfluxdbUrl(`${base}?insecure=false`)).toEqual({ ...want, insecure: false });
      expect(parseInfluxdbUrl(`${base}?payload_size=69`)).toEqual({ ...want, payloadSize: 69 });
      expect(() => parseInfluxdbUrl(`${base}?insecure=ture`)).toThrow('insecure must be true or false, not ture');
    }
  });

  it('a proxy URL: kept when valid, refused when Go cannot parse it', () => {
    expect(influxdbConfig('', { K6_INFLUXDB_PROXY: 'http://localhost:3128' }, undefined).proxy).toBe('http://localhost:3128');
    expect(() => influxdbConfig('', { K6_INFLUXDB_PROXY: 'http://foo\x7f.com/' }, undefined)).toThrow(/^failed to parse the http proxy URL: /);
  });
});
