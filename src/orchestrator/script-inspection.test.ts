import { describe, expect, it } from 'vitest';
import { InspectionSlots } from './script-inspection.ts';

describe('inspection slots', () => {
  it('never runs more inspections at once than there are slots, and runs every one', async () => {
    const slots = new InspectionSlots(2);
    let alive = 0;
    let peak = 0;
    const job = (i: number) => slots.with(async () => {
      alive++;
      peak = Math.max(peak, alive);
      await new Promise((r) => setTimeout(r, 5));
      alive--;
      if (i === 3) throw new Error('a failed inspection frees its slot too');
      return i;
    });
    const results = await Promise.allSettled([0, 1, 2, 3, 4, 5].map(job));
    expect(peak).toBe(2);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
  });
});
