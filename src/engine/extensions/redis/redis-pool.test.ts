import { describe, expect, it } from 'vitest';
import type { RedisConnection } from './redis-connection.ts';
import { POOL_TIMEOUT, RedisPool } from './redis-pool.ts';

/** A connection whose replies the test releases by hand; it answers with its own number. */
function fakeConnections() {
  const made: { id: number; pending: (() => void)[]; closed: boolean; abandoned: number }[] = [];
  const dial = (): RedisConnection => {
    const c = { id: made.length + 1, pending: [] as (() => void)[], closed: false, abandoned: 0 };
    made.push(c);
    return {
      send: () => new Promise((resolve) => c.pending.push(() => resolve(c.id))),
      abandonInFlight: () => { c.abandoned++; },
      close: () => { c.closed = true; },
    } as unknown as RedisConnection;
  };
  /** Lets the commands sent so far reach their connections, then answers them. */
  const answerAll = async (): Promise<void> => {
    await new Promise((r) => setImmediate(r));
    for (const c of made) c.pending.splice(0).forEach((f) => f());
    await new Promise((r) => setImmediate(r));
  };
  return { made, dial, answerAll };
}

const settings = (size: number, timeoutMs = 1000, retries = 0) => ({ size, timeoutMs, retries, backoffMs: () => 1 });

describe('RedisPool (go-redis ConnPool as a command sees it)', () => {
  it('gives commands in flight together a connection each, and reuses the last one freed', async () => {
    const f = fakeConnections();
    const pool = new RedisPool(settings(10), f.dial);
    const together = Promise.all([pool.send('GET', ['a']), pool.send('GET', ['b'])]);
    await new Promise((r) => setImmediate(r));
    await f.answerAll();
    expect(await together).toEqual([1, 2]);
    const next = pool.send('GET', ['c']);
    await f.answerAll();
    expect(await next).toBe(2);
    expect(pool.size).toBe(2);
  });

  it('beyond its size a command waits for the next connection freed', async () => {
    const f = fakeConnections();
    const pool = new RedisPool(settings(1), f.dial);
    const first = pool.send('BLPOP', ['k', '0']);
    const second = pool.send('GET', ['k']);
    await new Promise((r) => setImmediate(r));
    expect(f.made[0]?.pending.length).toBe(1);
    await f.answerAll();
    await f.answerAll();
    expect(await first).toBe(1);
    expect(await second).toBe(1);
    expect(pool.size).toBe(1);
  });

  it('fails with the pool timeout after waiting timeoutMs, once per attempt', async () => {
    const f = fakeConnections();
    const pool = new RedisPool(settings(1, 20, 2), f.dial);
    void pool.send('BLPOP', ['k', '0']);
    const started = Date.now();
    await expect(pool.send('GET', ['k'])).rejects.toThrow(POOL_TIMEOUT);
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('an interrupted iteration drops what it left waiting, and close ends every connection', async () => {
    const f = fakeConnections();
    const pool = new RedisPool(settings(1), f.dial);
    void pool.send('BLPOP', ['k', '0']);
    const waiting = pool.send('GET', ['k']);
    await new Promise((r) => setImmediate(r));
    pool.abandonInFlight();
    await expect(waiting).rejects.toThrow('context canceled');
    expect(f.made[0]?.abandoned).toBe(1);
    pool.close();
    expect(f.made[0]?.closed).toBe(true);
    await expect(pool.send('GET', ['k'])).rejects.toThrow('redis: client is closed');
  });
});
