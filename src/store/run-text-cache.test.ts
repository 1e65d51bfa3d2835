import { describe, expect, it } from 'vitest';
import { RunTextCache } from './run-text-cache.ts';
import type { TestRunText } from './store.ts';

const run = (id: number, status: TestRunText['status'] = 'completed'): TestRunText =>
  ({ id, status, json: { statusHistory: '[]' } }) as unknown as TestRunText;

describe('RunTextCache', () => {
  it('keeps final runs only, until forgotten', () => {
    const cache = new RunTextCache();
    const g = cache.generation;
    cache.keep(g, run(1));
    cache.keep(g, run(2, 'running'));
    expect(cache.get(1)?.id).toBe(1);
    expect(cache.get(2)).toBeUndefined();
    cache.forget(1);
    expect(cache.get(1)).toBeUndefined();
  });

  it('does not keep a row read across a write (a list racing a note change)', () => {
    const cache = new RunTextCache();
    const before = cache.generation;
    cache.forget(5); // a write to any run commits while the list's read is in flight
    cache.keep(before, run(1));
    expect(cache.get(1)).toBeUndefined();
    cache.keep(cache.generation, run(1));
    expect(cache.get(1)).toBeDefined();
    cache.clear();
    expect(cache.get(1)).toBeUndefined();
  });

  it('lets entries expire and stays within its bound', async () => {
    const short = new RunTextCache(1, 10);
    short.keep(short.generation, run(1));
    await new Promise((r) => setTimeout(r, 5));
    expect(short.get(1)).toBeUndefined();
    const small = new RunTextCache(5_000, 2);
    for (let i = 1; i <= 3; i++) small.keep(small.generation, run(i));
    expect(small.get(3)).toBeDefined();
    expect(small.get(1)).toBeUndefined();
  });
});
