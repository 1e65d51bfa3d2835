// A Client's commands in flight together each get a connection of their own, as go-redis' pool gives
// them: a blocking BLPOP does not hold up the LPUSH that feeds it; commands one after another reuse one
// connection; with `poolSize: 1` a second command waits its turn and, past `poolTimeout`, fails with
// go-redis' "redis: connection pool timeout".
import redis from 'k6/x/redis';
import { check } from 'k6';

export const options = { iterations: 1 };

const url = `redis://127.0.0.1:${__ENV.REDIS_PORT}/${__ENV.REDIS_DB}`;
const client = new redis.Client(url);
const single = new redis.Client({
  socket: { host: '127.0.0.1', port: Number(__ENV.REDIS_PORT), poolSize: 1, poolTimeout: 200 },
  database: Number(__ENV.REDIS_DB),
  maxRetries: -1,
});
const fed = `${__ENV.REDIS_PREFIX}:pool-fed`;
const empty = `${__ENV.REDIS_PREFIX}:pool-empty`;

export default async function () {
  let started = Date.now();
  const [popped, length] = await Promise.all([client.sendCommand('BLPOP', fed, 3), client.lpush(fed, 'v')]);
  check(Date.now() - started, { 'a BLPOP and the LPUSH that feeds it answer at once': (ms) => ms < 1000 });
  check(popped, { 'BLPOP gets the pushed value': (p) => Array.isArray(p) && p[0] === fed && p[1] === 'v' });
  check(length, { 'LPUSH answers the list length': (n) => n === 1 });

  const first = await client.sendCommand('CLIENT', 'ID');
  const second = await client.sendCommand('CLIENT', 'ID');
  check([first, second], { 'commands one after another share a connection': ([a, b]) => a === b });
  const together = await Promise.all([client.sendCommand('CLIENT', 'ID'), client.sendCommand('CLIENT', 'ID')]);
  check(together, { 'commands in flight together have one each': ([a, b]) => a !== b });

  started = Date.now();
  const blocked = single.sendCommand('BLPOP', empty, 1).then(() => 'value', (e) => String(e));
  let waited = '';
  try {
    await single.get(empty);
  } catch (e) {
    waited = String(e);
  }
  const waitedMs = Date.now() - started;
  check(waited, { 'past poolTimeout a command fails with the pool timeout': (e) => e === 'redis: connection pool timeout' });
  check(waitedMs, { 'after poolTimeout': (ms) => ms >= 150 && ms < 900 });
  check(await blocked, { 'the BLPOP holding the only connection ends on its own': (r) => r === 'redis: nil' });
  check(await single.set(empty, 'x', 0), { 'the connection is free again': (r) => r === 'OK' });
  await client.del(fed, empty);
}
