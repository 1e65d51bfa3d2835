// `stampede run` with k6's web dashboard, as a user runs it: K6_WEB_DASHBOARD=true and its variables,
// `--out web-dashboard=…`, the banner's URL, `/events` read while the run goes, the exported report,
// and k6's errors for bad values.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBrowserExecutable } from '../src/engine/browser/browser-env.ts';
import { runCli, scratchCli, type CliRun } from './scripts/cli-process.ts';

/** A Chromium to open the exported report with; without one that check is skipped. */
const chromium = ((): string | undefined => {
  try {
    return findBrowserExecutable(process.env as Record<string, string>);
  } catch {
    return undefined;
  }
})();

const cli = scratchCli('stampede-dashboard-cli-');
let target: http.Server;
let url = '';

beforeAll(async () => {
  target = http.createServer((_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(target.address() as AddressInfo).port}/`;
  cli.file('script.js', `import http from 'k6/http';
import { sleep } from 'k6';
export const options = { vus: 2, duration: '3s' };
export default function () { http.get(__ENV.URL); sleep(0.05); }
`);
  cli.file('noop.js', 'export default function () {}\n');
});
afterAll(async () => {
  target.closeAllConnections();
  await new Promise((resolve) => target.close(resolve));
  cli.remove();
});

/** The text of `/events` until the stop event (then the page would disconnect). */
async function eventsUntilStop(base: string): Promise<string> {
  const abort = new AbortController();
  const res = await fetch(`${base}/events`, { signal: abort.signal });
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    if (/\nevent: stop\n/.test(text) && text.endsWith('\n\n')) break;
  }
  await reader.cancel();
  abort.abort();
  return text;
}

describe('stampede run with the web dashboard', () => {
  it('K6_WEB_DASHBOARD=true: the banner URL, /events while the run goes, the exported report', async () => {
    let stream: Promise<string> | undefined;
    const r: CliRun = await runCli(['run', '--workers', '1', '-e', `URL=${url}`, 'script.js'], {
      cwd: cli.dir,
      env: {
        K6_WEB_DASHBOARD: 'true', K6_WEB_DASHBOARD_HOST: '127.0.0.1', K6_WEB_DASHBOARD_PORT: '0',
        K6_WEB_DASHBOARD_PERIOD: '500ms', K6_WEB_DASHBOARD_EXPORT: 'report.html',
      },
      during: (_child, output) => {
        const timer = setInterval(() => {
          const m = / web dashboard: (http:\/\/127\.0\.0\.1:\d+)\n/.exec(output());
          if (m === null) return;
          clearInterval(timer);
          stream = eventsUntilStop(m[1] as string);
        }, 20);
      },
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const text = await (stream as Promise<string>);
    const events = [...text.matchAll(/^event: (\w+)$/gm)].map((m) => m[1]);
    expect(events.slice(0, 4)).toEqual(['config', 'param', 'metric', 'start']);
    expect(events).toContain('snapshot');
    expect(events.slice(-2)).toEqual(['cumulative', 'stop']);

    // The last cumulative's http_reqs, matched to the sorted metric names, is the summary's count.
    const names: string[] = [];
    let last: number[][] = [];
    for (const m of text.matchAll(/^data: (.*)\nevent: (\w+)$/gm)) {
      const data = JSON.parse(m[1] as string) as unknown;
      if (m[2] === 'metric') names.push(...Object.keys(data as object));
      if (m[2] === 'cumulative') last = data as number[][];
    }
    const count = last[names.sort().indexOf('http_reqs')]?.[0];
    expect(r.stdout).toMatch(new RegExp(`http_reqs\\.+: ${count} `));

    const report = readFileSync(path.join(cli.dir, 'report.html'), 'utf8');
    expect(report).toContain('<script id="data" type="application/json">');
    expect(report).toContain('"event":"snapshot"');

    // Opened in a browser, the report shows the run's numbers and draws its charts from the embedded events.
    if (chromium === undefined) return;
    const dom = execFileSync(chromium, ['--headless', '--no-sandbox', '--disable-gpu', '--dump-dom', `file://${path.join(cli.dir, 'report.html')}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 20_000 });
    expect(dom).toContain(`<div class="v">${count}</div><div class="l">HTTP requests</div>`);
    expect(dom).toContain('<p class="status ended">Test ended');
    expect(dom).toMatch(/<h3>Request rate \(req\/s\)<\/h3><svg[^>]*>.*(<path d="M[\d.]+ [\d.]+|<circle )/);
  }, 40_000);

  it('after stop the run waits for open pages (the summary comes once they leave); Ctrl+C ends that wait, exit code unchanged', async () => {
    let waited: { summaryBefore: boolean } | undefined;
    const r = await runCli(['run', '--workers', '1', '-i', '1', 'noop.js'], {
      cwd: cli.dir,
      env: { K6_WEB_DASHBOARD: 'true', K6_WEB_DASHBOARD_HOST: '127.0.0.1', K6_WEB_DASHBOARD_PORT: '0' },
      during: (child, output) => {
        const timer = setInterval(() => {
          const m = / web dashboard: (http:\/\/127\.0\.0\.1:\d+)\n/.exec(output());
          if (m === null) return;
          clearInterval(timer);
          // A page that stays open after stop: read until stop, keep the connection.
          void fetch(`${m[1] as string}/events`).then(async (res) => {
            const reader = (res.body as ReadableStream<Uint8Array>).getReader();
            let text = '';
            while (!text.includes('event: stop')) text += new TextDecoder().decode((await reader.read()).value);
            await new Promise((resolve) => setTimeout(resolve, 500));
            waited = { summaryBefore: output().includes('TOTAL RESULTS') };
            child.kill('SIGINT');
          });
        }, 20);
      },
    });
    expect(waited).toEqual({ summaryBefore: false });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('TOTAL RESULTS');
    expect(r.stderr).toBe('');
  }, 30_000);

  it("`--out web-dashboard=port=-1`: no server, an empty banner value; -q prints no banner", async () => {
    const r = await cli.stampede(['run', '--workers', '1', '-i', '1', '--out', 'web-dashboard=port=-1', 'noop.js']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('\n web dashboard:\n        output: -\n');
    const quiet = await cli.stampede(['run', '-q', '--workers', '1', '-i', '1', '--out', 'web-dashboard=port=-1', 'noop.js']);
    expect(quiet.stdout).not.toContain('web dashboard');
  }, 30_000);

  it("k6's errors: a bad K6_WEB_DASHBOARD (104), a bad option (255), an export that cannot be written (logged, exit code unchanged)", async () => {
    const badBool = await cli.stampede(['run', '-q', '-i', '1', 'noop.js'], { K6_WEB_DASHBOARD: 'yes' });
    expect(badBool.code).toBe(104);
    expect(badBool.stderr).toContain('envconfig.Process: assigning K6_WEB_DASHBOARD to WebDashboard: converting \'yes\' to type null.Bool.');

    const badPeriod = await cli.stampede(['run', '-q', '-i', '1', '-o', 'web-dashboard=period=5', 'noop.js']);
    expect(badPeriod.code).toBe(255);
    expect(badPeriod.stderr).toContain(`level=error msg="could not create the 'web-dashboard' output: invalid duration"`);

    const badExport = await cli.stampede(['run', '-q', '--workers', '1', '-e', `URL=${url}`, 'script.js'], {
      K6_WEB_DASHBOARD: 'true', K6_WEB_DASHBOARD_PORT: '-1', K6_WEB_DASHBOARD_PERIOD: '500ms', K6_WEB_DASHBOARD_EXPORT: 'missing/dir/report.html',
    });
    expect(badExport.code).toBe(0);
    expect(badExport.stderr).toContain('level=error msg="Stopping output 0 failed" error="open missing/dir/report.html: no such file or directory"');
    expect(existsSync(path.join(cli.dir, 'missing'))).toBe(false);
  }, 30_000);
});
