import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/scripts/cli-process.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('which initialised VU a scenario takes next', () => {
  it('is the one waiting longest, as k6\'s VU channel hands them out: a ramp starts with VU 1', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vu-pool-'));
    dirs.push(dir);
    writeFileSync(path.join(dir, 'test.js'), `import { sleep } from 'k6';
    export const options = { stages: [{ duration: '1s', target: 3 }, { duration: '1s', target: 3 }] };
    export default function () { console.log('vu=' + __VU + ' iter=' + __ITER); sleep(0.3); }`);
    const r = await runCli(['run', '-q', '--no-color', '--workers', '1', 'test.js'], { cwd: dir });
    expect(r.code).toBe(0);
    const order = [...r.stderr.matchAll(/vu=(\d+) iter=0/g)].map((m) => Number(m[1]));
    expect(order).toEqual([1, 2, 3]);
  }, 30_000);
});
