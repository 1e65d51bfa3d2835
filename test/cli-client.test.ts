// The API client commands as a user runs them: `stampede login`, `cloud run`, and the runs / tests /
// projects commands, against a real `stampede server` process on 127.0.0.1 (runs execute for real).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = new URL('../bin/stampede.js', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'stampede-cli-client-'));
const TOKEN = 'stp_cli_client_test_token_0123456789';
let server: ReturnType<typeof spawn> | undefined;
let url = '';

function cli(args: string[], extraEnv: Record<string, string> = {}): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    env: { PATH: process.env['PATH'] ?? '', XDG_CONFIG_HOME: join(work, 'config'), ...extraEnv },
    encoding: 'utf8',
    timeout: 90_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(async () => {
  server = spawn(process.execPath, [BIN, 'server'], {
    env: { PATH: process.env['PATH'] ?? '', STAMPEDE_PORT: '0', STAMPEDE_DATA_DIR: join(work, 'data'), STAMPEDE_ADMIN_TOKEN: TOKEN },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  server.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  server.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  url = await new Promise<string>((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 40_000);
    const check = () => {
      const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(deadline);
        resolve(m[1]);
      } else setTimeout(check, 50);
    };
    check();
  });
}, 60_000);

afterAll(() => {
  server?.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
});

describe('stampede client commands', () => {
  it('log in, run in the cloud, and manage runs, tests and projects', () => {
    const login = cli(['login', '--url', url, '--token', TOKEN, '--stack', '1']);
    expect(login.code).toBe(0);
    expect(login.out).toMatch(/logged in to stack 1 \(default project 1\)/);

    const passing = join(work, 'passing.js');
    writeFileSync(passing, "export const options = { iterations: 2, cloud: { name: 'cli passing' }, thresholds: { iterations: ['count==2'] } };\nexport default function () {}\n");
    const run = cli(['cloud', 'run', passing]);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/test run 1 completed, result passed/);
    expect(run.out).toContain('█ THRESHOLDS');

    const failing = join(work, 'failing.js');
    writeFileSync(failing, "export const options = { iterations: 1, cloud: { name: 'cli failing' }, thresholds: { iterations: ['count>5'] } };\nexport default function () {}\n");
    expect(cli(['cloud', 'run', failing]).code).toBe(99);

    const list = cli(['runs', 'list']);
    expect(list.out.split('\n')[0]).toMatch(/^ID\s+TEST\s+STATUS\s+RESULT/);
    expect(list.out).toMatch(/1\s+1\s+completed\s+passed/);
    expect(list.out).toMatch(/2\s+2\s+completed\s+failed/);
    const json = JSON.parse(cli(['runs', 'list', '--json']).out) as Array<{ id: number }>;
    expect(json.map((r) => r.id).sort()).toEqual([1, 2]);

    expect(cli(['runs', 'note', '1', 'baseline']).code).toBe(0);
    expect(cli(['runs', 'star', '1']).code).toBe(0);
    expect(cli(['runs', 'save', '1']).code).toBe(0);
    const one = JSON.parse(cli(['runs', 'get', '1', '--json']).out) as { note: string; is_starred: boolean; retention_expiry: string | null };
    expect(one).toMatchObject({ note: 'baseline', is_starred: true, retention_expiry: null });
    expect(cli(['runs', 'unstar', '1']).code).toBe(0);
    expect(cli(['runs', 'unsave', '1']).code).toBe(0);
    expect(cli(['runs', 'script', '1']).out).toContain("cloud: { name: 'cli passing' }");
    expect(cli(['runs', 'summary', '1']).out).toContain('TOTAL RESULTS');
    const abort = cli(['runs', 'abort', '1']);
    expect(abort.code).toBe(1);
    expect(abort.err).toMatch(/409/);
    expect(cli(['runs', 'get', '99']).err).toMatch(/404/);
    expect(cli(['runs', 'delete', '2']).code).toBe(0);

    expect(cli(['tests', 'list']).out).toMatch(/cli passing/);
    expect(cli(['tests', 'script', '2']).out).toContain('count>5');
    expect(JSON.parse(cli(['tests', 'get', '1', '--json']).out)).toMatchObject({ id: 1, name: 'cli passing' });
    expect(cli(['tests', 'delete', '2']).code).toBe(0);

    const created = JSON.parse(cli(['projects', 'create', 'team-b', '--json']).out) as { id: number };
    expect(cli(['projects', 'rename', String(created.id), 'team-c']).code).toBe(0);
    expect(cli(['projects', 'list']).out).toMatch(/team-c/);
    expect(cli(['projects', 'limits', String(created.id), '--json']).code).toBe(0);
    expect(cli(['projects', 'delete', String(created.id)]).code).toBe(0);

    const bad = cli(['runs', 'list'], { K6_CLOUD_TOKEN: 'nope' });
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/401/);
  }, 180_000);
});
