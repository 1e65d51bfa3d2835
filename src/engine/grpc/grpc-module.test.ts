import { generateKeyPairSync } from 'node:crypto';
import * as http from 'node:http';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as grpcJs from '@grpc/grpc-js';
import { TEST_TLS_CERT, TEST_TLS_KEY } from '../http/test-tls-cert.test-helper.ts';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeHost, type FakeHost } from '../http/fake-vu-host.test-helper.ts';
import { VuEventLoop } from '../vu/vu-event-loop.ts';
import { createGrpcModule } from './grpc-module.ts';
import { PROTO_DIR, protosetOf, startGrpcTarget, type GrpcTarget } from './grpc-test-server.test-helper.ts';

interface InvokeResponse {
  status: number;
  message: Record<string, unknown> | null;
  headers: Record<string, string[]>;
  trailers: Record<string, string[]>;
  error: { code: number; message: string; details: unknown[] } | null;
}
interface TestClient {
  load(paths: string[], ...files: string[]): unknown;
  loadProtoset(file: string): unknown;
  connect(addr: string, params?: unknown): unknown;
  invoke(method: string, req: unknown, params?: unknown): Promise<InvokeResponse>;
  asyncInvoke(method: string, req: unknown, params?: unknown): Promise<InvokeResponse>;
  healthCheck(svc?: string): Promise<{ status: number }>;
  close(): void;
}
interface TestStream {
  on(event: string, fn: (v: unknown, meta: unknown) => unknown): void;
  write(m: unknown): void;
  end(): void;
}
interface GrpcModule {
  Client: new () => TestClient;
  Stream: new (client: unknown, method: string, params?: unknown) => TestStream;
  StatusOK: number;
  StatusNotFound: number;
  StatusDeadlineExceeded: number;
  StatusUnauthenticated: number;
  HealthCheckServing: number;
}

const waitFor = async (cond: () => boolean): Promise<void> => {
  const until = Date.now() + 3000;
  while (!cond() && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
};

let target: GrpcTarget;
beforeAll(async () => {
  target = await startGrpcTarget();
});
afterAll(async () => {
  await target.close();
});

function grpcModule(options: Record<string, unknown> = {}): { host: FakeHost; loop: VuEventLoop; grpc: GrpcModule } {
  const host = createFakeHost(options);
  host.stateRef.phase = 'init';
  const loop = new VuEventLoop();
  const grpc = createGrpcModule(host, loop, {
    parseJson: (t) => JSON.parse(t) as unknown,
    readFile: (p) => readFile(p),
    scriptDir: path.dirname(PROTO_DIR),
  }) as unknown as GrpcModule;
  return { host, loop, grpc };
}

/** A client with echo.proto loaded in init, connected in the VU context. */
async function connected(options: Record<string, unknown> = {}): Promise<{ host: FakeHost; loop: VuEventLoop; grpc: GrpcModule; client: TestClient }> {
  const m = grpcModule(options);
  const client = new m.grpc.Client();
  await client.load(['grpc'], 'echo.proto');
  m.host.stateRef.phase = 'vu';
  m.host.startIteration();
  expect(await client.connect(target.address, { plaintext: true })).toBe(true);
  return { ...m, client };
}

describe('k6/net/grpc Client', () => {
  it('load() lists the methods of the files and their imports, found through the import paths', async () => {
    const { grpc } = grpcModule();
    const client = new grpc.Client();
    const methods = (await client.load(['grpc'], 'echo.proto')) as Array<Record<string, string>>;
    expect(methods).toHaveLength(6);
    expect(methods[0]).toEqual({ package: 'stampede.test', service: 'Echo', full_method: '/stampede.test.Echo/Say' });
    // protocompile's error: the last import path's open error, prefixed only when it does not name the file.
    await expect(Promise.resolve().then(() => client.load(['nowhere'], 'echo.proto'))).rejects.toThrow(/^open \/.*\/nowhere\/echo\.proto: no such file or directory$/);
    await expect(Promise.resolve().then(() => client.load([], './missing.proto'))).rejects.toThrow(/^could not resolve path "\.\/missing\.proto": open \/.*\/missing\.proto: no such file or directory$/);
  });

  it('loadProtoset() reads a FileDescriptorSet; a file that is not one fails with k6’s message', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'grpc-protoset-'));
    await writeFile(path.join(dir, 'echo.protoset'), protosetOf('echo.proto'));
    await writeFile(path.join(dir, 'junk.protoset'), Buffer.from([0xff, 0xff, 0xff]));
    const { grpc, host } = grpcModule();
    const client = new grpc.Client();
    const methods = (await client.loadProtoset(path.join(dir, 'echo.protoset'))) as Array<Record<string, string>>;
    expect(methods.map((m) => m.full_method)).toContain('/stampede.test.Echo/Chat');
    await expect(Promise.resolve().then(() => client.loadProtoset(path.join(dir, 'junk.protoset')))).rejects.toThrow(`couldn't unmarshal protoset file ${dir}/junk.protoset: proto: cannot parse invalid wire-format data`);
    host.stateRef.phase = 'vu';
    host.startIteration();
    await client.connect(target.address, { plaintext: true });
    const res = await client.invoke('stampede.test.Echo/Say', { text: 'from a protoset', kind: 'KIND_A' });
    expect(res.message).toMatchObject({ text: 'from a protoset', kind: 'KIND_A' });
    client.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('connect() over TLS trusts the system roots plus tls.cacerts, or anything with insecureSkipTLSVerify', async () => {
    const secure = await startGrpcTarget({ credentials: grpcJs.ServerCredentials.createSsl(null, [{ private_key: Buffer.from(TEST_TLS_KEY), cert_chain: Buffer.from(TEST_TLS_CERT) }], false) });
    try {
      const { client } = await connected();
      await expect(client.connect(secure.address, { timeout: '3s' })).rejects.toThrow(
        'connection error: desc = "transport: authentication handshake failed: tls: failed to verify certificate: x509: certificate signed by unknown authority"',
      );
      await client.connect(secure.address, { tls: { cacerts: [TEST_TLS_CERT] } });
      expect((await client.invoke('stampede.test.Echo/Say', { text: 'tls' })).message?.text).toBe('tls');
      // By name: resolved here, verified against that name.
      await client.connect(secure.address.replace('127.0.0.1', 'localhost'), { tls: { cacerts: [TEST_TLS_CERT] } });
      expect((await client.invoke('stampede.test.Echo/Say', { text: 'by name' })).message?.text).toBe('by name');
      client.close();
      const lenient = await connected({ insecureSkipTLSVerify: true });
      await lenient.client.connect(secure.address, {});
      expect((await lenient.client.invoke('stampede.test.Echo/Say', { text: 'skip' })).message?.text).toBe('skip');
      lenient.client.close();
      // tlsCipherSuites restricts TLS 1.2 suites: an RSA-only suite cannot serve this ECDSA certificate.
      const rsaOnly = await connected({ insecureSkipTLSVerify: true, tlsVersion: 'tls1.2', tlsCipherSuites: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'] });
      await expect(rsaOnly.client.connect(secure.address, { timeout: '3s' })).rejects.toThrow(/handshake|connection error/);
      const ecdsa = await connected({ insecureSkipTLSVerify: true, tlsVersion: 'tls1.2', tlsCipherSuites: ['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'] });
      await ecdsa.client.connect(secure.address, {});
      expect((await ecdsa.client.invoke('stampede.test.Echo/Say', { text: 'suite' })).message?.text).toBe('suite');
      ecdsa.client.close();
    } finally {
      await secure.close();
    }
  });

  it('connect() to a TLS server that refuses HTTP/2 reports the alert it sent in Go’s words', async () => {
    // An HTTPS server offering only http/1.1 answers gRPC's ALPN h2 with alert 120.
    const server = tls.createServer({ key: TEST_TLS_KEY, cert: TEST_TLS_CERT, ALPNProtocols: ['http/1.1'] }, (s) => s.destroy());
    server.on('tlsClientError', () => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { client } = await connected({ insecureSkipTLSVerify: true });
      const { port } = server.address() as net.AddressInfo;
      await expect(client.connect(`127.0.0.1:${port}`, { timeout: '3s' })).rejects.toThrow(
        'connection error: desc = "transport: authentication handshake failed: remote error: tls: no application protocol"',
      );
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('connect() over TLS to a plaintext server names Go’s record-header error, not OpenSSL’s', async () => {
    // configcat/configcat-proxy's k6-load-grpc.js connects with { reflect: true } and no plaintext.
    const { client } = await connected();
    await expect(client.connect(target.address, { timeout: '3s' })).rejects.toThrow(
      'connection error: desc = "transport: authentication handshake failed: tls: first record does not look like a TLS handshake"',
    );
  });

  it('load() outside the init context and connect()/invoke() inside it fail with k6’s messages', async () => {
    const { grpc, host } = grpcModule();
    const client = new grpc.Client();
    expect(() => client.connect(target.address, { plaintext: true })).toThrow('connecting to a gRPC server in the init context is not supported');
    await client.load(['grpc'], 'echo.proto');
    expect(() => client.invoke('stampede.test.Echo/Say', {})).toThrow('invoking RPC methods in the init context is not supported');
    host.stateRef.phase = 'vu';
    expect(() => client.load(['grpc'], 'echo.proto')).toThrow('load must be called in the init context');
    expect(() => client.loadProtoset('x.protoset')).toThrow('load must be called in the init context');
    expect(() => client.invoke('stampede.test.Echo/Say', {})).toThrow('no gRPC connection, you must call connect first');
    expect(() => client.connect(target.address, { plaintext: 'yes' })).toThrow(`invalid grpc.connect() parameters: invalid plaintext value: '"yes"', it needs to be boolean`);
    expect(() => client.connect(target.address, { bogus: 1 })).toThrow('invalid grpc.connect() parameters: unknown connect param: "bogus"');
  });

  it('invoke() returns status, message (protojson, unpopulated fields included), headers and trailers, and echoes metadata', async () => {
    const { client, grpc } = await connected();
    const res = await client.invoke('stampede.test.Echo/Say', {
      text: 'nested', big: '9007199254740993', kind: 'KIND_B', data: 'AAEC', at: '2024-01-02T03:04:05.5Z',
      note: 'n', counts: { a: 1 }, tags: ['x'], ratio: 0.1, maybe: 0,
    }, { metadata: { 'x-token': 'secret' } });
    expect(res.status).toBe(grpc.StatusOK);
    expect(res.error).toBeNull();
    expect(res.message).toEqual({
      text: 'nested', big: '9007199254740993', kind: 'KIND_B', data: 'AAEC', at: '2024-01-02T03:04:05.500Z', note: 'n',
      counts: { a: 1 }, tags: ['x'], maybe: 0, nested: { innerName: 'inside' }, ratio: 0.1, total: '0', share: 0.1,
    });
    expect(res.headers['x-echo']).toEqual(['secret']);
    expect(res.trailers).toEqual({ 'x-trailer': ['done'] });
    expect(target.calls.at(-1)?.metadata['x-token']).toBe('secret');
    client.close();
  });

  it('invoke() of a failing call returns the status and error, and the empty message', async () => {
    const { client, grpc } = await connected();
    const res = await client.invoke('/stampede.test.Echo/Fail', { code: 16, text: 'who are you' });
    expect(res.status).toBe(grpc.StatusUnauthenticated);
    expect(res.error).toEqual({ code: 16, message: 'who are you', details: [] });
    expect(res.message).toMatchObject({ text: '', big: '0', kind: 'KIND_UNSPECIFIED', nested: null, tags: [], counts: {} });
    expect(res.message).not.toHaveProperty('maybe');
    client.close();
  });

  it('error details (grpc-status-details-bin) are protojson Any values; a type the client did not load leaves error {}', async () => {
    const { client } = await connected();
    const res = await client.invoke('stampede.test.Echo/Fail', { code: 3, text: 'details:stampede.test.Nested' });
    expect(res.error).toEqual({ code: 3, message: 'details:stampede.test.Nested', details: [{ '@type': 'type.googleapis.com/stampede.test.Nested', innerName: 'why' }] });
    expect(res.trailers).not.toHaveProperty('grpc-status-details-bin');
    const unknown = await client.invoke('stampede.test.Echo/Fail', { code: 3, text: 'details:google.rpc.BadRequest' });
    expect(unknown.status).toBe(3);
    expect(unknown.error).toEqual({});
    client.close();
  });

  it('a call past its timeout ends with DeadlineExceeded, as grpc-go words it', async () => {
    const { client, grpc } = await connected();
    const started = Date.now();
    const res = await client.invoke('stampede.test.Echo/Slow', { delay_ms: 1000 }, { timeout: '100ms' });
    expect(Date.now() - started).toBeLessThan(900);
    expect(res.status).toBe(grpc.StatusDeadlineExceeded);
    expect(res.error?.message).toBe('context deadline exceeded');
    client.close();
  });

  it('requests are read as protojson: unknown fields and bad values fail with the field named', async () => {
    const { client } = await connected();
    expect(() => client.invoke('stampede.test.Echo/Say', { nope: 1 })).toThrow('unable to serialise request object to protocol buffer: proto: unknown field "nope"');
    expect(() => client.invoke('stampede.test.Echo/Say', { code: 'abc' })).toThrow('invalid value for int32 field code: "abc"');
    expect(() => client.invoke('stampede.test.Echo/Say', { kind: 'KIND_Z' })).toThrow('invalid value for enum field kind: "KIND_Z"');
    expect(() => client.invoke('stampede.test.Echo/Nope', {})).toThrow('method "/stampede.test.Echo/Nope" not found in file descriptors');
    expect(() => client.invoke('stampede.test.Echo/Say', {}, { foo: 1 })).toThrow(`invalid GRPC's client.invoke() parameters: unknown param: "foo"`);
    expect(() => client.invoke('stampede.test.Echo/Say', {}, { timeout: true })).toThrow('invalid timeout value: unable to use type bool as a duration value');
    const cyclic: Record<string, unknown> = { text: 'a' };
    cyclic.self = { up: cyclic };
    expect(() => client.invoke('stampede.test.Echo/Say', cyclic)).toThrow('unable to normalize number strings: cyclic reference to an object found');
    // The same object twice, side by side, is no cycle.
    const twice = { a: 1 };
    expect(() => client.invoke('stampede.test.Echo/Say', { counts: twice, other: twice })).toThrow('unknown field "other"');
    // The proto name and the JSON name both address a field; NaN travels as "NaN".
    const res = await client.invoke('stampede.test.Echo/Say', { delay_ms: 1, delayMs: undefined, ratio: NaN });
    expect(res.message?.ratio).toBe('NaN');
    client.close();
  });

  it('grpc_req_duration carries k6’s tags: name, method, service, url, status, and the call’s own tags', async () => {
    const { client, host } = await connected();
    await client.invoke('stampede.test.Echo/Say', { text: 'a' }, { tags: { mine: 'yes' } });
    await client.invoke('stampede.test.Echo/Fail', { code: 5, text: 'gone' }, { tags: { name: 'custom' } });
    const samples = host.samplesOf('grpc_req_duration');
    expect(samples).toHaveLength(2);
    expect(samples[0]?.tags).toEqual({
      scenario: 'default', group: '', mine: 'yes', name: '/stampede.test.Echo/Say', method: 'Say', service: 'stampede.test.Echo',
      url: `${target.address}/stampede.test.Echo/Say`, status: '0',
    });
    expect(samples[1]?.tags).toMatchObject({ name: 'custom', method: 'Fail', status: '5' });
    expect(samples[1]?.tags).not.toHaveProperty('ip');
    expect(samples[0]?.value).toBeGreaterThan(0);
    await host.endIteration();
    const sent = host.samplesOf('data_sent');
    expect(sent).toHaveLength(1);
    expect(sent[0]?.value).toBeGreaterThan(100);
    expect(host.samplesOf('data_received')[0]?.value).toBeGreaterThan(100);
    client.close();
  });

  it('with the ip system tag enabled, grpc_req_duration carries the server’s IP', async () => {
    const { client, host, grpc } = await connected({ systemTags: ['ip', 'status'] });
    await client.invoke('stampede.test.Echo/Say', { text: 'a' });
    const s = new grpc.Stream(client, 'stampede.test.Echo/Count');
    s.write({ count: 1 });
    await waitFor(() => host.samplesOf('grpc_req_duration').length === 2);
    expect(host.samplesOf('grpc_req_duration').map((x) => x.tags)).toEqual([
      { scenario: 'default', group: '', ip: '127.0.0.1', status: '0' },
      { scenario: 'default', group: '', ip: '127.0.0.1', status: '0' },
    ]);
    client.close();
  });

  it('asyncInvoke() returns a promise and keeps the VU’s event loop open until it settles', async () => {
    const { client, host } = await connected();
    const p = client.asyncInvoke('stampede.test.Echo/Slow', { delay_ms: 50, text: 'later' });
    expect(p).toBeInstanceOf(Promise);
    expect(host.keepAlives).toBe(1);
    const res = await p;
    expect(res.message?.text).toBe('later');
    expect(host.keepAlives).toBe(0);
    client.close();
  });

  it('connect() fails at once when nothing listens, and healthCheck() reports the serving status', async () => {
    const { client, grpc } = await connected();
    expect(await client.healthCheck()).toEqual({ status: grpc.HealthCheckServing });
    expect(await client.healthCheck('other')).toEqual({ status: 3 });
    client.close();
    const started = Date.now();
    await expect(client.connect('127.0.0.1:1', { plaintext: true, timeout: '5s' })).rejects.toThrow(
      'connection error: desc = "transport: error while dialing: dial tcp 127.0.0.1:1: connect: connection refused"',
    );
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it('connect() to a server that is no HTTP/2 server retries until its timeout, then fails with grpc-go\'s preface error', async () => {
    const http1 = http.createServer((_req, res) => res.end('not grpc'));
    const closing = net.createServer((socket) => socket.end());
    await Promise.all([http1, closing].map((s) => new Promise<void>((ok) => s.listen(0, '127.0.0.1', ok))));
    const portOf = (s: net.Server): number => (s.address() as net.AddressInfo).port;
    try {
      const { client } = await connected();
      client.close();
      let started = Date.now();
      await expect(client.connect(`127.0.0.1:${portOf(http1)}`, { plaintext: true, timeout: '1s' })).rejects.toThrow(
        'connection error: desc = "error reading server preface: http2: failed reading the frame payload: http2: frame too large, note that the frame header looked like an HTTP/1.1 header"',
      );
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      started = Date.now();
      await expect(client.connect(`127.0.0.1:${portOf(closing)}`, { plaintext: true, timeout: '1s' })).rejects.toThrow(
        'connection error: desc = "error reading server preface: EOF"',
      );
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    } finally {
      http1.close();
      closing.close();
    }
  });

  it('connect() dials through the hosts option and refuses blocked hostnames and blacklisted IPs, as k6’s dialer', async () => {
    const port = target.address.split(':')[1] ?? '';
    const { client } = await connected({ hosts: { 'grpc.test': '127.0.0.1' }, blockHostnames: ['*.blocked'], blacklistIPs: ['10.0.0.0/8'] });
    await client.connect(`grpc.test:${port}`, { plaintext: true });
    expect((await client.invoke('stampede.test.Echo/Say', { text: 'mapped' })).message?.text).toBe('mapped');
    await expect(client.connect('a.blocked:80', { plaintext: true })).rejects.toThrow('connection error: desc = "transport: error while dialing: hostname (a.blocked) is in a blocked pattern (*.blocked)"');
    await expect(client.connect('10.1.2.3:80', { plaintext: true })).rejects.toThrow('connection error: desc = "transport: error while dialing: IP (10.1.2.3) is in a blacklisted range (10.0.0.0/8)"');
    client.close();
  });

  it('connect() with reflect reads the services from the server', async () => {
    const { grpc, host } = grpcModule();
    const client = new grpc.Client();
    host.stateRef.phase = 'vu';
    host.startIteration();
    await client.connect(target.address, { plaintext: true, reflect: true });
    // The reflection calls are timed too: v1 (unimplemented by this server), then v1alpha.
    await waitFor(() => host.samplesOf('grpc_req_duration').length === 2);
    expect(host.samplesOf('grpc_req_duration').map((x) => x.tags.status)).toEqual(['12', '1']);
    const res = await client.invoke('orchard.Groves/Inspect', { row: 7, column: -2 });
    expect(res.message).toEqual({ variety: 'Cox Orange Pippin', position: { row: 7, column: -2 }, ageYears: 30 });
    const echo = await client.invoke('stampede.test.Echo/Say', { text: 'reflected', kind: 1 });
    expect(echo.message).toMatchObject({ text: 'reflected', kind: 'KIND_A' });
    client.close();
  });

  it('connect() with reflect to a server without reflection fails with the status named as grpc-go does', async () => {
    const bare = new grpcJs.Server();
    const port = await new Promise<number>((resolve, reject) => {
      bare.bindAsync('127.0.0.1:0', grpcJs.ServerCredentials.createInsecure(), (e, p) => (e === null ? resolve(p) : reject(e)));
    });
    try {
      const { grpc, host } = grpcModule();
      const client = new grpc.Client();
      host.stateRef.phase = 'vu';
      host.startIteration();
      await expect(Promise.resolve().then(() => client.connect(`127.0.0.1:${port}`, { plaintext: true, reflect: true })))
        .rejects.toThrow(/^can't list services: rpc error: code = Unimplemented desc = /);
      client.close();
    } finally {
      bare.forceShutdown();
    }
  });
});

describe('k6/net/grpc Stream', () => {
  it('a bidi stream delivers data on the event loop, counts its messages and ends when the server does', async () => {
    const { client, grpc, host, loop } = await connected();
    const events: unknown[] = [];
    const s = new grpc.Stream(client, 'stampede.test.Echo/Chat', { tags: { flow: 'chat' } });
    s.on('data', (m, meta) => {
      events.push(m);
      expect(typeof (meta as { ts: number }).ts).toBe('number');
    });
    s.on('end', () => events.push('end'));
    s.write({ text: 'one' });
    s.write({ text: 'two' });
    s.end();
    s.write({ text: 'ignored after end' });
    await loop.idle();
    expect(events).toEqual([{ text: 'ONE', big: '0', kind: 'KIND_UNSPECIFIED', data: '', at: null, note: null, counts: {}, tags: [], nested: null, ratio: 0, total: '0', share: 0 },
      expect.objectContaining({ text: 'TWO' }), 'end']);
    expect(host.samplesOf('grpc_streams')).toHaveLength(1);
    expect(host.samplesOf('grpc_streams_msgs_sent')).toHaveLength(2);
    expect(host.samplesOf('grpc_streams_msgs_received')).toHaveLength(2);
    expect(host.samplesOf('grpc_req_duration')[0]?.tags).toMatchObject({ flow: 'chat', method: 'Chat', status: '0' });
    // Only grpc_req_duration carries the status; the stream's counters keep the tags they went out with.
    for (const m of ['grpc_streams', 'grpc_streams_msgs_sent', 'grpc_streams_msgs_received']) expect(host.samplesOf(m)[0]?.tags).not.toHaveProperty('status');
    client.close();
  });

  it('an error status fires error then end; an unknown event type is warned about', async () => {
    const { client, grpc, host, loop } = await connected();
    const events: unknown[] = [];
    const s = new grpc.Stream(client, 'stampede.test.Echo/Count', { discardResponseMessage: true });
    s.on('data', (m) => events.push(m));
    s.on('error', (e) => events.push(e));
    s.on('end', () => events.push('end'));
    s.on('bogus', () => undefined);
    s.write({ text: 'x', count: 2, code: grpc.StatusNotFound });
    s.end();
    await loop.idle();
    expect(events).toEqual([{}, {}, { code: 5, details: [], message: 'count failed' }, 'end']);
    expect(host.logs).toContainEqual({ level: 'warn', msg: "can't register bogus event handler: unknown GRPC stream's event type: bogus" });
    client.close();
  });

  it('k6’s constructor errors: no client, no connection, unknown method', async () => {
    const { grpc, client } = await connected();
    expect(() => new grpc.Stream(null, 'x')).toThrow("invalid GRPC Stream's client: empty gRPC client");
    expect(() => new grpc.Stream({}, 'x')).toThrow("invalid GRPC Stream's client: not a gRPC client");
    expect(() => new grpc.Stream(client, 'stampede.test.Echo/Nope')).toThrow(`invalid GRPC Stream's method: method "/stampede.test.Echo/Nope" not found in file descriptors`);
    client.close();
    expect(() => new grpc.Stream(client, 'stampede.test.Echo/Chat')).toThrow("invalid GRPC Stream's client: no gRPC connection, you must call connect first");
  });

  it('a stream still open when the iteration ends is cancelled without events and releases the loop', async () => {
    const { client, grpc, host, loop } = await connected();
    const events: unknown[] = [];
    const s = new grpc.Stream(client, 'stampede.test.Echo/Chat');
    s.on('data', (m) => events.push(m));
    s.on('end', () => events.push('end'));
    s.write({ text: 'hello' });
    await waitFor(() => events.length === 1);
    await host.endIteration();
    expect(loop.pending).toBe(0);
    await new Promise((r) => setTimeout(r, 50));
    expect(events).toEqual([expect.objectContaining({ text: 'HELLO' })]);
    client.close();
  });
});

describe('k6/net/grpc parameters', () => {
  it('connect() names a bad tls value as Go prints the exported object (%#v: sorted keys)', async () => {
    const { client } = await connected();
    expect(() => client.connect(target.address, { tls: { key: '', cert: '', cacerts: 0 } })).toThrow(
      `invalid grpc.connect() parameters: invalid tls cacerts value: 'map[string]interface {}{"cacerts":0, "cert":"", "key":""}', it needs to be a string or an array of PEM formatted strings`,
    );
    expect(() => client.connect(target.address, { tls: { cert: 0 } })).toThrow(`invalid tls cert value: 'map[string]interface {}{"cert":0}', it needs`);
    expect(() => client.connect(target.address, { maxSendSize: [1, null] })).toThrow(`invalid maxSendSize value: '[]interface {}{1, interface {}(nil)}', it needs to be an integer`);
    client.close();
  });

  it('maxReceiveSize and maxSendSize refuse larger messages with grpc-go\'s texts (ResourceExhausted)', async () => {
    const { client } = await connected();
    client.close();
    await client.connect(target.address, { plaintext: true, maxReceiveSize: 1 });
    const big = await client.invoke('stampede.test.Echo/Say', { text: 'hello' });
    expect(big.status).toBe(8);
    expect(big.error?.message).toMatch(/^grpc: received message larger than max \(\d+ vs\. 1\)$/);
    client.close();
    await client.connect(target.address, { plaintext: true, maxSendSize: 3 });
    const sent = await client.invoke('stampede.test.Echo/Say', { text: 'hello' });
    // The request is 7 bytes: field 1 (tag, length) and "hello".
    expect(sent.error?.message).toBe('grpc: trying to send message larger than max (7 vs. 3)');
    client.close();
  });

  it('connect() with tls.password that does not decrypt the key fails with Go\'s x509 text', async () => {
    const { client } = await connected();
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const key = privateKey.export({ format: 'pem', type: 'sec1', cipher: 'aes-256-cbc', passphrase: 'abc123' }) as string;
    expect(key).toContain('Proc-Type: 4,ENCRYPTED');
    await expect(Promise.resolve().then(() => client.connect(target.address, { tls: { cert: TEST_TLS_CERT, key, password: 'abc321' } }))).rejects.toThrow(/^x509: decryption password incorrect$/);
    client.close();
  });

  it('connect() reads the tls material as k6 does (buildTLSConfigFromMap) and refuses what Go refuses, with its texts', async () => {
    const { client } = await connected();
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const other = privateKey.export({ format: 'pem', type: 'sec1' }) as string;
    const pkcs8Encrypted = privateKey.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'pw' }) as string;
    const legacyEncrypted = privateKey.export({ format: 'pem', type: 'sec1', cipher: 'aes-256-cbc', passphrase: 'pw' }) as string;
    const refused = async (tlsParam: Record<string, unknown>): Promise<string> => {
      try {
        await client.connect(target.address, { tls: tlsParam, timeout: '2s' });
      } catch (e) {
        return (e as Error).message;
      }
      client.close();
      return 'connected';
    };
    // A password decrypts only a legacy PEM block (x509.DecryptPEMBlock).
    expect(await refused({ cert: TEST_TLS_CERT, key: pkcs8Encrypted, password: 'pw' })).toBe('encrypted pkcs8 formatted key is not supported');
    expect(await refused({ cert: TEST_TLS_CERT, key: TEST_TLS_KEY, password: 'pw' })).toBe('x509: no DEK-Info header in block');
    expect(await refused({ cert: TEST_TLS_CERT, key: 'not pem', password: 'pw' })).toBe('failed to decode PEM key');
    expect(await refused({ password: 'pw' })).toBe('failed to decode PEM key');
    // tls.X509KeyPair
    expect(await refused({ cert: TEST_TLS_CERT, key: legacyEncrypted })).toBe('failed to append certificate from PEM: tls: failed to parse private key');
    expect(await refused({ cert: TEST_TLS_CERT, key: other })).toBe('failed to append certificate from PEM: tls: private key does not match public key');
    expect(await refused({ cert: 'nope', key: TEST_TLS_KEY })).toBe('failed to append certificate from PEM: tls: failed to find any PEM data in certificate input');
    expect(await refused({ cert: TEST_TLS_CERT, key: TEST_TLS_CERT })).toBe('failed to append certificate from PEM: tls: found a certificate rather than a key in the PEM for the private key');
    expect(await refused({ cacerts: [TEST_TLS_CERT, 'nope'] })).toBe('failed to append ca certificate [1] from PEM');
    expect(await refused({ cacerts: 'nope' })).toBe('failed to append ca certificate [0] from PEM');
  });
});
