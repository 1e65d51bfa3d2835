// The idle-VU queue hands VUs out in the order they became idle, at any pool size.
import { describe, expect, it } from 'vitest';
import { FifoQueue } from './fifo-queue.ts';

describe('FifoQueue', () => {
  it('takes items first in, first out, and undefined when empty', () => {
    const q = new FifoQueue<number>();
    expect(q.shift()).toBeUndefined();
    q.push(1);
    q.push(2);
    expect(q.shift()).toBe(1);
    q.push(3);
    expect([q.shift(), q.shift(), q.shift()]).toEqual([2, 3, undefined]);
    expect(q.length).toBe(0);
  });

  it('keeps the order across its compactions, with 50,000 items cycling through', () => {
    const q = new FifoQueue<number>();
    for (let i = 0; i < 50_000; i++) q.push(i);
    const taken: number[] = [];
    for (let i = 0; i < 120_000; i++) {
      const v = q.shift() as number;
      taken.push(v);
      q.push(v);
    }
    expect(q.length).toBe(50_000);
    expect(taken.every((v, i) => v === i % 50_000)).toBe(true);
  });
});
