// The API client commands as a user runs them: `stampede login`, `cloud run`, and the runs / tests /
// projects commands, against a real `stampede server` process on 127.0.0.1 (runs execute for real).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listeningUrl } from '../src/cli/cli-server.test-helper.ts';

const BIN = new URL('../bin/stampede.js', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'stampede-cli-client-'));
const TOKEN = 'stp_cli_client_test_token_0123456789';
let server: ReturnType<typeof spawn> | undefined;
let url = '';

/**
 * Runs the CLI without blocking this worker: a test that waits synchronously for a minute of cloud runs
 * starves vitest's own RPC and fails the file with "Timeout calling onTaskUpdate".
 */
function cli(args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env['PATH'] ?? '', XDG_CONFIG_HOME: join(work, 'config'), ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 90_000,
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

beforeAll(async () => {
  server = spawn(process.execPath, [BIN, 'server'], {
    env: { PATH: process.env['PATH'] ?? '', STAMPEDE_PORT: '0', STAMPEDE_DATA_DIR: join(work, 'data'), STAMPEDE_ADMIN_TOKEN: TOKEN },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  server.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  server.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  url = await listeningUrl(() => out, 40_000);
}, 60_000);

afterAll(() => {
  server?.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
});

describe('stampede client commands', () => {
  it('log in, run in the cloud, and manage runs, tests and projects', async () => {
    const login = await cli(['login', '--url', url, '--token', TOKEN, '--stack', '1']);
    expect(login.code).toBe(0);
    expect(login.out).toMatch(/logged in to stack 1 \(default project 1\)/);

    const passing = join(work, 'passing.js');
    writeFileSync(passing, "export const options = { iterations: 2, cloud: { name: 'cli passing' }, thresholds: { iterations: ['count==2'] } };\nexport default function () {}\n");
    const run = await cli(['cloud', 'run', passing]);
    // only k6's note that the stack's default project is used
    expect(run.err).toMatch(/^time="[^"]+" level=warning msg="No projectID specified, using default project of the stack-1 stack"\n$/);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/test run 1 completed, result passed/);
    expect(run.out).toContain('█ THRESHOLDS');

    const failing = join(work, 'failing.js');
    writeFileSync(failing, "export const options = { iterations: 1, cloud: { name: 'cli failing' }, thresholds: { iterations: ['count>5'] } };\nexport default function () {}\n");
    expect((await cli(['cloud', 'run', failing])).code).toBe(99);

    const list = await cli(['runs', 'list']);
    expect(list.out.split('\n')[0]).toMatch(/^ID\s+TEST\s+STATUS\s+RESULT/);
    expect(list.out).toMatch(/1\s+1\s+completed\s+passed/);
    expect(list.out).toMatch(/2\s+2\s+completed\s+failed/);
    const json = JSON.parse((await cli(['runs', 'list', '--json'])).out) as Array<{ id: number }>;
    expect(json.map((r) => r.id).sort()).toEqual([1, 2]);

    expect((await cli(['runs', 'note', '1', 'baseline'])).code).toBe(0);
    expect((await cli(['runs', 'star', '1'])).code).toBe(0);
    expect((await cli(['runs', 'save', '1'])).code).toBe(0);
    const one = JSON.parse((await cli(['runs', 'get', '1', '--json'])).out) as { note: string; is_starred: boolean; retention_expiry: string | null };
    expect(one).toMatchObject({ note: 'baseline', is_starred: true, retention_expiry: null });
    expect((await cli(['runs', 'unstar', '1'])).code).toBe(0);
    expect((await cli(['runs', 'unsave', '1'])).code).toBe(0);
    expect((await cli(['runs', 'script', '1'])).out).toContain("cloud: { name: 'cli passing' }");
    expect((await cli(['runs', 'summary', '1'])).out).toContain('TOTAL RESULTS');
    const abort = await cli(['runs', 'abort', '1']);
    expect(abort.code).toBe(1);
    expect(abort.err).toMatch(/409/);
    expect((await cli(['runs', 'get', '99'])).err).toMatch(/404/);
    expect((await cli(['runs', 'delete', '2'])).code).toBe(0);

    expect((await cli(['tests', 'list'])).out).toMatch(/cli passing/);
    expect((await cli(['tests', 'script', '2'])).out).toContain('count>5');
    expect(JSON.parse((await cli(['tests', 'get', '1', '--json'])).out)).toMatchObject({ id: 1, name: 'cli passing' });
    expect((await cli(['tests', 'delete', '2'])).code).toBe(0);

    const created = JSON.parse((await cli(['projects', 'create', 'team-b', '--json'])).out) as { id: number };
    expect((await cli(['projects', 'rename', String(created.id), 'team-c'])).code).toBe(0);
    expect((await cli(['projects', 'list'])).out).toMatch(/team-c/);
    expect((await cli(['projects', 'limits', String(created.id), '--json'])).code).toBe(0);
    expect((await cli(['projects', 'delete', String(created.id)])).code).toBe(0);

    const bad = await cli(['runs', 'list'], { K6_CLOUD_TOKEN: 'nope' });
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/401/);
  }, 300_000);

  it('`cloud run` packs local imports and opened files into a k6 archive, and runs a ready .tar', async () => {
    const dir = join(work, 'project');
    mkdirSync(join(dir, 'lib'), { recursive: true });
    writeFileSync(join(dir, 'lib', 'names.js'), "export const first = (list) => list[0].name;\n");
    writeFileSync(join(dir, 'users.json'), JSON.stringify([{ name: 'ann' }, { name: 'bob' }]));
    writeFileSync(join(dir, 'main.js'), `import { check } from 'k6';
import { first } from './lib/names.js';
const users = JSON.parse(open('./users.json'));
export const options = { iterations: 3, cloud: { name: 'cli local files' }, thresholds: { checks: ['rate==1'], iterations: ['count==3'] } };
export default function () {
  check(users, { 'module and opened file reached the server': (u) => first(u) === 'ann' && u.length === 2 });
}
`);
    const run = await cli(['cloud', 'run', join(dir, 'main.js')]);
    expect(run.err).not.toMatch(/level=error/);
    expect(run.out).toContain('uploading a k6 archive of main.js and 2 local files it needs');
    expect(run.out).toMatch(/test run \d+ completed, result passed/);
    expect(run.out).toContain('✓ module and opened file reached the server');
    expect(run.code).toBe(0);
    const id = /test run (\d+) started/.exec(run.out)?.[1] ?? '';
    const stored = await cli(['runs', 'script', id]);
    expect(stored.out.startsWith('metadata.json')).toBe(true);
    expect(stored.out).toContain('./lib/names.js');

    // A script that needs nothing else still goes up as plain JS.
    const alone = join(dir, 'alone.js');
    writeFileSync(alone, "export const options = { iterations: 1, cloud: { name: 'cli alone' } };\nexport default function () {}\n");
    const plain = await cli(['cloud', 'run', alone]);
    expect(plain.code).toBe(0);
    expect(plain.out).not.toContain('uploading a k6 archive');
    expect((await cli(['runs', 'script', /test run (\d+) started/.exec(plain.out)?.[1] ?? ''])).out).toContain("cloud: { name: 'cli alone' }");

    const tar = join(work, 'made.tar');
    expect((await cli(['archive', join(dir, 'main.js'), '-O', tar, '-i', '4'])).code).toBe(0);
    rmSync(dir, { recursive: true });
    const fromTar = await cli(['cloud', 'run', tar]);
    expect(fromTar.err).toContain('level=error msg="Thresholds have been crossed"');
    expect(fromTar.out).not.toContain('uploading a k6 archive');
    // The archive's consolidated options say 4 iterations, so its own threshold (count==3) fails.
    expect(fromTar.out).toMatch(/test run \d+ completed, result failed/);
    expect(fromTar.out).toContain('✓ module and opened file reached the server');
    expect(fromTar.code).toBe(99);

    const missing = await cli(['cloud', 'run', join(work, 'nope.js')]);
    // k6 loads the script first and fails without an exit code of its own (-1, 255)
    expect(missing.code).toBe(255);
    expect(missing.err).toMatch(/nope\.js/);
  }, 300_000);
});
