// k6 compatibility: the feature tour (test/scripts/compat/feature-tour/), Stampede's own scripts
// covering the features of each of k6's examples/, run through the engine's public entry. They call
// httpbin.org, quickpizza.grafana.com and echo.websocket.org: K6_HOSTS sends those names to the local
// stand-in (test/scripts/public-hosts.ts), as a user would with the `hosts` option, so the scripts'
// URLs, cookie domains and redirects stay the public ones. Each expectation is what `k6 run` gives for
// the script against such a site (derived from k6's source); the checklist of every example is
// test/k6-examples-parity.md.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricValues, runScript, type ScriptRun } from './scripts/engine-harness.ts';
import { startPublicHosts, type PublicHosts } from './scripts/public-hosts.ts';

let site: PublicHosts;
beforeAll(async () => {
  site = await startPublicHosts();
});
afterAll(async () => {
  await site.close();
});

function run(name: string): Promise<ScriptRun> {
  return runScript(`compat/feature-tour/${name}`, {}, { env: site.env });
}

function checks(r: ScriptRun): { passes?: number; fails?: number } | undefined {
  return metricValues(r, 'checks');
}

/** The console lines of the run (logfmt off a terminal, msg Go-quoted), as "level msg". */
function logLines(r: ScriptRun): string[] {
  return r.stderr.split('\n').flatMap((l) => {
    const m = /level=(\w+) msg=("(?:[^"\\]|\\.)*"|\S*)/.exec(l);
    if (m === null) return [];
    const msg = m[2] ?? '';
    return [`${m[1]} ${msg.startsWith('"') ? (JSON.parse(msg) as string) : msg}`];
  });
}

describe('feature tour: k6/http against httpbin.org and quickpizza stand-ins', () => {
  it('cookie-jars.js: request cookies stay out of the jar, Set-Cookie through a redirect lands in it, local jars are separate', async () => {
    const r = await run('cookie-jars.js');
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(checks(r)).toMatchObject({ passes: 26, fails: 0 });
    expect(metricValues(r, 'http_reqs')?.count).toBe(7); // /cookies/set answers 302 to /cookies
  });

  it('form-urlencoded.js, json-body.js, verbs.js: form, JSON and every verb reach httpbin as sent', async () => {
    for (const [name, passes] of [['form-urlencoded.js', 6], ['json-body.js', 2], ['verbs.js', 10]] as const) {
      const r = await run(name);
      expect(r.stderr, name).toBe('');
      expect(r.exitCode, name).toBe(0);
      expect(checks(r), name).toMatchObject({ passes, fails: 0 });
    }
  });

  it('basic-auth.js and digest-auth.js: credentials in the URL; digest answers the 401 challenge, which is expected', async () => {
    const basic = await run('basic-auth.js');
    expect([basic.exitCode, basic.stderr]).toEqual([0, '']);
    expect(checks(basic)).toMatchObject({ passes: 6, fails: 0 });
    expect(metricValues(basic, 'http_reqs')?.count).toBe(2);
    const digest = await run('digest-auth.js');
    expect([digest.exitCode, digest.stderr]).toEqual([0, '']);
    expect(checks(digest)).toMatchObject({ passes: 3, fails: 0 });
    expect(metricValues(digest, 'http_reqs')?.count).toBe(2);
    expect(metricValues(digest, 'http_req_failed')?.rate).toBe(0);
  });

  it('redirect-limits.js: maxRedirects 3 returns the fourth 302; redirects: 2 per request follows two hops to https://httpbin.org/get', async () => {
    const r = await run('redirect-limits.js');
    expect(r.exitCode).toBe(0);
    expect(checks(r)).toMatchObject({ passes: 3, fails: 0 });
    expect(metricValues(r, 'http_reqs')?.count).toBe(4 + 3);
    expect(logLines(r)).toContain('info landed with 200');
    // The script sets maxRedirects: k6 stops the chain without its "Stopped after" warning.
    expect(r.stderr).not.toContain('Stopped after');
  });

  it('batch.js, http2.js, insecure-tls.js: batch, HTTP/2 over TLS, insecureSkipTLSVerify', async () => {
    for (const [name, passes] of [['batch.js', 3], ['http2.js', 2], ['insecure-tls.js', 1]] as const) {
      const r = await run(name);
      expect(r.stderr, name).toBe('');
      expect(r.exitCode, name).toBe(0);
      expect(checks(r), name).toMatchObject({ passes, fails: 0 });
    }
  });

  it('submetric-thresholds.js: a threshold on a name-tagged submetric is evaluated and passes', async () => {
    const r = await run('submetric-thresholds.js');
    expect(r.exitCode).toBe(0);
    const verdicts = Object.fromEntries((r.result?.thresholds ?? []).map((t) => [`${t.key} ${t.source}`, t.ok]));
    expect(verdicts).toEqual({ 'http_req_duration p(90)<800': true, 'http_req_duration{name:http://httpbin.org/put} max<2000': true });
    expect(metricValues(r, 'http_req_duration{name:http://httpbin.org/put}')?.max).toBeGreaterThan(0); // the submetric saw the PUT
  });
});

describe('feature tour: modules without network', () => {
  it('encodings.js: the four base64 variants encode and decode', async () => {
    const r = await run('encodings.js');
    expect([r.exitCode, r.stderr]).toEqual([0, '']);
    expect(checks(r)).toMatchObject({ passes: 8, fails: 0 });
  });

  it('hashing.js: a Hasher digests twice without being reset', async () => {
    const r = await run('hashing.js');
    expect(r.exitCode).toBe(0);
    // sha1("herd of bison"); sha1("dust on the prairie") in hex, then the same digest in base64.
    expect(logLines(r)).toEqual([
      'info bc93caaa15434de8294beda8cdf70260b8bad86b',
      'info 032a0ca7e37ffc6482a076bf07c9cb08aa9736cf',
      'info AyoMp+N//GSCoHa/B8nLCKqXNs8=',
    ]);
  });

  it('console-levels.js: console methods map to log levels; debug is hidden without --verbose', async () => {
    const r = await run('console-levels.js');
    expect(r.exitCode).toBe(0);
    expect(logLines(r)).toEqual(['info plain gate 7', 'info notice gate 7', 'warning careful gate 7', 'error broken gate 7']);
  });

  it('abort-typed.ts: exec.test.abort() in TypeScript ends the run with 108', async () => {
    const r = await run('abort-typed.ts');
    expect(r.exitCode).toBe(108);
    // TypeScript positions are the source's: line 16, as k6 (which runs the TypeScript itself) names them.
    expect(logLines(r)).toContainEqual(expect.stringMatching(/^error test aborted: gate closed at default \(file:\/\/\/\S*abort-typed\.ts:16:\d+\)$/));
  });

  it('removed-redis.js: the removed module fails the init with k6\'s pointer to k6/x/redis (107)', async () => {
    const r = await run('removed-redis.js');
    expect(r.exitCode).toBe(107);
    expect(r.stderr).toContain("k6/experimental/redis has been removed. Please migrate to the new version by changing your import to 'k6/x/redis'");
  });
});

describe('feature tour: WebSockets against an echo.websocket.org stand-in', () => {
  it('ws-legacy.js (k6/ws): timers, pings with two pong handlers, echoes, then the close after 2 s', async () => {
    const r = await run('ws-legacy.js');
    expect(r.exitCode).toBe(0);
    expect(checks(r)).toMatchObject({ passes: 1, fails: 0 });
    const lines = logLines(r);
    expect(lines[0]).toBe('info open');
    expect(lines).toContain('info echo took NaN ms'); // the server's greeting is not a timestamp
    expect(lines.filter((l) => /^info echo took \d+ ms$/.test(l)).length).toBeGreaterThan(0); // echoes of the timestamps
    expect(lines).toEqual(expect.arrayContaining(['info pong (first handler)', 'info pong (second handler)', 'info closing from the 2 s timer']));
    expect(lines.at(-1)).toBe('info closed after some pings');
    expect(lines.filter((l) => !l.startsWith('info '))).toEqual([]);
  });

  it('ws-events.js (k6/websockets): the iteration waits for the socket; on* properties and listeners both fire', async () => {
    const r = await run('ws-events.js');
    expect(r.exitCode).toBe(0);
    const lines = logLines(r);
    expect(lines.slice(0, 2)).toEqual(['info open', 'info greeting: Request served by 0123456789abcd']);
    expect(lines.filter((l) => /^info echo took \d+ ms$/.test(l)).length).toBeGreaterThan(0);
    expect(lines).toEqual(expect.arrayContaining(['info pong (property handler)', 'info pong (listener)', 'info closing from the 2 s timer', 'info closed']));
    expect(metricValues(r, 'iterations')?.count).toBe(1);
    expect(lines.filter((l) => !l.startsWith('info '))).toEqual([]);
  });
});

describe("k6's own module tests as scripts (k6/html, k6/websockets Blob)", () => {
  function mismatches(r: ScriptRun): string[] {
    return logLines(r).filter((l) => l.startsWith('error '));
  }

  it('k6/html: parseHTML, Selection methods, element properties and form serialization, the cases of html/element/elements/serialize_test.go on the project\'s own pages', async () => {
    const r = await runScript('compat/html-module-checks.js');
    expect(mismatches(r)).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(checks(r)).toMatchObject({ passes: 255, fails: 0 });
  });

  it('k6/websockets Blob: parts, type, size, arrayBuffer, bytes, slice, text, stream as blob_test.go asserts, instanceof holding in scripts', async () => {
    const r = await runScript('compat/k6-websockets-blob.js');
    expect(mismatches(r)).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(checks(r)).toMatchObject({ passes: 23, fails: 0 });
  });
});
