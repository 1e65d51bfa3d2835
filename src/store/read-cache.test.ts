import { afterEach, describe, expect, it, vi } from 'vitest';
import { ReadCache } from './read-cache.ts';

describe('ReadCache', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reuses a value until its TTL ends or the cache is invalidated', async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const cache = new ReadCache<string, number | null>(5_000, 10);
    let loads = 0;
    const load = async () => ++loads;
    expect(await cache.read('a', load)).toBe(1);
    expect(await cache.read('a', load)).toBe(1);
    vi.setSystemTime(1_004_999);
    expect(await cache.read('a', load)).toBe(1);
    vi.setSystemTime(1_005_000);
    expect(await cache.read('a', load)).toBe(2);
    cache.invalidate();
    expect(await cache.read('a', load)).toBe(3);
    expect(await cache.read('b', async () => null)).toBeNull();
    expect(await cache.read('b', load)).toBeNull(); // null is a value like any other unless excluded
  });

  it('does not keep what the caller says is not cacheable', async () => {
    const cache = new ReadCache<string, number | null>(5_000, 10);
    expect(await cache.read('a', async () => null, (v) => v !== null)).toBeNull();
    expect(await cache.read('a', async () => 7, (v) => v !== null)).toBe(7);
  });

  it('never caches a load that was in flight when the cache was invalidated (a revoke racing a read)', async () => {
    const cache = new ReadCache<string, string>(5_000, 10);
    let release: (v: string) => void = () => {};
    const inFlight = cache.read('token', () => new Promise<string>((resolve) => (release = resolve)));
    cache.invalidate();
    release('principal before revoke');
    expect(await inFlight).toBe('principal before revoke');
    expect(await cache.read('token', async () => 'after revoke')).toBe('after revoke');
  });

  it('stays within its size bound', async () => {
    const cache = new ReadCache<number, number>(5_000, 3);
    for (let i = 0; i < 10; i++) await cache.read(i, async () => i);
    let loads = 0;
    await cache.read(9, async () => ++loads);
    expect(loads).toBe(0);
    await cache.read(0, async () => ++loads);
    expect(loads).toBe(1);
  });
});
