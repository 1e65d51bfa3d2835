// Behaviours found by sweeping k6's user documentation (using-k6, results-output, examples,
// testing-guides, get-started) against `stampede run`; test/k6-docs-using-parity.md lists every page.
// Each case runs its own script through the real binary and asserts what k6 does.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, type CliRun } from './scripts/cli-process.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function run(script: string, args: string[]): Promise<CliRun> {
  const dir = mkdtempSync(path.join(tmpdir(), 'docs-using-'));
  dirs.push(dir);
  writeFileSync(path.join(dir, 'script.js'), script);
  return runCli(['run', ...args, 'script.js'], { cwd: dir });
}

describe('results-output/end-of-test/custom-summary', () => {
  it('a handleSummary that deletes the iteration metrics from its data gets no "No script iterations fully finished" warning', async () => {
    const script = `
      export const options = { vus: 1, iterations: 3 };
      export default function () {}
      export function handleSummary(data) {
        for (const name of Object.keys(data.metrics)) {
          if (name.startsWith('iteration')) delete data.metrics[name];
        }
        return { stdout: 'kept ' + Object.keys(data.metrics).filter((n) => n.startsWith('iteration')).length + '\\n' };
      }
    `;
    const r = await run(script, ['-q']);
    expect(r.stdout).toBe('kept 0\n');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('the warning stays for a run whose iterations never finish', async () => {
    const script = `
      import { sleep } from 'k6';
      export const options = { scenarios: { s: { executor: 'constant-vus', vus: 1, duration: '1s', gracefulStop: '0s' } } };
      export default function () { sleep(5); }
      export function handleSummary() { return { stdout: '' }; }
    `;
    const r = await run(script, ['-q']);
    expect(r.stderr).toContain('No script iterations fully finished, consider making the test duration longer');
  });
});

describe('using-k6/cookies against a Go server (quickpizza quotes a cookie value with a space)', () => {
  let server: Server | undefined;
  afterAll(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it('res.cookies and cookiesForURL give the value without quotes; the Cookie header quotes values with a space or comma, as Go', async () => {
    const srv = createServer((req, res) => {
      if (req.url?.startsWith('/set')) res.setHeader('Set-Cookie', ['snack="pop corn"; Path=/', 'plain="abc"; Path=/']);
      res.setHeader('Content-Type', 'text/plain');
      res.end(req.headers.cookie ?? '');
    });
    server = srv;
    await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
    const script = `
      import http from 'k6/http';
      export default function () {
        const res = http.post('${base}/set');
        const jar = http.cookieJar();
        console.log(JSON.stringify([res.cookies.snack[0].value, res.cookies.plain[0].value, jar.cookiesForURL('${base}/').snack]));
        jar.set('${base}/', 'list', 'a,b');
        console.log(http.get('${base}/echo').body);
        console.log(http.get('${base}/echo', { cookies: { extra: 'x y' } }).body);
      }
    `;
    const r = await run(script, ['-q', '--summary-mode=disabled', '--log-format=raw']);
    expect(r.code).toBe(0);
    expect(r.stderr.trim().split('\n')).toEqual([
      '["pop corn","abc",["pop corn"]]',
      'snack="pop corn"; plain=abc; list="a,b"',
      'extra="x y"; snack="pop corn"; plain=abc; list="a,b"',
    ]);
  });
});
