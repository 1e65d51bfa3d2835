import { describe, expect, it } from 'vitest';
import { RequestRateLimit } from './request-rate-limit.ts';

describe('RequestRateLimit', () => {
  it('is off for an unset, zero or negative rps (as in k6)', () => {
    const buffer = RequestRateLimit.newBuffer();
    expect(RequestRateLimit.of(undefined, buffer)).toBeUndefined();
    expect(RequestRateLimit.of(0, buffer)).toBeUndefined();
    expect(RequestRateLimit.of(-5, buffer)).toBeUndefined();
    expect(RequestRateLimit.of(10, buffer)).toBeInstanceOf(RequestRateLimit);
  });

  it('spaces reservations 1/rps apart with a burst of one, across every limiter over the same buffer', () => {
    const buffer = RequestRateLimit.newBuffer();
    // Two threads' views of one instance bucket.
    const a = new RequestRateLimit(buffer, 10);
    const b = new RequestRateLimit(buffer, 10);
    const waits = [a.reserve(), b.reserve(), a.reserve(), b.reserve()];
    expect(waits[0]).toBe(0);
    for (let i = 1; i < waits.length; i++) {
      expect(waits[i]).toBeGreaterThan(i * 100 - 5);
      expect(waits[i]).toBeLessThanOrEqual(i * 100);
    }
  });

  it('wait() resolves at the slot, or at once when the VU is interrupted', async () => {
    const limit = new RequestRateLimit(RequestRateLimit.newBuffer(), 5);
    const ac = new AbortController();
    expect(limit.wait(ac.signal)).toBeUndefined();
    const started = performance.now();
    await limit.wait(ac.signal);
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    const pending = limit.wait(ac.signal);
    ac.abort();
    const t = performance.now();
    await pending;
    expect(performance.now() - t).toBeLessThan(50);
  });
});
