// `stampede runs …` against a real server listening on 127.0.0.1, logged in through the environment
// (STAMPEDE_URL, K6_CLOUD_TOKEN, K6_CLOUD_STACK_ID) as a CI job would be.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCommand, startCliTestServer, type CliTestServer } from './cli-server.test-helper.ts';
import { registerCloudCommands } from './cloud-commands.ts';

let server: CliTestServer;
let runId: number;

beforeAll(async () => {
  server = await startCliTestServer();
  const { store, stackId, projectId } = server;
  vi.stubEnv('XDG_CONFIG_HOME', server.dir);
  vi.stubEnv('STAMPEDE_URL', server.url);
  vi.stubEnv('K6_CLOUD_TOKEN', server.token);
  vi.stubEnv('K6_CLOUD_STACK_ID', String(stackId));

  // A run whose runner was lost: its summary is rebuilt from the stored per-second metrics.
  const test = await store.loadTests.create(stackId, { projectId, name: 'shop', script: { bytes: new TextEncoder().encode('export default () => {}'), contentType: 'text/javascript' } });
  runId = (await store.testRuns.create({ stackId, loadTestId: test.id, startedBy: null })).run.id;
  for (const to of ['queued', 'initializing', 'running'] as const) await store.testRuns.transition(runId, to);
  await store.runMetrics.append(runId, {
    time: 1_700_000_000_000,
    metrics: [
      { name: 'http_reqs', type: 'counter', contains: 'default' },
      { name: 'checks', type: 'rate', contains: 'default' },
    ],
    series: [
      { metric: 'http_reqs', tags: { scenario: 'default', group: '::checkout' }, counter: { sum: 5 } },
      { metric: 'checks', tags: { scenario: 'default', group: '::checkout', check: 'paid' }, rate: { nonzero: 5, total: 5 } },
    ],
  });
  await store.testRuns.transition(runId, 'aborted');
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await server.close();
});

const stampede = (...args: string[]): Promise<string> => runCommand(registerCloudCommands, args);

describe('stampede runs summary', () => {
  it('prints k6\'s compact text by default and the full one, with a section per group, with --mode full', async () => {
    const compact = await stampede('runs', 'summary', String(runId));
    expect(compact).toContain('█ TOTAL RESULTS');
    expect(compact).toContain('✓ paid');
    expect(compact).not.toContain('GROUP:');
    const full = await stampede('runs', 'summary', String(runId), '--mode', 'full');
    expect(full).toContain('\n\n  █ GROUP: checkout \n\n    checks_total.......: 5 ');
    expect(full.slice(full.indexOf('█ GROUP: checkout'))).toContain('✓ paid');
    const json = JSON.parse(await stampede('runs', 'summary', String(runId), '--mode', 'full', '--json')) as { text: string; metrics: Record<string, unknown> };
    expect(json.text).toBe(full);
    expect(Object.keys(json.metrics)).toEqual(expect.arrayContaining(['http_reqs', 'checks']));
  });

  it('refuses a mode k6 does not have, naming the ones it does', async () => {
    await expect(stampede('runs', 'summary', String(runId), '--mode', 'legacy')).rejects.toThrow(/Allowed choices are compact, full/);
  });
});
