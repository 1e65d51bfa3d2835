import { describe, expect, it } from 'vitest';
import { SHARED_ITERATION_SLOTS, SharedIterationCounter } from './shared-iteration-counter.ts';

describe('SharedIterationCounter', () => {
  it('hands out 0…total-1 once across views of one buffer, then nothing', () => {
    const buffer = new SharedArrayBuffer(4 * SHARED_ITERATION_SLOTS * 2);
    const a = new SharedIterationCounter(buffer, 1);
    const b = new SharedIterationCounter(buffer, 1);
    const other = new SharedIterationCounter(buffer, 0);
    const claims = [a.claim(5), b.claim(5), a.claim(5), b.claim(5), a.claim(5), b.claim(5), a.claim(5)];
    expect(claims).toEqual([0, 1, 2, 3, 4, undefined, undefined]);
    expect(other.claim(5)).toBe(0);
  });

  it('close gives what was never claimed to its first caller only, and stops later claims', () => {
    const buffer = new SharedArrayBuffer(4 * SHARED_ITERATION_SLOTS);
    const a = new SharedIterationCounter(buffer);
    const b = new SharedIterationCounter(buffer);
    a.claim(10);
    b.claim(10);
    expect(b.close(10)).toBe(8);
    expect(a.close(10)).toBe(0);
    expect(a.claim(10)).toBeUndefined();
  });

  it('counts finished iterations for every view', () => {
    const buffer = new SharedArrayBuffer(4 * SHARED_ITERATION_SLOTS);
    const a = new SharedIterationCounter(buffer);
    a.finished();
    new SharedIterationCounter(buffer).finished();
    expect(a.done()).toBe(2);
  });
});
