// k6/x/redis against the local Redis (REDIS_HOST, REDIS_PORT; keys under REDIS_PREFIX): each method's
// result as the extension resolves it, its rejections, the options-object constructor with a
// database and client name, and the init context. Every key it makes is deleted again.
import redis from 'k6/x/redis';
import { check } from 'k6';
import exec from 'k6/execution';

export const options = {
  scenarios: { commands: { executor: 'per-vu-iterations', vus: 2, iterations: 1 } },
  thresholds: { checks: ['rate==1'] },
};

const url = `redis://${__ENV.REDIS_HOST}:${__ENV.REDIS_PORT}`;
const client = new redis.Client(url);
const other = new redis.Client({
  socket: { host: __ENV.REDIS_HOST, port: Number(__ENV.REDIS_PORT) },
  database: Number(__ENV.REDIS_DB),
  clientName: 'stampede-redis-test',
});

// Commands in the init context reject; the client stays unconnected.
let initOutcome = 'pending';
client.get('anything').then(() => (initOutcome = 'resolved'), (e) => (initOutcome = String(e)));
const connectedInInit = client.isConnected();

/** The rejection text of a promise expected to fail. */
async function failure(p) {
  try {
    await p;
    return 'resolved';
  } catch (e) {
    return `${typeof e.error === 'function' ? e.error() : e}|${String(e)}`;
  }
}

export default async function () {
  const k = (name) => `${__ENV.REDIS_PREFIX}:${exec.vu.idInTest}:${name}`;
  check(initOutcome, {
    'init: command rejected': (o) => o === 'connecting to a redis server in the init context is not supported',
    'init: not connected': () => connectedInInit === false,
  });

  // Strings and keys
  check(await client.set(k('s'), 'v1', 0), { 'set resolves OK': (r) => r === 'OK' });
  check(client.isConnected(), { 'connected after the first command': (c) => c === true });
  check(await client.get(k('s')), { 'get returns the value': (v) => v === 'v1' });
  check(await failure(client.get(k('missing'))), { 'get of a missing key rejects with redis: nil': (t) => t === 'redis: nil|redis: nil' });
  check(await client.getSet(k('s'), 42), { 'getSet returns the old value': (v) => v === 'v1' });
  check(await client.get(k('s')), { 'numbers are stored as decimal text': (v) => v === '42' });
  await client.set(k('f'), 2.5);
  await client.set(k('b'), true);
  check(await client.mget(k('f'), k('b'), k('missing')), {
    'mget: floats, booleans as 1, null for missing': (v) => JSON.stringify(v) === '["2.5","1",null]' && Array.isArray(v),
  });
  check(await client.exists(k('s'), k('f'), k('missing')), { 'exists counts': (n) => n === 2 });
  check(await client.incr(k('n')), { 'incr': (n) => n === 1 });
  check(await client.incrBy(k('n'), 10), { 'incrBy': (n) => n === 11 });
  check(await client.decr(k('n')), { 'decr': (n) => n === 10 });
  check(await client.decrBy(k('n'), '4'), { 'decrBy converts its integer argument': (n) => n === 6 });
  check(await client.getDel(k('n')), { 'getDel returns the value': (v) => v === '6' });
  check(await client.exists(k('n')), { 'getDel deleted the key': (n) => n === 0 });
  check(await client.expire(k('s'), 100), { 'expire true for a key': (r) => r === true });
  check(await client.expire(k('missing'), 100), { 'expire false for a missing key': (r) => r === false });
  check(await client.ttl(k('s')), { 'ttl in seconds': (t) => t > 90 && t <= 100 });
  check(await client.persist(k('s')), { 'persist true': (r) => r === true });
  check(await client.ttl(k('s')), { 'ttl of a key without expiry is go-redis -1ns in seconds': (t) => t === -1e-9 });
  check(await client.ttl(k('missing')), { 'ttl of a missing key is -2ns in seconds': (t) => t === -2e-9 });
  await client.set(k('e'), 'short', 50);
  check(await client.ttl(k('e')), { 'set with expiration sets a ttl': (t) => t > 40 && t <= 50 });
  check(await failure(client.set(k('x'), { a: 1 })), {
    'set of an object rejects naming argument 1': (t) => t.startsWith('unsupported type provided for argument at index 1, supported types are string, number, and boolean'),
  });
  check(await failure(client.incr(k('f'))), { 'server errors reject with the reply text': (t) => t.startsWith('ERR value is not an integer') });
  check(typeof (await client.randomKey()), { 'randomKey gives a key': (t) => t === 'string' });

  // Lists
  check(await client.rpush(k('l'), 'a', 'b', 3), { 'rpush returns the length': (n) => n === 3 });
  check(await client.lpush(k('l'), 'z'), { 'lpush returns the length': (n) => n === 4 });
  check(await client.lrange(k('l'), 0, -1), { 'lrange': (v) => JSON.stringify(v) === '["z","a","b","3"]' });
  check(await client.lindex(k('l'), 1), { 'lindex': (v) => v === 'a' });
  check(await failure(client.lindex(k('l'), 99)), { 'lindex out of range rejects with redis: nil': (t) => t === 'redis: nil|redis: nil' });
  check(await client.lset(k('l'), 1, 'A'), { 'lset resolves OK': (v) => v === 'OK' });
  check(await client.lrem(k('l'), 0, 'A'), { 'lrem counts removals': (n) => n === 1 });
  check(await client.lpop(k('l')), { 'lpop': (v) => v === 'z' });
  check(await client.rpop(k('l')), { 'rpop': (v) => v === '3' });
  check(await client.llen(k('l')), { 'llen': (n) => n === 1 });
  check(await failure(client.lpush(k('l'), 'ok', null)), { 'lpush of null rejects naming argument 2': (t) => t.includes('argument at index 2') });

  // Hashes
  check(await client.hset(k('h'), 'f1', 'v1'), { 'hset of a new field': (n) => n === 1 });
  check(await client.hsetnx(k('h'), 'f1', 'other'), { 'hsetnx of an existing field is false': (r) => r === false });
  check(await client.hsetnx(k('h'), 'f2', 2), { 'hsetnx of a new field is true': (r) => r === true });
  check(await client.hget(k('h'), 'f2'), { 'hget': (v) => v === '2' });
  check(await client.hgetall(k('h')), { 'hgetall gives an object': (o) => JSON.stringify(o) === '{"f1":"v1","f2":"2"}' });
  check(await client.hgetall(k('missing')), { 'hgetall of a missing key is empty': (o) => JSON.stringify(o) === '{}' });
  check(await client.hkeys(k('h')), { 'hkeys': (v) => JSON.stringify(v) === '["f1","f2"]' });
  check(await client.hvals(k('h')), { 'hvals': (v) => JSON.stringify(v) === '["v1","2"]' });
  check(await client.hincrby(k('h'), 'f2', 5), { 'hincrby': (n) => n === 7 });
  check(await client.hlen(k('h')), { 'hlen': (n) => n === 2 });
  check(await client.hdel(k('h'), 'f1', 'nope'), { 'hdel counts': (n) => n === 1 });
  check(await failure(client.hget(k('h'), 'f1')), { 'hget of a missing field rejects with redis: nil': (t) => t === 'redis: nil|redis: nil' });

  // Sets
  check(await client.sadd(k('set'), 'a', 'b', 'c'), { 'sadd counts': (n) => n === 3 });
  check(await client.srem(k('set'), 'c', 'zz'), { 'srem counts': (n) => n === 1 });
  check(await client.sismember(k('set'), 'a'), { 'sismember true': (r) => r === true });
  check(await client.sismember(k('set'), 'zz'), { 'sismember false': (r) => r === false });
  check(await client.smembers(k('set')), { 'smembers': (v) => JSON.stringify([...v].sort()) === '["a","b"]' });
  check(await client.srandmember(k('set')), { 'srandmember': (v) => v === 'a' || v === 'b' });
  check(await client.spop(k('set')), { 'spop': (v) => v === 'a' || v === 'b' });
  check(await failure(client.spop(k('missing'))), { 'spop of a missing set rejects with redis: nil': (t) => t === 'redis: nil|redis: nil' });

  // sendCommand
  check(await client.sendCommand('ECHO', 'hello'), { 'sendCommand ECHO': (v) => v === 'hello' });
  check(await client.sendCommand('HGETALL', k('h')), { 'sendCommand replies stay raw arrays': (v) => JSON.stringify(v) === '["f2","7"]' });
  check(await client.sendCommand('RPUSH', k('l'), 1, true, 0.5), { 'sendCommand integer reply': (n) => n === 4 });
  check(await client.sendCommand('LRANGE', k('l'), 0, -1), { 'sendCommand value formats': (v) => JSON.stringify(v) === '["b","1","1","0.5"]' });
  check(await failure(client.sendCommand('GET', k('missing'))), { 'sendCommand nil rejects': (t) => t === 'redis: nil|redis: nil' });
  check(await failure(client.sendCommand('NOSUCHCOMMAND')), { 'sendCommand unknown command rejects': (t) => t.startsWith('ERR unknown command') });

  // Promises run concurrently on one client.
  const many = await Promise.all([1, 2, 3, 4, 5].map((i) => client.incrBy(k('c'), i)));
  check(many, { 'concurrent commands all resolve': (v) => v.length === 5 && Math.max(...v) === 15 });

  // Options object: database and client name.
  await other.set(k('db'), 'in-other-db');
  check(await failure(client.get(k('db'))), { 'database option selects another database': (t) => t === 'redis: nil|redis: nil' });
  check(await other.get(k('db')), { 'the other database holds the key': (v) => v === 'in-other-db' });
  check(await other.sendCommand('CLIENT', 'GETNAME'), { 'clientName names the connection': (v) => v === 'stampede-redis-test' });
  check(await other.del(k('db')), { 'del in the other database': (n) => n === 1 });

  check(await client.del(k('s'), k('f'), k('b'), k('e'), k('l'), k('h'), k('set'), k('c')), { 'del counts deleted keys': (n) => n === 8 });
}
