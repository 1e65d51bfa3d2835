import { describe, expect, it } from 'vitest';
import { readRedisOptions } from './redis-options.ts';

const fails = (arg: unknown): string => {
  try {
    readRedisOptions(arg);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected the options to be refused');
};

describe('k6/x/redis Client options: URLs', () => {
  it('reads user, password, host, port and database like go-redis ParseURL', () => {
    const c = readRedisOptions('redis://alice:s%40cret@cache.internal:6380/4');
    expect(c).toMatchObject({
      mode: 'single', addrs: [{ host: 'cache.internal', port: 6380 }], username: 'alice', password: 's@cret', db: 4, tls: undefined,
    });
  });

  it('defaults to localhost:6379 and database 0; rediss turns TLS on for the URL host', () => {
    expect(readRedisOptions('redis://')).toMatchObject({ addrs: [{ host: 'localhost', port: 6379 }], db: 0 });
    expect(readRedisOptions('rediss://redis.example.com').tls).toEqual({ ca: [], serverName: 'redis.example.com' });
    expect(readRedisOptions('redis://[::1]:7000').addrs).toEqual([{ host: '::1', port: 7000 }]);
  });

  it('takes client_name, db and timeouts from the query and refuses unknown parameters', () => {
    const c = readRedisOptions('redis://h/1?client_name=loadgen&dial_timeout=2s&read_timeout=-1&max_retries=5');
    expect(c).toMatchObject({ clientName: 'loadgen', dialTimeout: 2000, readTimeout: -1, maxRetries: 5, db: 1 });
    expect(fails('redis://h?color=red&abc=1')).toBe('invalid options; reason: redis: unexpected option: abc, color');
  });

  it('takes the pool size and pool timeout from the query or the socket options', () => {
    expect(readRedisOptions('redis://h?pool_size=3&pool_timeout=250ms')).toMatchObject({ poolSize: 3, poolTimeout: 250 });
    expect(readRedisOptions({ socket: { host: 'h', port: 6379, poolSize: 2, poolTimeout: 100 } })).toMatchObject({ poolSize: 2, poolTimeout: 100 });
    expect(readRedisOptions('redis://h')).toMatchObject({ poolSize: 0, poolTimeout: 0 });
  });

  it('refuses other schemes and bad paths in go-redis words', () => {
    expect(fails('https://h')).toBe('invalid options; reason: redis: invalid URL scheme: https');
    expect(fails('redis://h/zero')).toBe('invalid options; reason: redis: invalid database number: "zero"');
    expect(fails('redis://h/1/2')).toBe('invalid options; reason: redis: invalid URL path: /1/2');
  });
});

describe('k6/x/redis Client options: objects', () => {
  it('reads a single-node object with socket, credentials, database and client name', () => {
    const c = readRedisOptions({
      socket: { host: '127.0.0.1', port: 6379, tls: { ca: ['CA'], cert: 'C', key: 'K' }, readTimeout: 250 },
      username: 'u', password: 'p', database: 3, clientName: 'me',
    });
    expect(c).toMatchObject({
      mode: 'single', addrs: [{ host: '127.0.0.1', port: 6379 }], username: 'u', password: 'p', db: 3, clientName: 'me',
      tls: { ca: ['CA'], cert: 'C', key: 'K' }, readTimeout: 250,
    });
  });

  it('matches keys ignoring case and skips null and undefined, as encoding/json does', () => {
    expect(readRedisOptions({ Socket: { HOST: 'h', port: 1 }, password: null, database: undefined })).toMatchObject({
      addrs: [{ host: 'h', port: 1 }], password: '', db: 0,
    });
  });

  it('refuses unknown fields, wrong types and a missing socket with the extension’s texts', () => {
    expect(fails({ socket: { host: 'h' }, addrs: [] })).toBe('invalid options; reason: json: unknown field "addrs"');
    expect(fails({})).toBe('invalid options; reason: empty socket options');
    expect(fails({ socket: { host: 'h', port: '6379' } }))
      .toBe('invalid options; reason: json: cannot unmarshal string into Go struct field singleNodeOptions.socket.port of type int');
    expect(fails({ socket: { host: 'h', port: 1.5 } }))
      .toBe('invalid options; reason: json: cannot unmarshal number 1.5 into Go struct field singleNodeOptions.socket.port of type int');
    expect(fails(42)).toBe('invalid options type: int64; expected string or object');
    expect(fails(null)).toBe('invalid options type: <nil>; expected string or object');
  });

  it('makes a sentinel client when masterName is given', () => {
    const c = readRedisOptions({ socket: { host: 's1', port: 26379 }, masterName: 'primary', sentinelPassword: 'sp', password: 'p' });
    expect(c).toMatchObject({ mode: 'sentinel', addrs: [{ host: 's1', port: 26379 }], masterName: 'primary', sentinelPassword: 'sp', password: 'p' });
  });

  it('makes a cluster client from node URLs or node objects, checking that nodes agree', () => {
    const byUrl = readRedisOptions({ cluster: { maxRedirects: 5, readOnly: true, nodes: ['redis://a:7000', 'redis://b:7001'] } });
    expect(byUrl).toMatchObject({ mode: 'cluster', addrs: [{ host: 'a', port: 7000 }, { host: 'b', port: 7001 }], cluster: { maxRedirects: 5, readOnly: true } });
    const byObject = readRedisOptions({ cluster: { nodes: [{ socket: { host: 'a', port: 1 } }, { socket: { host: 'b', port: 2 } }] } });
    expect(byObject.addrs).toEqual([{ host: 'a', port: 1 }, { host: 'b', port: 2 }]);
    // One node is a plain client, as go-redis' UniversalClient decides.
    expect(readRedisOptions({ cluster: { nodes: ['redis://a:7000'] } }).mode).toBe('single');
    expect(fails({ cluster: { nodes: ['redis://user1@a', 'redis://user2@b'] } }))
      .toBe('invalid options; reason: inconsistent username option: user1 != user2');
    expect(fails({ cluster: { nodes: 1 } })).toBe('invalid options; reason: cluster nodes property must be an array; got int64');
    expect(fails({ cluster: { nodes: [] } })).toBe('invalid options; reason: cluster nodes property cannot be empty');
    expect(fails({ cluster: { nodes: [1] } }))
      .toBe('invalid options; reason: cluster nodes array must contain string or object elements; got int64');
  });
});
