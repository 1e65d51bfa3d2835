import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { StampedeError } from '../core/index.ts';
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

describe('an inspection of a browser test (k6 Studio makes them)', () => {
  it('refuses it saying that the runners start no browser and where to run it, not with Node\'s permission error', async () => {
    const script = new TextEncoder().encode(`
      import { browser } from 'k6/browser';
      export const options = { scenarios: { ui: { executor: 'shared-iterations', options: { browser: { type: 'chromium' } } } } };
      export default async function () { const page = await browser.newPage(); await page.close(); }
    `);
    const result = await inspectWithRunner(script, 'text/javascript', { timeoutMs: 60_000, memoryBytes: 8 * 1024 ** 3, diskBytes: 1024 ** 3 });
    expect(result.ok).toBe(false);
    const message = result.ok ? '' : result.message;
    expect(message).toContain("k6/browser cannot run here: this process may not start a browser (a Stampede server's runners start no other process)");
    expect(message).toContain('stampede cloud run --local-execution');
    expect(message).not.toContain('Access to this API has been restricted');
  }, 90_000);
});

describe('an inspection whose runner cannot start', () => {
  // Found by the dependency-failure QA pass: with the runners' temp root read-only, an upload was
  // answered 400 "Invalid script: … EROFS …", blaming a script that was fine.
  it('is the server\'s failure (STAMPEDE_ERR_INTERNAL, a 500), not an invalid script', async () => {
    const script = new TextEncoder().encode(JSON.stringify({ vus: 1 }));
    const err = await inspectWithRunner(script, 'text/javascript', { engineModule: FAKE_ENGINE, runnerTmpRoot: '/proc/self/no-such-folder', timeoutMs: 60_000, memoryBytes: 8 * 1024 ** 3, diskBytes: 8 * 1024 * 1024 }).then(
      (r) => r,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StampedeError);
    expect((err as StampedeError).code).toBe('STAMPEDE_ERR_INTERNAL');
    expect((err as StampedeError).message).toMatch(/^The script could not be inspected: the server could not start a runner \(ENOENT\)/);
  });
});
