// k6/x/tls scripts run end to end through the engine, and once in the sandboxed runner, against
// servers this test starts on 127.0.0.1: a TLS server with a leaf certificate of a test CA, a plain
// HTTP one, and a port nobody listens on.
import * as net from 'node:net';
import * as tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricValues, runScript } from './scripts/engine-harness.ts';
import { runInSandbox } from './scripts/sandboxed-run.ts';
import {
  CHAIN_CA_CERT, CHAIN_LEAF_CERT, CHAIN_LEAF_EXPIRES, CHAIN_LEAF_FINGERPRINT, CHAIN_LEAF_ISSUED, CHAIN_LEAF_KEY,
} from '../src/engine/extensions/tls/test-tls-chain.test-helper.ts';

const conns = new Set<net.Socket>();
const track = (c: net.Socket): void => {
  conns.add(c);
  c.on('close', () => conns.delete(c));
  c.on('error', () => undefined);
};
let servers: net.Server[] = [];
let env: Record<string, string> = {};
const portOf = (s: net.Server): string => String((s.address() as net.AddressInfo).port);

beforeAll(async () => {
  const secure = tls.createServer({ key: CHAIN_LEAF_KEY, cert: CHAIN_LEAF_CERT + CHAIN_CA_CERT });
  secure.on('connection', track);
  secure.on('tlsClientError', () => undefined);
  const plain = net.createServer((c) => {
    track(c);
    c.end('HTTP/1.1 400 Bad Request\r\n\r\n');
  });
  const gone = net.createServer();
  servers = [secure, plain, gone];
  for (const s of servers) await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  env = {
    TLS_PORT: portOf(secure), PLAIN_PORT: portOf(plain), CLOSED_PORT: portOf(gone),
    ISSUED: String(CHAIN_LEAF_ISSUED), EXPIRES: String(CHAIN_LEAF_EXPIRES), FINGERPRINT: CHAIN_LEAF_FINGERPRINT,
  };
  await new Promise((resolve) => gone.close(resolve));
  servers = [secure, plain];
});
afterAll(async () => {
  for (const c of conns) c.destroy();
  for (const s of servers) await new Promise((resolve) => s.close(resolve));
});

describe('k6/x/tls end to end', () => {
  it('reads the certificate through the hosts option, rejects with Go error values, counts the wire as data_sent/data_received', async () => {
    const run = await runScript('extensions/tls-certificate.js', { env });
    expect(run.exitCode).toBe(0);
    expect(metricValues(run, 'checks')).toMatchObject({ passes: 16, fails: 0 });
    const logged = {
      subject: { common_name: 'tls.test' }, issuer: { common_name: 'Stampede Test CA' },
      issued: CHAIN_LEAF_ISSUED, expires: CHAIN_LEAF_EXPIRES, fingerprint: CHAIN_LEAF_FINGERPRINT,
    };
    expect(run.stderr).toContain(`msg=${JSON.stringify(JSON.stringify(logged))} source=console`);
    // An uncaught rejection fails its iteration with the Go error's text.
    expect(run.stderr).toContain('the provided target does not contain a valid port');
    expect(metricValues(run, 'iterations')?.count).toBe(2);
    expect(metricValues(run, 'data_sent')?.count).toBeGreaterThan(400);
    expect(metricValues(run, 'data_received')?.count).toBeGreaterThan(1000);
  });

  it('runs in the sandboxed runner, whose plan names the extension as a dependency', async () => {
    const source = [
      "import tls from 'k6/x/tls';",
      "import { check } from 'k6';",
      'export const options = { iterations: 1 };',
      'export default async function () {',
      `  const cert = await tls.getCertificate('127.0.0.1:${env.TLS_PORT}');`,
      "  check(cert, { 'issuer read': (c) => c.issuer.common_name === 'Stampede Test CA' });",
      '}',
    ].join('\n');
    const seen = await runInSandbox(source);
    // The run's k6_dependencies: k6 and the extension, as k6 v2 works them out.
    expect(seen.find((m) => m.type === 'plan')).toMatchObject({ dependencies: { k6: '*', 'k6/x/tls': '*' } });
    expect(seen.find((m) => m.type === 'finished')).toMatchObject({
      exitCode: 0,
      checks: [{ name: 'issuer read', passes: 1, fails: 0 }],
    });
  }, 60_000);
});
