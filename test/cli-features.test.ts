// `stampede run --features` / K6_FEATURES and `stampede features`, as a user runs them: k6 v2.2's
// cmd_run_merge_run_tags_test.go cases (the samples' tags in --out json), unknown names, the env.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, type CliRun } from './scripts/cli-process.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'stampede-features-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const stampede = (args: string[], env: Record<string, string> = {}): Promise<CliRun> => runCli(args, { cwd: dir, env });

writeFileSync(path.join(dir, 'tags.js'), `export const options = {
  tags: { env: 'staging', team: 'backend' },
  scenarios: { s: { executor: 'per-vu-iterations', vus: 1, iterations: 1 } },
};
export default function () { console.log('K6_FEATURES=' + __ENV.K6_FEATURES); }
`);

/** The tags of the run's one `iterations` point in its --out json file. */
function iterationTags(file: string): Record<string, string> {
  const points = readFileSync(path.join(dir, file), 'utf8').trim().split('\n')
    .map((l) => JSON.parse(l) as { type: string; metric: string; data: { tags: Record<string, string> } })
    .filter((p) => p.type === 'Point' && p.metric === 'iterations');
  expect(points).toHaveLength(1);
  return points[0]?.data.tags ?? {};
}

const RUN = ['run', '-q', '--summary-mode=disabled', '--workers', '1', '--log-format', 'raw', '--no-usage-report'];

describe('--features merge-run-tags (k6 cmd_run_merge_run_tags_test.go)', () => {
  it('without it, --tag replaces the script tags (TestRunMergeRunTagsFlagOff)', async () => {
    const r = await stampede([...RUN, '-o', 'json=off.json', '--tag', 'region=us-east', 'tags.js']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('K6_FEATURES=undefined\n');
    expect(iterationTags('off.json')).toEqual({ group: '', scenario: 's', region: 'us-east' });
  });

  it("with it, the script's, K6_TAGS' and --tag's tags merge (TestRunMergeRunTagsFlagOn), and the feature is a tag and __ENV.K6_FEATURES", async () => {
    const r = await stampede([...RUN, '-o', 'json=on.json', '--features', 'merge-run-tags', '--tag', 'region=us-east', 'tags.js'], { K6_TAGS: 'from:env' });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('Experimental feature enabled\nK6_FEATURES=merge-run-tags\n');
    expect(iterationTags('on.json')).toEqual({
      group: '', scenario: 's', env: 'staging', team: 'backend', from: 'env', region: 'us-east', k6_feature_merge_run_tags: 'true',
    });
  });

  it('the higher tier wins a key on collision (TestRunMergeRunTagsCLIWinsOnCollision); K6_FEATURES turns it on too', async () => {
    const r = await stampede([...RUN, '-o', 'json=env.json', '--tag', 'env=prod', 'tags.js'], { K6_FEATURES: 'merge-run-tags' });
    expect(r.code).toBe(0);
    expect(iterationTags('env.json')).toMatchObject({ env: 'prod', team: 'backend', k6_feature_merge_run_tags: 'true' });
  });

  it('an unknown name is an error line and the run goes on; --features wins over K6_FEATURES', async () => {
    const r = await stampede(['run', '-q', '--summary-mode=disabled', '--workers', '1', '-o', 'json=unknown.json', '--features', 'nope', 'tags.js'], { K6_FEATURES: 'merge-run-tags' });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/level=error msg="Unknown feature flag" feature=nope outcome=unknown source=cli\n/);
    expect(iterationTags('unknown.json')).toEqual({ group: '', scenario: 's', env: 'staging', team: 'backend' });
  });
});

writeFileSync(path.join(dir, 'freeze.js'), `import exec from 'k6/execution';
const initEnv = __ENV;
export const options = {
  scenarios: {
    // One after the other (maxDuration + gracefulStop before the next startTime), so one VU runs all three.
    a: { executor: 'per-vu-iterations', vus: 1, iterations: 1, exec: 'probe', maxDuration: '1s', gracefulStop: '0s' },
    b: { executor: 'per-vu-iterations', vus: 1, iterations: 1, exec: 'probe', env: { ONLY_B: 'b' }, startTime: '1100ms', maxDuration: '1s', gracefulStop: '0s' },
    c: { executor: 'per-vu-iterations', vus: 1, iterations: 1, exec: 'probe', startTime: '2200ms', maxDuration: '1s', gracefulStop: '0s' },
  },
};
export function probe() {
  let write;
  try { __ENV.A = 'changed'; write = 'ok'; } catch (e) { write = e.name; }
  console.log(exec.scenario.name + ' vu=' + __VU + ' frozen=' + Object.isFrozen(__ENV) + ' write=' + write + ' A=' + __ENV.A + ' ONLY_B=' + __ENV.ONLY_B + ' sameAsInit=' + (__ENV === initEnv));
}
`);

describe('--features freeze-env (k6 internal/js/env.go, TestBundleNotSharable)', () => {
  it('makes __ENV a frozen object: a write throws a TypeError; a scenario env gives a new frozen object', async () => {
    const r = await stampede([...RUN, '--features', 'freeze-env', '-e', 'A=1', 'freeze.js']);
    expect(r.code).toBe(0);
    expect(r.stderr.split('\n').filter((l) => l.includes('frozen='))).toEqual([
      'a vu=1 frozen=true write=TypeError A=1 ONLY_B=undefined sameAsInit=true',
      'b vu=1 frozen=true write=TypeError A=1 ONLY_B=b sameAsInit=false',
      'c vu=1 frozen=true write=TypeError A=1 ONLY_B=undefined sameAsInit=false',
    ]);
  });

  it('without it, __ENV stays writable; a scenario with an env, and the one after it, get new objects as in k6', async () => {
    const r = await stampede([...RUN, '-e', 'A=1', 'freeze.js']);
    expect(r.code).toBe(0);
    expect(r.stderr.split('\n').filter((l) => l.includes('frozen='))).toEqual([
      'a vu=1 frozen=false write=ok A=changed ONLY_B=undefined sameAsInit=true',
      'b vu=1 frozen=false write=ok A=changed ONLY_B=b sameAsInit=false',
      'c vu=1 frozen=false write=ok A=changed ONLY_B=undefined sameAsInit=false',
    ]);
  });
});

describe('stampede features', () => {
  it("lists k6's feature flags as a table, or JSON", async () => {
    const table = await stampede(['features']);
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toBe('FEATURE             LIFECYCLE      DESCRIPTION');
    expect(table.stdout).toContain('merge-run-tags      Experimental   Merge run tags across config layers instead of replacing\n');
    const json = await stampede(['features', '--json']);
    expect((JSON.parse(json.stdout) as Array<{ feature: string }>).map((f) => f.feature)).toEqual(['freeze-env', 'merge-run-tags', 'native-histograms']);
  });
});
