// `stampede cloud …` as a CI job written for `k6 cloud …` uses it, against a real server on 127.0.0.1
// whose orchestrator runs the uploaded tests (tiny scripts, no network). The checklist of what matches
// k6 and what differs is test/k6-cloud-cli-parity.md.
import { Command } from 'commander';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCliTestServer, type CliTestServer } from './cli-server.test-helper.ts';
import { registerCloudCommands } from './cloud-commands.ts';
import { legacyCloudArgs, maskToken, normalizeStackUrl, type CloudCommandHost } from './cloud-k6-commands.ts';
import { addGlobalFlags } from './global-flags.ts';
import { processIo } from './process-io.ts';

let server: CliTestServer;
let work: string;
let loggedIn: Record<string, string>;

beforeAll(async () => {
  server = await startCliTestServer({ runs: true });
  work = mkdtempSync(join(tmpdir(), 'stampede-cloud-cli-'));
  loggedIn = { XDG_CONFIG_HOME: work, STAMPEDE_URL: server.url, K6_CLOUD_TOKEN: server.token, K6_CLOUD_STACK_ID: String(server.stackId) };
}, 60_000);

afterAll(async () => {
  await server.close();
  rmSync(work, { recursive: true, force: true });
});

interface Outcome { code: number; out: string; err: string }

/** `stampede …args` with `env` as the whole environment; exit code, stdout and stderr. */
async function stampede(args: string[], env: Record<string, string> = loggedIn, stdin = ''): Promise<Outcome> {
  let out = '';
  let err = '';
  const host: CloudCommandHost = {
    io: () => processIo({
      env: { ...env },
      cwd: work,
      stdout: { write: (s) => void (out += s), isTTY: false },
      stderr: { write: (s) => void (err += s), isTTY: false },
    }),
    exit: () => {},
    onInterrupt: () => {},
    sleep: (ms) => new Promise((ok) => setTimeout(ok, ms)),
    pollMs: 200,
    readStdin: () => Promise.resolve(new TextEncoder().encode(stdin)),
  };
  const program = new Command().exitOverride();
  addGlobalFlags(program);
  registerCloudCommands(program, host);
  process.exitCode = undefined;
  try {
    await program.parseAsync(['node', 'stampede', ...args]);
  } finally {
    // keep vitest's own exit code untouched
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  return { code, out, err };
}

function script(name: string, source: string): string {
  const file = join(work, name);
  writeFileSync(file, source);
  return file;
}

async function api<T>(path: string): Promise<T> {
  const res = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${server.token}`, 'x-stack-id': String(server.stackId) } });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as T;
}

const PASSING = `import { check } from 'k6';
export const options = { iterations: 1, thresholds: { checks: ['rate>0.99'] } };
export default function () { check(__ENV.WHO, { 'who is set': (v) => v === 'ci' }); }
`;

describe('stampede cloud run', () => {
  it('sends the option flags consolidated with the script (as a k6 archive), follows the run and exits 0 with k6\'s lines', async () => {
    const file = script('flags.js', PASSING);
    const r = await stampede(['cloud', 'run', '-i', '2', '-e', 'WHO=ci', '--tag', 'team=qa', file]);
    expect(r.err).not.toContain('level=error');
    expect(r.code).toBe(0);
    expect(r.out).toContain('     execution: cloud\n');
    expect(r.out).toMatch(/ {8}output: http:\/\/127\.0\.0\.1:\d+\/\S+\n/);
    expect(r.out).toContain('     test status: Finished\n');
    expect(r.err).toContain('No projectID specified, using default project of the stack-');
    const id = Number(/test run (\d+) started/.exec(r.out)?.[1]);
    const run = await api<{ options: Record<string, unknown>; result: string }>(`/cloud/v6/test_runs/${id}`);
    expect(run.result).toBe('passed');
    expect(run.options).toMatchObject({ iterations: 2, tags: { team: 'qa' } });
    // the -e value reached the script: its check passed on the server
    const stored = await fetch(`${server.url}/cloud/v6/test_runs/${id}/script`, { headers: { authorization: `Bearer ${server.token}`, 'x-stack-id': String(server.stackId) } });
    expect(new Uint8Array(await stored.arrayBuffer()).subarray(257, 262)).toEqual(new TextEncoder().encode('ustar'));
  }, 60_000);

  it('exits 99 with "Thresholds have been crossed" when the run\'s thresholds fail', async () => {
    const file = script('fails.js', PASSING);
    const r = await stampede(['cloud', 'run', file]);
    expect(r.code).toBe(99);
    expect(r.out).toContain('     test status: Finished\n');
    expect(r.err).toMatch(/level=error msg="Thresholds have been crossed"/);
  }, 60_000);

  it('returns once the run is running with --exit-on-running, or K6_EXIT_ON_RUNNING=true', async () => {
    const file = script('long.js', "import { sleep } from 'k6';\nexport const options = { vus: 1, duration: '20s' };\nexport default function () { sleep(1); }\n");
    for (const [args, env] of [[['--exit-on-running'], loggedIn], [[], { ...loggedIn, K6_EXIT_ON_RUNNING: 'true' }]] as const) {
      const r = await stampede(['cloud', 'run', ...args, file], env);
      expect(r.code, r.err).toBe(0);
      expect(r.out).toContain('     test status: Running\n');
      const id = Number(/test run (\d+) started/.exec(r.out)?.[1]);
      await fetch(`${server.url}/cloud/v6/test_runs/${id}/abort`, { method: 'POST', headers: { authorization: `Bearer ${server.token}`, 'x-stack-id': String(server.stackId) } });
    }
  }, 90_000);

  it('follows the run to its end when --no-exit-on-running (pflag\'s --exit-on-running=false) overrides K6_EXIT_ON_RUNNING=true', async () => {
    const r = await stampede(['cloud', 'run', '--no-exit-on-running', '-e', 'WHO=ci', script('to-end.js', PASSING)], { ...loggedIn, K6_EXIT_ON_RUNNING: 'true' });
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('     test status: Finished\n');
  }, 60_000);

  it('prints the run\'s log lines as they come (k6\'s --show-logs, on by default), and not with --show-logs=false or K6_SHOW_CLOUD_LOGS=false', async () => {
    const file = script('logs.js', "export const options = { iterations: 2 };\nexport default function () { console.log('hello from iteration ' + __ITER); }\n");
    const shown = await stampede(['cloud', 'run', file]);
    expect(shown.code, shown.err).toBe(0);
    const id = Number(/test run (\d+) started/.exec(shown.out)?.[1]);
    expect(shown.err).toMatch(new RegExp(`level=info msg="hello from iteration 0" instance_id=0 lz="amazon:us:ashburn" source=console test_run_id=${id}\n`));
    expect(shown.err).toContain('msg="hello from iteration 1"');
    for (const [args, env] of [[['--no-show-logs'], loggedIn], [[], { ...loggedIn, K6_SHOW_CLOUD_LOGS: 'false' }]] as const) {
      const hidden = await stampede(['cloud', 'run', ...args, file], env);
      expect(hidden.code, hidden.err).toBe(0);
      expect(hidden.err).not.toContain('hello from iteration');
    }
  }, 90_000);

  it('reads the script from stdin with `-`, as `k6 cloud run - < script.js`', async () => {
    const r = await stampede(['cloud', 'run', '-e', 'WHO=ci', '-'], loggedIn, PASSING.replace("iterations: 1", "iterations: 1, cloud: { name: 'from stdin' }"));
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('        script: -\n');
    expect(r.out).toContain('     test status: Finished\n');
    const tests = await api<{ value: Array<{ name: string }> }>(`/cloud/v6/projects/${server.projectId}/load_tests?name=from%20stdin`);
    expect(tests.value).toHaveLength(1);
  }, 60_000);

  it('puts the test in the project K6_CLOUD_PROJECT_ID names, without the default-project warning', async () => {
    const created = await fetch(`${server.url}/cloud/v6/projects`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'x-stack-id': String(server.stackId), 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'ci-project' }),
    });
    const project = (await created.json()) as { id: number };
    const r = await stampede(['cloud', 'upload', script('in-project.js', PASSING)], { ...loggedIn, K6_CLOUD_PROJECT_ID: String(project.id) });
    expect(r.code, r.err).toBe(0);
    expect(r.err).not.toContain('No projectID specified');
    const tests = await api<{ value: Array<{ name: string }> }>(`/cloud/v6/projects/${project.id}/load_tests`);
    expect(tests.value.map((t) => t.name)).toEqual(['in-project.js']);
  }, 60_000);

  it("logs in with the script's options.cloud.token and stackID (k6: saved login < script < env), names the test by K6_CLOUD_NAME", async () => {
    const file = script('script-login.js', `export const options = { cloud: { token: ${JSON.stringify(server.token)}, stackID: ${server.stackId}, name: 'from script' } };\nexport default function () {}\n`);
    const env = { XDG_CONFIG_HOME: join(work, 'no-login'), STAMPEDE_URL: server.url };
    const r = await stampede(['cloud', 'upload', file], env);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('"from script" uploaded');
    const named = await stampede(['cloud', 'upload', file], { ...env, K6_CLOUD_NAME: 'from env' });
    expect(named.out).toContain('"from env" uploaded');
  }, 60_000);

  it('refuses a bad K6_EXIT_ON_RUNNING with k6\'s message (255)', async () => {
    const r = await stampede(['cloud', 'run', script('x.js', PASSING)], { ...loggedIn, K6_EXIT_ON_RUNNING: 'invalid' });
    expect(r.code).toBe(255);
    expect(r.err).toContain('parsing K6_EXIT_ON_RUNNING returned an error');
  });

  it.each([
    [['--linger'], 'the --linger flag can only be used in conjunction with the --local-execution flag'],
    [['--no-cloud-secrets'], 'the --no-cloud-secrets flag can only be used in conjunction with the --local-execution flag'],
    [['--no-cloud-logs'], 'the --no-cloud-logs flag can only be used in conjunction with the --local-execution flag'],
    [['--local-execution', '--exit-on-running'], 'the --local-execution flag is not compatible with the --exit-on-running flag'],
    [['--local-execution', '--show-logs'], 'the --local-execution flag is not compatible with the --show-logs flag'],
  ])('refuses %j as k6 does (104)', async (flags, message) => {
    const r = await stampede(['cloud', 'run', ...flags, script('y.js', PASSING)]);
    expect(r.code).toBe(104);
    expect(r.err).toContain(message);
  });

  it('runs --local-execution here, and without a login fails with k6\'s message (255) before the test starts', async () => {
    const r = await stampede(['cloud', 'run', '--local-execution', script('z.js', PASSING)], { XDG_CONFIG_HOME: join(work, 'empty'), STAMPEDE_URL: server.url, K6_CLOUD_STACK_ID: '1' });
    expect(r.code).toBe(255);
    expect(r.err).toContain('Running cloud tests requires auth settings: access token not configured');
    expect(r.out).not.toContain('checks');
  });

  it('without a token or a stack fails with k6\'s message (255), after loading the script', async () => {
    const file = script('auth.js', PASSING);
    const noToken = await stampede(['cloud', 'run', file], { XDG_CONFIG_HOME: join(work, 'empty'), STAMPEDE_URL: server.url, K6_CLOUD_STACK_ID: '1' });
    expect(noToken.code).toBe(255);
    expect(noToken.err).toContain('Running cloud tests requires auth settings: access token not configured.');
    expect(noToken.err).toContain('stampede cloud login');
    const noStack = await stampede(['cloud', 'run', file], { XDG_CONFIG_HOME: join(work, 'empty'), STAMPEDE_URL: server.url, K6_CLOUD_TOKEN: 'x' });
    expect(noStack.err).toContain('stack ID not configured');
  });

  it('exits 107 on a script error and 104 on invalid options, before any upload', async () => {
    const broken = await stampede(['cloud', 'run', script('broken.js', 'export default function () {}\nthrow new Error("boom");\n')]);
    expect(broken.code).toBe(107);
    expect(broken.err).toContain('boom');
    const invalid = await stampede(['cloud', 'run', '--vus', '-3', script('ok.js', PASSING)]);
    expect(invalid.code).toBe(104);
  });
});

describe('stampede cloud upload', () => {
  it('creates the load test without starting it, prints "test status: Archived"; the file goes up as it is when nothing else sets options', async () => {
    const file = script('upload-me.js', PASSING);
    const r = await stampede(['cloud', 'upload', file]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('     execution: cloud\n');
    expect(r.out).toContain('     test status: Archived\n');
    const id = Number(/load test (\d+) "upload-me\.js" uploaded/.exec(r.out)?.[1]);
    const runs = await api<{ value: unknown[] }>(`/cloud/v6/load_tests/${id}/test_runs`);
    expect(runs.value).toEqual([]);
    const body = await fetch(`${server.url}/cloud/v6/load_tests/${id}/script`, { headers: { authorization: `Bearer ${server.token}`, 'x-stack-id': String(server.stackId) } });
    expect(await body.text()).toBe(PASSING);
    // with a flag the upload is k6's archive carrying the consolidated options
    const again = await stampede(['cloud', 'upload', '-i', '3', file]);
    expect(again.code, again.err).toBe(0);
    const tar = await fetch(`${server.url}/cloud/v6/load_tests/${id}/script`, { headers: { authorization: `Bearer ${server.token}`, 'x-stack-id': String(server.stackId) } });
    expect(Buffer.from(await tar.arrayBuffer()).toString('latin1')).toMatch(/"iterations": ?3\b/);
  }, 60_000);
});

describe('stampede cloud login', () => {
  it('stores the token and stack where `stampede login` does, shows them masked, and resets them', async () => {
    const home = join(work, 'login-home');
    const env = { XDG_CONFIG_HOME: home, STAMPEDE_URL: server.url };
    const r = await stampede(['cloud', 'login', '--token', server.token, '--stack', String(server.stackId)], env);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(`Logged in successfully, token and stack info saved in ${join(home, 'stampede', 'config.json')}`);
    expect(r.out).toContain(`  token: ${maskToken(server.token)}\n`);
    expect(r.out).toContain(`  stack-id: ${server.stackId}\n`);
    expect(r.out).toContain(`  stack-url: https://${server.stackId}.grafana.net\n`);
    expect(r.out).toContain(`  default-project-id: ${server.projectId}\n`);
    // the saved login is enough for the other commands
    const list = await stampede(['cloud', 'project', 'list'], env);
    expect(list.out).toContain(`Projects for https://${server.stackId}.grafana.net:`);
    const shown = await stampede(['cloud', 'login', '-s'], env);
    expect(shown.out).toContain(`  token: ${maskToken(server.token)}\n`);
    const reset = await stampede(['cloud', 'login', '-r'], env);
    expect(reset.out).toContain('Token and stack info have been reset.');
    const after = await stampede(['cloud', 'login', '--show'], env);
    expect(after.out).toContain('  token: <not set>\n');
  });

  it('fails like k6 for a missing value, a bad token or an unknown stack (255)', async () => {
    const env = { XDG_CONFIG_HOME: join(work, 'login-bad'), STAMPEDE_URL: server.url };
    expect((await stampede(['cloud', 'login', '--token', 'x'], env)).err).toContain('stack value is required but it was not passed or is empty');
    expect((await stampede(['cloud', 'login', '--stack', '1'], env)).err).toContain('token value is required but it was not passed or is empty');
    const bad = await stampede(['cloud', 'login', '--token', 'nope', '--stack', '1'], env);
    expect(bad.code).toBe(255);
    expect(bad.err).toContain('Authentication failed as provided token or stack might not be valid.');
    // A stack the server has not got: Stampede's /auth answers for the token's first stack (docs/api.md),
    // where Grafana Cloud refuses; see test/k6-cloud-cli-parity.md.
  });
});

describe('stampede cloud project|test|load-zone list', () => {
  it('print k6\'s tables and JSON', async () => {
    const projects = await stampede(['cloud', 'project', 'list']);
    expect(projects.out).toMatch(new RegExp(`^Projects for stack-${server.stackId}:\\n\\nID {3}NAME +DEFAULT\\n${server.projectId} +\\S.* +yes\\n`));
    const pj = JSON.parse((await stampede(['cloud', 'project', 'list', '--json'])).out) as unknown[];
    expect(pj[0]).toEqual({ id: server.projectId, name: expect.any(String), is_default: true });

    const tests = await stampede(['cloud', 'test', 'list', '--project-id', String(server.projectId)]);
    expect(tests.out).toMatch(new RegExp(`^Tests in project ${server.projectId}:\\n\\nID +NAME +CREATED +UPDATED\\n`));
    expect(tests.out).toMatch(/upload-me\.js +\d{4}-\d\d-\d\d \d\d:\d\d +\d{4}-\d\d-\d\d \d\d:\d\d\n/);
    const tj = JSON.parse((await stampede(['cloud', 'test', 'list', '--json'])).out) as Array<Record<string, unknown>>;
    expect(Object.keys(tj[0] ?? {})).toEqual(['id', 'project_id', 'name', 'created', 'updated']);
    expect((await stampede(['cloud', 'test', 'list', '--project-id', '0'])).err).toContain('no project specified');

    const zones = await stampede(['cloud', 'load-zone', 'list']);
    expect(zones.out).toMatch(/^Load zones for stack-\d+:\n\nID +NAME +TYPE +AVAILABLE\namazon:us:ashburn +.+ +public +yes\n/);
    const zj = JSON.parse((await stampede(['cloud', 'load-zone', 'list', '--json'])).out) as unknown[];
    expect(zj[0]).toMatchObject({ k6_load_zone_id: 'amazon:us:ashburn', available: true });
  }, 30_000);

  it('align a name in CJK or emoji by the cells a terminal gives it', async () => {
    const created = await fetch(`${server.url}/cloud/v6/projects`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'x-stack-id': String(server.stackId), 'content-type': 'application/json' },
      body: JSON.stringify({ name: '负载 🚀' }),
    });
    expect(created.status).toBe(201);
    const lines = (await stampede(['cloud', 'project', 'list'])).out.split('\n');
    const header = lines.find((l) => l.startsWith('ID '));
    const wide = lines.find((l) => l.includes('负载 🚀'));
    // 负 and 载 take two cells for their one UTF-16 unit each (🚀 two for its two): the row's DEFAULT
    // value starts in the header's DEFAULT column.
    expect(header?.indexOf('DEFAULT')).toBe((wide?.indexOf(' no') ?? 0) + 1 + 2);
  }, 30_000);

  it('name the command in the missing-login message', async () => {
    const r = await stampede(['cloud', 'test', 'list'], { XDG_CONFIG_HOME: join(work, 'nobody') });
    expect(r.code).toBe(255);
    expect(r.err).toContain('Listing cloud tests requires auth settings: access token not configured.');
  });
});

describe('the legacy `stampede cloud script.js` and k6 helpers', () => {
  it('runs `cloud <file>` as `cloud run <file>` with k6 v1\'s deprecation warning; subcommands and help are left alone', () => {
    const warned: string[] = [];
    expect(legacyCloudArgs(['cloud', '-u', '2', 's.js'], (m) => warned.push(m))).toEqual(['cloud', 'run', '-u', '2', 's.js']);
    expect(warned[0]).toContain('Running tests directly with "stampede cloud <file>" is deprecated. Use "stampede cloud run <file>" instead');
    for (const args of [['cloud'], ['cloud', 'run', 's.js'], ['cloud', '-e', 'X=1', 'run', 's.js'], ['cloud', 'login'], ['cloud', '--help'], ['run', 's.js']]) {
      expect(legacyCloudArgs(args, () => warned.push('x'))).toEqual(args);
    }
    expect(warned).toHaveLength(1);
  });

  it('masks tokens and normalizes stacks as k6 does', () => {
    expect(maskToken('short')).toBe('*****');
    expect(maskToken('abcd12345678wxyz')).toBe('abcd********wxyz');
    expect(normalizeStackUrl('my-team')).toBe('https://my-team.grafana.net');
    expect(normalizeStackUrl('my-team.grafana.net')).toBe('https://my-team.grafana.net');
    expect(normalizeStackUrl('https://my-team.grafana.net/a/b/')).toBe('https://my-team.grafana.net');
  });
});
