// `stampede server` as a user starts it: a real process with env configuration, the first-start token
// printed once, the API answering, and a clean stop on SIGTERM.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listeningUrl } from './cli-server.test-helper.ts';

const BIN = new URL('../../bin/stampede.js', import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), 'stampede-cli-server-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function startServer(env: Record<string, string>) {
  const child = spawn(process.execPath, [BIN, 'server'], { env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const listening = listeningUrl(() => out, 25_000);
  // A server expected to fail never prints its URL: its unawaited timeout must not surface as an unhandled rejection.
  listening.catch(() => undefined);
  return { child, exited, listening, output: () => out };
}

describe('stampede server', () => {
  // Found by the dependency-failure QA pass: with PostgreSQL down the server exited with pg's bare
  // "connect ECONNREFUSED …" (or "Connection terminated unexpectedly"), not saying it was the database.
  it('exits 1 naming the database it cannot reach, without its password', async () => {
    const down = startServer({ DATABASE_URL: 'postgres://stampede:s3cret@127.0.0.1:1/stampede', STAMPEDE_PORT: '0' });
    expect(await down.exited).toBe(1);
    expect(down.output()).toContain('stampede server: cannot reach the PostgreSQL database at 127.0.0.1:1/stampede (DATABASE_URL): connect ECONNREFUSED');
    expect(down.output()).not.toContain('s3cret');
  }, 30_000);

  it('prints the first-start token once, serves the API with it and stops on SIGTERM', async () => {
    const first = startServer({ STAMPEDE_DATA_DIR: dataDir, STAMPEDE_PORT: '0' });
    const url = await first.listening;
    const token = /\n {2}(stp_\S+)\n/.exec(first.output())?.[1];
    expect(token).toBeDefined();
    const res = await fetch(`${url}/cloud/v6/auth`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ stack_id: 1, default_project_id: 1 });
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const second = startServer({ STAMPEDE_DATA_DIR: dataDir, STAMPEDE_PORT: '0' });
    const url2 = await second.listening;
    expect(second.output()).not.toMatch(/stp_/);
    const again = await fetch(`${url2}/cloud/v6/projects`, { headers: { authorization: `Bearer ${token}`, 'x-stack-id': '1' } });
    expect(again.status).toBe(200);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });

  it('exits with an error when the port is taken', async () => {
    const first = startServer({ STAMPEDE_DATA_DIR: dataDir, STAMPEDE_PORT: '0' });
    const port = new URL(await first.listening).port;
    const otherDir = mkdtempSync(join(tmpdir(), 'stampede-cli-server-other-'));
    try {
      const second = startServer({ STAMPEDE_DATA_DIR: otherDir, STAMPEDE_PORT: port });
      expect(await second.exited).toBe(1);
      expect(second.output()).toMatch(/EADDRINUSE/);
    } finally {
      rmSync(otherDir, { recursive: true, force: true });
    }
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
  });

  it('refuses to start on a data folder another server is using, which keeps serving', async () => {
    // A second server would take the first one's runs in flight for a crash's and abort them.
    const first = startServer({ STAMPEDE_DATA_DIR: dataDir, STAMPEDE_PORT: '0', STAMPEDE_ADMIN_TOKEN: 'lock-test-admin-token-0123' });
    const url = await first.listening;
    const second = startServer({ STAMPEDE_DATA_DIR: dataDir, STAMPEDE_PORT: '0' });
    expect(await second.exited).toBe(1);
    expect(second.output()).toMatch(/stampede server: Another Stampede server \(pid \d+, since .*\) is using the data folder .*run one server per database/);
    const res = await fetch(`${url}/cloud/v6/projects`, { headers: { authorization: 'Bearer lock-test-admin-token-0123', 'x-stack-id': '1' } });
    expect(res.status).toBe(200);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    // Stopped, it let go: the next server starts.
    const third = startServer({ STAMPEDE_DATA_DIR: dataDir, STAMPEDE_PORT: '0' });
    await third.listening;
    third.child.kill('SIGTERM');
    expect(await third.exited).toBe(0);
  });

  it('refuses bad configuration, naming every bad variable', async () => {
    const bad = startServer({ STAMPEDE_DATA_DIR: dataDir, STAMPEDE_PORT: 'eighty', STAMPEDE_PUBLIC_URL: 'nope' });
    expect(await bad.exited).toBe(2);
    expect(bad.output()).toMatch(/STAMPEDE_PORT/);
    expect(bad.output()).toMatch(/STAMPEDE_PUBLIC_URL/);
  });

  it('runs a scheduled load test for real at its time, by the schedule’s creator', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stampede-cli-schedule-'));
    try {
      const server = startServer({ STAMPEDE_DATA_DIR: dir, STAMPEDE_PORT: '0', STAMPEDE_ADMIN_TOKEN: 'schedule-admin-token-0123' });
      const url = await server.listening;
      const headers = { authorization: 'Bearer schedule-admin-token-0123', 'x-stack-id': '1' };
      const form = new FormData();
      form.append('name', 'nightly');
      form.append('script', new Blob(["export const options = { iterations: 2 };\nexport default function () {}\n"]), 'nightly.js');
      const created = await fetch(`${url}/cloud/v6/projects/1/load_tests`, { method: 'POST', headers, body: form });
      expect(created.status).toBe(201);
      const test = (await created.json()) as { id: number };
      const at = new Date(Date.now() + 2000);
      const set = await fetch(`${url}/cloud/v6/load_tests/${test.id}/schedule`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ starts: at.toISOString() }) });
      expect(set.status).toBe(200);
      let runs: { status: string; started_by: string | null; created: string }[] = [];
      for (let waited = 0; waited < 60_000 && runs[0]?.status !== 'completed'; waited += 500) {
        await new Promise((r) => setTimeout(r, 500));
        runs = ((await (await fetch(`${url}/cloud/v6/load_tests/${test.id}/test_runs`, { headers })).json()) as { value: typeof runs }).value;
      }
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({ status: 'completed', started_by: 'admin@stampede.local' });
      expect(Date.parse(runs[0]?.created ?? '')).toBeGreaterThanOrEqual(at.getTime());
      const schedule = (await (await fetch(`${url}/cloud/v6/load_tests/${test.id}/schedule`, { headers })).json()) as { next_run: string | null };
      expect(schedule.next_run).toBeNull();
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});

describe('stampede server with STAMPEDE_LOAD_ZONES', () => {
  it('creates the declared zones that are missing, so runs can name them', async () => {
    const zonesDir = mkdtempSync(join(tmpdir(), 'stampede-cli-zones-'));
    try {
      const server = startServer({ STAMPEDE_DATA_DIR: zonesDir, STAMPEDE_PORT: '0', STAMPEDE_ADMIN_TOKEN: 'zones-admin-token-0123', STAMPEDE_LOAD_ZONES: 'amazon:de:frankfurt=Frankfurt runners, amazon:us:ashburn' });
      const url = await server.listening;
      const res = await fetch(`${url}/cloud/v6/load_zones`, { headers: { authorization: 'Bearer zones-admin-token-0123', 'x-stack-id': '1' } });
      const zones = ((await res.json()) as { value: { k6_load_zone_id: string; name: string }[] }).value;
      expect(zones.map((z) => [z.k6_load_zone_id, z.name])).toEqual([['amazon:us:ashburn', 'Stampede local runners'], ['amazon:de:frankfurt', 'Frankfurt runners']]);
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    } finally {
      rmSync(zonesDir, { recursive: true, force: true });
    }
  });

  it('refuses a bad declaration', async () => {
    const bad = startServer({ STAMPEDE_DATA_DIR: dataDir, STAMPEDE_PORT: '0', STAMPEDE_LOAD_ZONES: 'Frankfurt Zone' });
    expect(await bad.exited).toBe(2);
    expect(bad.output()).toMatch(/STAMPEDE_LOAD_ZONES: k6_load_zone_id "Frankfurt Zone" is not a load zone id/);
  });
});
