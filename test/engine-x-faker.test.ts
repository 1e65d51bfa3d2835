// k6/x/faker end to end: a script importing the official extension runs, its seeded instances repeat
// across runs, XK6_FAKER_SEED (-e) seeds the default instance, and each VU has its own.
import { describe, expect, it } from 'vitest';
import { runCli } from './scripts/cli-process.ts';
import { metricValues, runScript, type ScriptRun } from './scripts/engine-harness.ts';

/** What each VU logged, by "vu=N kind". */
function logged(r: Pick<ScriptRun, 'stderr'>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of r.stderr.split('\n')) {
    const m = /level=info msg="vu=(\d+) (\w+)=((?:[^"\\]|\\.)*)"/.exec(line);
    if (m !== null) out[`vu=${m[1]} ${m[2]}`] = JSON.parse(`"${m[3]}"`) as string;
  }
  return out;
}

function expectPassed(r: ScriptRun): void {
  expect(r.exitCode, r.stderr).toBe(0);
  expect(metricValues(r, 'checks')).toMatchObject({ passes: 20, fails: 0 });
}

describe('k6/x/faker in stampede run', () => {
  it('imports and generates; new Faker(11) repeats across runs and VUs; the unseeded default differs per VU and per run', async () => {
    const first = await runScript('extensions/faker-seeds.js');
    const second = await runScript('extensions/faker-seeds.js');
    expectPassed(first);
    expectPassed(second);
    const a = logged(first);
    const b = logged(second);
    expect(Object.keys(a).sort()).toEqual(['vu=1 default', 'vu=1 seeded', 'vu=2 default', 'vu=2 seeded']);
    const values = JSON.parse(a['vu=1 seeded'] ?? '[]') as unknown[];
    expect(values).toHaveLength(5);
    expect(values[1]).toBeTypeOf('number');
    expect(a['vu=1 seeded']).toBe(a['vu=2 seeded']);
    expect(b['vu=1 seeded']).toBe(a['vu=1 seeded']);
    expect(a['vu=1 default']).not.toBe(a['vu=2 default']);
    expect(b['vu=1 default']).not.toBe(a['vu=1 default']);
  });

  it('-e XK6_FAKER_SEED=11 makes every VU\'s default instance give the sequence of new Faker(11)', async () => {
    const r = await runScript('extensions/faker-seeds.js', { env: { XK6_FAKER_SEED: '11' } });
    expectPassed(r);
    const l = logged(r);
    expect(l['vu=1 default']).toBe(l['vu=1 seeded']);
    expect(l['vu=2 default']).toBe(l['vu=1 seeded']);
  });

  it('stampede run -e XK6_FAKER_SEED=11 with VUs on two worker threads', async () => {
    const r = await runCli(['run', 'test/scripts/extensions/faker-seeds.js', '--workers', '2', '-e', 'XK6_FAKER_SEED=11']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/checks_succeeded\.*: 100\.00% 20 out of 20/);
    const l = logged(r);
    expect(l['vu=1 default']).toBe(l['vu=1 seeded']);
    expect(l['vu=2 default']).toBe(l['vu=2 seeded']);
    expect(l['vu=2 seeded']).toBe(l['vu=1 seeded']);
  });
});
