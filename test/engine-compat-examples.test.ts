// k6 compatibility: scripts of k6's examples/ directory (test/scripts/compat/examples/, copied
// unchanged) run through the engine's public entry. They call httpbin.org, quickpizza.grafana.com and
// echo.websocket.org: K6_HOSTS sends those names to the local stand-in (test/scripts/public-hosts.ts),
// as a user would with the `hosts` option, so the scripts' URLs, cookie domains and redirects stay
// the public ones. Each expectation is what `k6 run` gives for the example against such a site; the
// checklist of every example is test/k6-examples-parity.md.
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
  return runScript(`compat/examples/${name}`, {}, { env: site.env });
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

describe('k6 examples/: k6/http against httpbin.org and quickpizza stand-ins', () => {
  it('cookies.js: request cookies stay out of the jar, Set-Cookie through a redirect lands in it, local jars are separate', async () => {
    const r = await run('cookies.js');
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(checks(r)).toMatchObject({ passes: 26, fails: 0 });
    expect(metricValues(r, 'http_reqs')?.count).toBe(7); // /cookies/set answers 302 to /cookies
  });

  it('html_form_post.js, json.js, http_verbs.js: form, JSON and every verb reach httpbin as sent', async () => {
    for (const [name, passes] of [['html_form_post.js', 6], ['json.js', 2], ['http_verbs.js', 10]] as const) {
      const r = await run(name);
      expect(r.stderr, name).toBe('');
      expect(r.exitCode, name).toBe(0);
      expect(checks(r), name).toMatchObject({ passes, fails: 0 });
    }
  });

  it('http_basic_auth.js and http_digest_auth.js: credentials in the URL; digest answers the 401 challenge, which is expected', async () => {
    const basic = await run('http_basic_auth.js');
    expect([basic.exitCode, basic.stderr]).toEqual([0, '']);
    expect(checks(basic)).toMatchObject({ passes: 6, fails: 0 });
    expect(metricValues(basic, 'http_reqs')?.count).toBe(2);
    const digest = await run('http_digest_auth.js');
    expect([digest.exitCode, digest.stderr]).toEqual([0, '']);
    expect(checks(digest)).toMatchObject({ passes: 3, fails: 0 });
    expect(metricValues(digest, 'http_reqs')?.count).toBe(2);
    expect(metricValues(digest, 'http_req_failed')?.rate).toBe(0);
  });

  it('redirects.js: maxRedirects 5 returns the sixth 302; redirects: 1 per request follows one hop to https://httpbin.org/get', async () => {
    const r = await run('redirects.js');
    expect(r.exitCode).toBe(0);
    expect(checks(r)).toMatchObject({ passes: 3, fails: 0 });
    expect(metricValues(r, 'http_reqs')?.count).toBe(6 + 2);
    expect(logLines(r)).toContain('info 200');
    // The script sets maxRedirects: k6 stops the chain without its "Stopped after" warning.
    expect(r.stderr).not.toContain('Stopped after');
  });

  it('http_batch.js, http_2.js, tls_skip_cert_verification.js: batch, HTTP/2 over TLS, insecureSkipTLSVerify', async () => {
    for (const [name, passes] of [['http_batch.js', 3], ['http_2.js', 2], ['tls_skip_cert_verification.js', 1]] as const) {
      const r = await run(name);
      expect(r.stderr, name).toBe('');
      expect(r.exitCode, name).toBe(0);
      expect(checks(r), name).toMatchObject({ passes, fails: 0 });
    }
  });

  it('thresholds.js: a threshold on a name-tagged submetric is evaluated and passes', async () => {
    const r = await run('thresholds.js');
    expect(r.exitCode).toBe(0);
    const verdicts = Object.fromEntries((r.result?.thresholds ?? []).map((t) => [`${t.key} ${t.source}`, t.ok]));
    expect(verdicts).toEqual({ 'http_req_duration p(95)<500': true, 'http_req_duration{name:http://httpbin.org/post} max<1000': true });
  });
});

describe('k6 examples/: modules without network', () => {
  it('base64.js: the four base64 variants encode and decode', async () => {
    const r = await run('base64.js');
    expect([r.exitCode, r.stderr]).toEqual([0, '']);
    expect(checks(r)).toMatchObject({ passes: 8, fails: 0 });
  });

  it('crypto.js: a Hasher digests twice without being reset', async () => {
    const r = await run('crypto.js');
    expect(r.exitCode).toBe(0);
    expect(logLines(r)).toEqual([
      'info 37aa63c77398d954473262e1a0057c1e632eda77',
      'info de360656b2b6dab0b87eb45fb04d54c8cc152dbe',
      'info 3jYGVrK22rC4frRfsE1UyMwVLb4=',
    ]);
  });

  it('logging.js: console methods map to log levels; debug is hidden without --verbose', async () => {
    const r = await run('logging.js');
    expect(r.exitCode).toBe(0);
    expect(logLines(r)).toEqual(['info log a b', 'info info a b', 'warning warn a b', 'error error a b']);
  });

  it('enhanced/abort.ts: exec.test.abort() in TypeScript ends the run with 108', async () => {
    const r = await run('abort.ts');
    expect(r.exitCode).toBe(108);
    expect(logLines(r)).toContain('error test aborted: failed');
  });

  it('experimental/redis.js: the removed module fails the init with k6\'s pointer to k6/x/redis (107)', async () => {
    const r = await run('redis.js');
    expect(r.exitCode).toBe(107);
    expect(r.stderr).toContain("k6/experimental/redis has been removed. Please migrate to the new version by changing your import to 'k6/x/redis'");
  });
});

describe('k6 examples/: WebSockets against an echo.websocket.org stand-in', () => {
  it('websocket.js (k6/ws): timers, pings with two pong handlers, echoes, then the close after 2 s', async () => {
    const r = await run('websocket.js');
    expect(r.exitCode).toBe(0);
    expect(checks(r)).toMatchObject({ passes: 1, fails: 0 });
    const lines = logLines(r);
    expect(lines[0]).toBe('info connected');
    expect(lines).toContain('info Roundtrip time: NaN ms'); // the server's greeting is not a timestamp
    expect(lines).toEqual(expect.arrayContaining(['info PONG!', 'info OTHER PONG!', 'info 2 seconds passed, closing the socket']));
    expect(lines.at(-1)).toBe('info disconnected');
    expect(lines.filter((l) => !l.startsWith('info '))).toEqual([]);
  });

  it('websockets/test-echo.js (k6/websockets): the iteration waits for the socket; timers left after the close still run', async () => {
    const r = await run('websockets-test-echo.js');
    expect(r.exitCode).toBe(0);
    const lines = logLines(r);
    expect(lines.slice(0, 2)).toEqual(['info connected', 'info Not a number received:  Request served by 0123456789abcd']);
    expect(lines).toEqual(expect.arrayContaining(['info PONG!', 'info OTHER PONG!', 'info 2 seconds passed, closing the socket', 'info disconnected']));
    expect(lines.filter((l) => !l.startsWith('info '))).toEqual([]);
  });
});

describe("k6's own module tests as scripts (k6/html, k6/websockets Blob)", () => {
  function mismatches(r: ScriptRun): string[] {
    return logLines(r).filter((l) => l.startsWith('error '));
  }

  it('k6/html: parseHTML, Selection methods, element properties and form serialization as html/element/elements/serialize_test.go assert', async () => {
    const r = await runScript('compat/k6-html-tests.js');
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
