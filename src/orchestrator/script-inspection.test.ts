import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { InspectionSlots, inspectWithRunner } from './script-inspection.ts';

const FAKE_ENGINE = fileURLToPath(new URL('../runner/test-support/fake-engine.ts', import.meta.url));

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

describe('an inspection runner', () => {
  it('is killed when the script fills its run folder past the limit, saying so', async () => {
    // An upload's init code runs in the inspection runner: it must not fill the disk either.
    const script = new TextEncoder().encode(JSON.stringify({ loadFillDiskMb: 256 }));
    const result = await inspectWithRunner(script, 'text/javascript', { engineModule: FAKE_ENGINE, timeoutMs: 60_000, memoryBytes: 8 * 1024 ** 3, diskBytes: 8 * 1024 * 1024 });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain('The runner wrote more than 8 MiB to its run folder');
  }, 90_000);
});
