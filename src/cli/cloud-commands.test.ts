// `stampede runs …` against a real server listening on 127.0.0.1, logged in through the environment
// (STAMPEDE_URL, K6_CLOUD_TOKEN, K6_CLOUD_STACK_ID) as a CI job would be.
import { Command } from 'commander';
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

describe('stampede runs logs', () => {
  it('prints a run’s lines, and with --follow prints new ones while the run goes on, once each and in order, until it ends', async () => {
    const { store, stackId, projectId } = server;
    const test = await store.loadTests.create(stackId, { projectId, name: 'followed', script: { bytes: new TextEncoder().encode('export default () => {}'), contentType: 'text/javascript' } });
    const id = (await store.testRuns.create({ stackId, loadTestId: test.id, startedBy: null })).run.id;
    for (const to of ['queued', 'initializing', 'running'] as const) await store.testRuns.transition(id, to);
    const line = (message: string, level = 'info') => ({ time: Date.now() * 1000, level, message, labels: { test_run_id: String(id), lz: 'amazon:us:ashburn', source: 'console' } });
    await store.runLogs.append(id, [line('started')]);
    expect(await stampede('runs', 'logs', String(id))).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z info    started lz=amazon:us:ashburn source=console\n$/);

    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
    try {
      const program = new Command().exitOverride();
      registerCloudCommands(program);
      const following = program.parseAsync(['node', 'stampede', 'runs', 'logs', String(id), '--follow', '--json']);
      const messages = () => out.map((l) => (JSON.parse(l) as { message: string }).message);
      await expect.poll(messages, { timeout: 5_000 }).toEqual(['started']);
      // A line logged while the run goes on shows up before the run ends.
      await store.runLogs.append(id, [line('checkout failed', 'error')]);
      await expect.poll(messages, { timeout: 5_000 }).toEqual(['started', 'checkout failed']);
      await store.runLogs.append(id, [line('last words')]);
      await store.testRuns.transition(id, 'processing_metrics');
      await store.testRuns.transition(id, 'completed');
      await following;
      expect(messages()).toEqual(['started', 'checkout failed', 'last words']);
      expect(JSON.parse(out[1] as string)).toEqual({ id: expect.any(Number), time: expect.any(String), level: 'error', message: 'checkout failed', labels: { test_run_id: String(id), lz: 'amazon:us:ashburn', source: 'console' } });
    } finally {
      spy.mockRestore();
    }
  });
});

describe('stampede schedules', () => {
  it('sets a load test’s schedule from flags, lists it in words, deactivates, re-activates and deletes it', async () => {
    const { store, stackId, projectId } = server;
    const test = await store.loadTests.create(stackId, { projectId, name: 'nightly', script: { bytes: new TextEncoder().encode('export default () => {}'), contentType: 'text/javascript' } });
    const cron = JSON.parse(await stampede('schedules', 'set', String(test.id), '--starts', '2030-01-01T00:00:00Z', '--cron', '0 2 * * *', '--time-zone', 'Europe/Berlin', '--json')) as { id: number; next_run: string };
    // 02:00 in Berlin in winter is 01:00 UTC.
    expect(cron).toMatchObject({ load_test_id: test.id, cron: { schedule: '0 2 * * *', time_zone: 'Europe/Berlin' }, next_run: '2030-01-01T01:00:00.000Z' });
    const weekly = await stampede('schedules', 'set', String(test.id), '--starts', '2030-01-01T06:00:00Z', '--every', 'weekly', '--on', 'mo,th', '--count', '10');
    expect(weekly).toContain('every week on MO,TH from 2030-01-01T06:00:00Z, 10 times');
    expect(weekly).toContain('2030-01-03T06:00:00.000Z');
    expect(await stampede('schedules', 'list')).toContain('every week on MO,TH');
    expect(await stampede('schedules', 'deactivate', String(cron.id))).toBe(`schedule ${cron.id}: deactivated\n`);
    expect(await stampede('schedules', 'get', String(test.id))).toMatch(/\bno\b/);
    await stampede('schedules', 'activate', String(cron.id));
    await stampede('schedules', 'delete', String(cron.id));
    expect(JSON.parse(await stampede('schedules', 'list', '--json'))).toEqual([]);
  });

  it('says what is wrong with a schedule the server refuses, and exits 1', async () => {
    const stderr: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr.push(String(chunk));
      return true;
    });
    try {
      await stampede('schedules', 'set', '1', '--cron', '0 2 * * *', '--time-zone', 'Mars/Olympus');
      expect(process.exitCode).toBe(1);
      expect(stderr.join('')).toMatch(/Mars\/Olympus.*not a known IANA time zone/);
    } finally {
      spy.mockRestore();
      process.exitCode = 0;
    }
  });
});
