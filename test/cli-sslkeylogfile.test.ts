// SSLKEYLOGFILE=path with `stampede run` (k6 TestSSLKEYLOGFILEAbsolute/-Relative): k6's warning, and the
// TLS session keys of the script's HTTPS requests (and wss:// connections) appended to the file in NSS
// key log format, from the worker threads and the setup VU alike.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_TLS_CERT, TEST_TLS_KEY } from '../src/engine/http/test-tls-cert.test-helper.ts';
import { runCli, type CliRun } from './scripts/cli-process.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'stampede-keylog-'));
let server: Server;
let url = '';

beforeAll(async () => {
  server = createServer({ key: TEST_TLS_KEY, cert: TEST_TLS_CERT }, (_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/get`;
  writeFileSync(path.join(dir, 'tls.js'), `import http from 'k6/http';
export const options = { insecureSkipTLSVerify: true, iterations: 2, vus: 2 };
export function setup() { http.get(__ENV.URL); }
export default function () { http.get(__ENV.URL, { headers: { Connection: 'close' } }); }
`);
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

const stampede = (args: string[], env: Record<string, string>): Promise<CliRun> => runCli(args, { cwd: dir, env });
const RUN = ['run', '-q', '--summary-mode=disabled', '--workers', '2', '-e'];

/** The key log's lines, grouped by their client random: one group per TLS connection. */
function connections(file: string): Map<string, string[]> {
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
  for (const l of lines) expect(l).toMatch(/^[A-Z_0-9]+ [0-9a-f]{64} [0-9a-f]+$/);
  const byRandom = new Map<string, string[]>();
  for (const l of lines) {
    const [label, random] = l.split(' ') as [string, string];
    byRandom.set(random, [...(byRandom.get(random) ?? []), label]);
  }
  return byRandom;
}

describe('SSLKEYLOGFILE', () => {
  it("a relative path: k6's warning, and every connection's TLS 1.3 secrets in NSS key log format, appended", async () => {
    writeFileSync(path.join(dir, 'keys.log'), '');
    const r = await stampede([...RUN, `URL=${url}`, 'tls.js'], { SSLKEYLOGFILE: './keys.log' });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`level=warning msg="SSLKEYLOGFILE was specified, logging TLS connection keys to './keys.log'..." test_path="file://${path.join(dir, 'tls.js')}"`);
    const byConnection = connections(path.join(dir, 'keys.log'));
    // setup's connection and one per iteration (Connection: close), from two worker threads.
    expect(byConnection.size).toBe(3);
    for (const labels of byConnection.values()) {
      expect(labels.sort()).toEqual(['CLIENT_HANDSHAKE_TRAFFIC_SECRET', 'CLIENT_TRAFFIC_SECRET_0', 'EXPORTER_SECRET', 'SERVER_HANDSHAKE_TRAFFIC_SECRET', 'SERVER_TRAFFIC_SECRET_0']);
    }

    const again = await stampede([...RUN, `URL=${url}`, 'tls.js'], { SSLKEYLOGFILE: path.join(dir, 'keys.log') });
    expect(again.code).toBe(0);
    expect(connections(path.join(dir, 'keys.log')).size).toBe(6);
  });

  it('a new file is created with mode 0600; a file that cannot be opened is k6\'s error (255), before the script is read', async () => {
    const r = await stampede([...RUN, `URL=${url}`, 'tls.js'], { SSLKEYLOGFILE: 'new-keys.log' });
    expect(r.code).toBe(0);
    expect(statSync(path.join(dir, 'new-keys.log')).mode & 0o777).toBe(0o600);

    const bad = await stampede([...RUN, `URL=${url}`, 'tls.js'], { SSLKEYLOGFILE: 'no/such/dir/keys.log' });
    expect(bad.code).toBe(255);
    expect(bad.stderr).toContain(`could not initialize 'tls.js': couldn't get absolute path for keylog file: open ${path.join(dir, 'no/such/dir/keys.log')}: no such file or directory`);
    expect(existsSync(path.join(dir, 'no'))).toBe(false);
  });

  it('unset, the run has no warning', async () => {
    const unset = await stampede([...RUN, `URL=${url}`, 'tls.js'], {});
    expect(unset.code).toBe(0);
    expect(unset.stderr).toBe('');
  });
});
