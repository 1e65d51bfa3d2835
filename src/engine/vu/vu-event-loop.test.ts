import { describe, expect, it } from 'vitest';
import { VuEventLoop } from './vu-event-loop.ts';

const settledWithin = async (p: Promise<unknown>, ms: number): Promise<boolean> =>
  Promise.race([p.then(() => true, () => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);

describe('VU event loop', () => {
  it('reset() names the script\'s timers it drops, in firing order, as k6 does ("setTimeout 2"); internal ones are not named', () => {
    const loop = new VuEventLoop();
    loop.setTimer(() => undefined, 500, false, 'setTimeout');
    loop.setTimer(() => undefined, 100, true, 'setInterval');
    loop.setTimer(() => undefined, 50, false);
    expect(loop.reset()).toEqual(['setInterval 2', 'setTimeout 1']);
    expect(loop.reset()).toEqual([]);
  });

  it('is idle only once every keepAlive handle is released', async () => {
    const loop = new VuEventLoop();
    const release = loop.keepAlive();
    const idle = loop.idle();
    expect(await settledWithin(idle, 30)).toBe(false);
    release();
    expect(await settledWithin(idle, 30)).toBe(true);
  });

  it('a handle from before a reset (an interrupted iteration) cannot release a later call\'s handle', async () => {
    const loop = new VuEventLoop();
    const stale = loop.keepAlive();
    loop.reset();
    const current = loop.keepAlive();
    stale();
    expect(await settledWithin(loop.idle(), 30)).toBe(false);
    current();
    expect(await settledWithin(loop.idle(), 30)).toBe(true);
  });

  it('defers timer callbacks while the VU is inside a blocking call', async () => {
    const loop = new VuEventLoop();
    const fired: string[] = [];
    loop.enterSync();
    loop.setTimer(() => fired.push('timer'), 1, false);
    await new Promise((r) => setTimeout(r, 20));
    expect(fired).toEqual([]);
    loop.exitSync();
    await loop.idle();
    expect(fired).toEqual(['timer']);
  });

  it('runs callbacks in the order they came: one due as the VU leaves its code waits for those deferred while it ran', async () => {
    const loop = new VuEventLoop();
    const fired: string[] = [];
    loop.enterSync();
    loop.setTimer(() => fired.push('first'), 0, false);
    // The first timer comes due while the VU still runs its code: deferred.
    await new Promise((r) => setTimeout(r, 10));
    // The VU leaves its code in a timer callback, and the second timer is due in the same turn (a busy
    // machine runs late timers together), before the deferred callbacks are flushed.
    setTimeout(() => loop.exitSync(), 0);
    loop.setTimer(() => fired.push('second'), 0, false);
    await loop.idle();
    expect(fired).toEqual(['first', 'second']);
  });
});
