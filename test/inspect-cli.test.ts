// `stampede inspect` as a user runs it: k6 inspect's JSON (every lib.Options field in k6's order, Go's
// escaping, no trailing newline), the script's own options or the derived ones with
// --execution-requirements, and run's errors and exit codes.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './scripts/cli-process.ts';

const work = mkdtempSync(join(tmpdir(), 'stampede-inspect-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// lib.Options' JSON fields in the struct's order (k6 lib/options.go; consoleOutput and localIPs are json:"-").
const LIB_OPTIONS_KEYS = [
  'paused', 'vus', 'duration', 'iterations', 'stages', 'scenarios', 'executionSegment', 'executionSegmentSequence',
  'noSetup', 'setupTimeout', 'noTeardown', 'teardownTimeout', 'handleSummaryTimeout', 'rps', 'dns', 'maxRedirects',
  'userAgent', 'batch', 'batchPerHost', 'httpDebug', 'insecureSkipTLSVerify', 'tlsCipherSuites', 'tlsVersion', 'tlsAuth',
  'throw', 'thresholds', 'blacklistIPs', 'blockHostnames', 'hosts', 'noConnectionReuse', 'noVUConnectionReuse',
  'minIterationDuration', 'ext', 'summaryTrendStats', 'summaryTimeUnit', 'systemTags', 'tags', 'metricSamplesBufferSize',
  'noCookiesReset', 'discardResponseBodies', 'features',
];

function script(name: string, body: string): string {
  writeFileSync(join(work, name), body);
  return name;
}

const shortcuts = script(
  'shortcuts.js',
  "export const options = { vus: 2, duration: '90s', thresholds: { http_req_duration: ['p(95)<500'] } };\nexport default function () {}\n",
);

describe('stampede inspect', { timeout: 120_000 }, () => {
  it("prints the script's own options as k6 marshals lib.Options", async () => {
    const r = await runCli(['inspect', shortcuts], { cwd: work });
    expect(r.code).toBe(0);
    expect(r.stdout.endsWith('}')).toBe(true); // k6 prints no newline after the JSON
    expect(r.stdout).toContain('"p(95)\\u003c500"'); // Go's json escapes < > &
    expect(r.stdout).toContain('\n  "vus": 2,\n  "duration": "1m30s",\n');
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual(LIB_OPTIONS_KEYS);
    // Nothing but the script: no derived scenario, no defaults.
    expect(doc.scenarios).toBeNull();
    expect(doc.summaryTrendStats).toBeNull();
    expect(doc.systemTags).toBeNull();
    expect(doc.iterations).toBeNull();
  });

  it('--execution-requirements adds the env tier, the derived scenarios, totalDuration and maxVUs', async () => {
    const r = await runCli(['inspect', '--execution-requirements', shortcuts], { cwd: work, env: { K6_ITERATIONS: '4' } });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual([...LIB_OPTIONS_KEYS, 'totalDuration', 'maxVUs']);
    // K6_ITERATIONS (env) replaces the script's duration; vus stays.
    expect(doc).toMatchObject({ vus: 2, duration: null, iterations: 4 });
    expect(doc.scenarios).toEqual({
      default: {
        executor: 'shared-iterations', startTime: null, gracefulStop: null, env: null, exec: null, tags: null,
        vus: 2, iterations: 4, maxDuration: null,
      },
    });
    expect(doc.summaryTrendStats).toEqual(['avg', 'min', 'med', 'max', 'p(90)', 'p(95)']);
    // shared-iterations: maxDuration 10m + gracefulStop 30s.
    expect(doc).toMatchObject({ totalDuration: '10m30s', maxVUs: 2 });
  });

  it('--execution-requirements plans declared scenarios', async () => {
    const f = script(
      'scenarios.js',
      "export const options = { scenarios: { a: { executor: 'constant-arrival-rate', rate: 5, duration: '1m', preAllocatedVUs: 3, maxVUs: 10 },\n"
        + "  b: { executor: 'ramping-vus', startTime: '30s', stages: [{ duration: '2m', target: 4 }] } } };\nexport default function () {}\n",
    );
    const r = await runCli(['inspect', '--execution-requirements', f], { cwd: work });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { scenarios: Record<string, unknown>; totalDuration: string; maxVUs: number };
    expect(Object.keys(doc.scenarios)).toEqual(['a', 'b']);
    // b: 30s start + 2m stages + 30s gracefulRampDown/gracefulStop.
    expect(doc.totalDuration).toBe('3m0s');
    // a's 10 VUs until 1m30s, while b has ramped from 1 to 2 of its 4 (k6 GetMaxPossibleVUs).
    expect(doc.maxVUs).toBe(12);
    const plain = JSON.parse((await runCli(['inspect', f], { cwd: work })).stdout) as { scenarios: { b: unknown } };
    expect(plain.scenarios.b).toEqual({
      executor: 'ramping-vus', startTime: '30s', gracefulStop: null, env: null, exec: null, tags: null,
      startVUs: null, stages: [{ duration: '2m0s', target: 4 }], gracefulRampDown: null,
    });
  });

  it('reads an archive', async () => {
    const a = await runCli(['archive', '-O', 'shortcuts.tar', shortcuts], { cwd: work });
    expect(a.code).toBe(0);
    const r = await runCli(['inspect', '--execution-requirements', 'shortcuts.tar'], { cwd: work });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ vus: 2, duration: '1m30s', totalDuration: '2m0s', maxVUs: 2 });
  });

  it("reports load errors as run does, with k6's exit codes", async () => {
    const missing = await runCli(['inspect', 'nope.js'], { cwd: work });
    expect(missing.code).toBe(255);
    expect(missing.stderr).toContain('The moduleSpecifier \\"nope.js\\" couldn\'t be found on local disk');
    expect(missing.stdout).toBe('');

    const thrown = await runCli(['inspect', script('throws.js', "throw new Error('boom');\n")], { cwd: work });
    expect(thrown.code).toBe(107);
    expect(thrown.stderr).toContain('boom');

    const invalid = await runCli(
      ['inspect', '--execution-requirements', script('invalid.js', "export const options = { duration: '-1s' };\nexport default function () {}\n")],
      { cwd: work },
    );
    expect(invalid.code).toBe(104);
    expect(invalid.stderr).toContain('`duration` option should be more than 0');

    const noArg = await runCli(['inspect'], { cwd: work });
    expect(noArg.code).toBe(255);
  });
});
