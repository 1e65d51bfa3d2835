// A TLS connect() to an IP address must not make Node print its DEP0123 deprecation warning ("Setting
// the TLS ServerName to an IP address is not permitted by RFC 6066") on the user's terminal: Go sends
// no SNI for an IP and prints nothing. A file of its own, as Node warns once per process.
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as grpcJs from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_TLS_CERT, TEST_TLS_KEY } from '../http/test-tls-cert.test-helper.ts';
import { createFakeHost } from '../http/fake-vu-host.test-helper.ts';
import { VuEventLoop } from '../vu/vu-event-loop.ts';
import { createGrpcModule } from './grpc-module.ts';
import { PROTO_DIR, startGrpcTarget, type GrpcTarget } from './grpc-test-server.test-helper.ts';

interface TestClient {
  load(paths: string[], ...files: string[]): unknown;
  connect(addr: string, params?: unknown): unknown;
  invoke(method: string, req: unknown): Promise<{ message: { text?: string } | null }>;
  close(): void;
}

let secure: GrpcTarget;
const warnings: Error[] = [];
const onWarning = (w: Error): void => {
  warnings.push(w);
};
beforeAll(async () => {
  secure = await startGrpcTarget({ credentials: grpcJs.ServerCredentials.createSsl(null, [{ private_key: Buffer.from(TEST_TLS_KEY), cert_chain: Buffer.from(TEST_TLS_CERT) }], false) });
  process.on('warning', onWarning);
});
afterAll(async () => {
  process.off('warning', onWarning);
  await secure.close();
});

describe('k6/net/grpc TLS to an IP address', () => {
  it('connects and calls without a DEP0123 warning', async () => {
    const host = createFakeHost({ insecureSkipTLSVerify: true });
    host.stateRef.phase = 'init';
    const grpc = createGrpcModule(host, new VuEventLoop(), {
      parseJson: (t) => JSON.parse(t) as unknown,
      readFile: (p) => readFile(p),
      scriptDir: path.dirname(PROTO_DIR),
    }) as unknown as { Client: new () => TestClient };
    const client = new grpc.Client();
    await client.load(['grpc'], 'echo.proto');
    host.stateRef.phase = 'vu';
    host.startIteration();
    expect(secure.address).toMatch(/^127\.0\.0\.1:/);
    await client.connect(secure.address, {});
    expect((await client.invoke('stampede.test.Echo/Say', { text: 'by IP' })).message?.text).toBe('by IP');
    client.close();
    await new Promise((r) => setTimeout(r, 50));
    expect(warnings.map((w) => (w as Error & { code?: string }).code)).not.toContain('DEP0123');
  });
});
