// `stampede status`, `pause`, `resume` and `scale` (k6 v1's REST API clients) against a real
// `stampede run -a 127.0.0.1:PORT --paused`: the YAML k6 printed, resuming the run, the API's errors.
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliRun } from './scripts/cli-process.ts';

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

let port = 0;
let address = '';
let paused: Promise<CliRun>;
let stopRun: () => void = () => undefined;

beforeAll(async () => {
  port = await freePort();
  address = `127.0.0.1:${port}`;
  const script = "import { sleep } from 'k6';\nexport const options = { vus: 2, duration: '120s' };\nexport default function () { sleep(0.1); }\n";
  // `-` reads the script from stdin; the run waits, paused, until `resume`.
  paused = runCli(['run', '-q', '-a', address, '--paused', '-'], {
    stdin: script,
    during: (child) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
      child.on('close', () => clearTimeout(timer));
      stopRun = () => child.kill('SIGKILL');
    },
  });
  // Wait for the API and for the VUs' init: the API answers while the VUs are still initialising
  // (status 1 and a growing vus-max, slow on a loaded machine); the tests start from the paused run.
  const end = Date.now() + 45_000;
  for (;;) {
    const r = await runCli(['status', '-a', address]);
    if (r.code === 0 && r.stdout.startsWith('status: 4\n')) break;
    if (Date.now() > end) throw new Error(`the REST API never showed the paused run: ${r.stdout}${r.stderr}`);
    await new Promise((res) => setTimeout(res, 200));
  }
}, 90_000);
afterAll(() => stopRun());

describe('stampede status / pause / resume / scale', { timeout: 120_000 }, () => {
  it("status prints the paused run's status as k6's YAML", async () => {
    const r = await runCli(['status', '--address', address]);
    expect(r.code).toBe(0);
    // 4 is PausedBeforeRun; null.* fields print as quoted text.
    expect(r.stdout).toBe('status: 4\npaused: "true"\nvus: "0"\nvus-max: "2"\nstopped: false\nrunning: false\ntainted: false\n');
  });

  it("pause before the start is k6's API error (exit 255); scale gets the API error and needs -u or -m", async () => {
    const p = await runCli(['pause', '-a', address]);
    expect(p.code).toBe(255);
    expect(p.stderr).toContain('level=error msg="Pause error: execution is already paused"');
    expect(p.stdout).toBe('');

    const s = await runCli(['scale', '-a', address, '-u', '3']);
    expect(s.code).toBe(255);
    expect(s.stderr).toContain('msg="Execution config error: live VU configuration updates are not supported"');

    const none = await runCli(['scale', '-a', address]);
    expect(none.code).toBe(255);
    expect(none.stderr).toContain('msg="Specify either -u/--vus or -m/--max"');
  });

  it('resume (address from K6_ADDRESS) starts the run, which status shows running and pause cannot pause', async () => {
    const r = await runCli(['resume'], { env: { K6_ADDRESS: address } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('paused: "false"\n');

    const st = await runCli(['status', '-a', address]);
    expect(st.stdout).toMatch(/^status: 7\npaused: "false"\nvus: "2"\nvus-max: "2"\nstopped: false\nrunning: true\ntainted: false\n$/);
    // k6's executors cannot be paused once started (only before, with --paused).
    const p = await runCli(['pause', '-a', address]);
    expect(p.code).toBe(255);
    expect(p.stderr).toContain(`msg="Pause error: constant-vus executor 'default' doesn't support pause and resume operations after its start"`);

    // k6 had no stop command: stop the 120 s run through the API itself (exit 103).
    await fetch(`http://${address}/v1/status`, {
      method: 'PATCH',
      body: JSON.stringify({ data: { type: 'status', id: 'default', attributes: { stopped: true } } }),
    });
    const run = await paused;
    expect(run.code).toBe(103);
  });

  it("without a server: Go's dial error, exit 255 (default address localhost:6565)", async () => {
    const gone = await runCli(['status', '-a', address]);
    expect(gone.code).toBe(255);
    expect(gone.stderr).toContain(`Get \\"http://${address}/v1/status\\": dial tcp ${address}: connect: connection refused`);
    const patch = await runCli(['pause', '-a', address]);
    expect(patch.stderr).toContain(`Patch \\"http://${address}/v1/status\\": dial tcp ${address}: connect: connection refused`);
    const fallback = await runCli(['status']);
    if (fallback.code !== 0) expect(fallback.stderr).toContain('http://localhost:6565/v1/status');
  });
});
