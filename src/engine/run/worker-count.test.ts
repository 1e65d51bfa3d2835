import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/scripts/cli-process.ts';
import { ExecutionTuple } from '../executors/execution-segment.ts';
import { parseScenarios } from '../executors/scenario-config.ts';
import { workerCount } from './worker-count.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const scenarios = (raw: Record<string, unknown>) => parseScenarios(raw).scenarios;

describe('the number of worker threads of a run', () => {
  it('is the requested number, capped by the max VUs', () => {
    const s = scenarios({ a: { executor: 'constant-vus', vus: 4, duration: '1s' } });
    expect(workerCount(2, 4, s, ExecutionTuple.of())).toBe(2);
    expect(workerCount(8, 4, s, ExecutionTuple.of())).toBe(4);
  });

  it('is capped by the pre-allocated VUs of an arrival-rate scenario that may initialise more', () => {
    const rar = { executor: 'ramping-arrival-rate', preAllocatedVUs: 1, maxVUs: 2, stages: [{ target: 5, duration: '1s' }] };
    expect(workerCount(2, 2, scenarios({ rar }), ExecutionTuple.of())).toBe(1);
    const car = { executor: 'constant-arrival-rate', rate: 5, duration: '1s', preAllocatedVUs: 0, maxVUs: 3 };
    expect(workerCount(4, 3, scenarios({ car }), ExecutionTuple.of())).toBe(1);
    // Without unplanned VUs a worker with no pre-allocated VU gets no iteration: no cap.
    const fixed = { executor: 'constant-arrival-rate', rate: 5, duration: '1s', preAllocatedVUs: 1 };
    const vus = { executor: 'constant-vus', vus: 4, duration: '1s' };
    expect(workerCount(2, 5, scenarios({ fixed, vus }), ExecutionTuple.of())).toBe(2);
  });

  it('drops no iteration and initialises no extra VU where one k6 process would not (two workers asked)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'worker-count-'));
    dirs.push(dir);
    writeFileSync(path.join(dir, 'test.js'), `export const options = { scenarios: { testing: {
      executor: 'ramping-arrival-rate', startRate: 5, timeUnit: '1s', preAllocatedVUs: 1, maxVUs: 2,
      stages: [{ target: 5, duration: '2s' }] } } };
    export default function () {}`);
    const r = await runCli(['run', '--no-color', '--workers', '2', 'test.js'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('execution: local (1 worker thread)');
    expect(r.stdout).not.toContain('dropped_iterations');
    expect(r.stdout).toMatch(/vus_max\.+: 1 /);
  }, 30_000);
});
