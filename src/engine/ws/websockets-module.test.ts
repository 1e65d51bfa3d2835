import { createHash } from 'node:crypto';
import { getEventListeners } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeHost, type FakeHost } from '../http/fake-vu-host.test-helper.ts';
import { VuEventLoop } from '../vu/vu-event-loop.ts';
import { createWebSocketsModule } from './websockets-module.ts';
import { startWsServer, type WsTestServer } from './ws-test-server.test-helper.ts';

interface Ev {
  type: string;
  timestamp?: number;
  data?: unknown;
  error?: string;
  code?: number;
  reason?: string;
  origin?: string;
}
interface TestWebSocket {
  readonly url: string;
  readonly readyState: number;
  readonly protocol: string;
  binaryType: string;
  onopen: ((e: Ev) => unknown) | null;
  onmessage: ((e: Ev) => unknown) | null;
  onerror: ((e: Ev) => unknown) | null;
  onclose: ((e: Ev) => unknown) | null;
  onpong: ((e: Ev) => unknown) | null;
  addEventListener(type: string, fn: unknown): void;
  send(data: unknown): void;
  ping(): void;
  close(code?: number, reason?: string): void;
}
type WebSocketCtor = new (url: unknown, protocols?: unknown, params?: unknown) => TestWebSocket;
interface TestBlob {
  readonly size: number;
  text(): Promise<string>;
}

let server: WsTestServer;
beforeAll(async () => {
  server = await startWsServer();
});
afterAll(async () => {
  await server.close();
});

function websockets(): { host: FakeHost; loop: VuEventLoop; WebSocket: WebSocketCtor; Blob: new (parts: unknown[]) => TestBlob } {
  const host = createFakeHost({});
  host.startIteration();
  const loop = new VuEventLoop();
  const mod = createWebSocketsModule(host, loop) as { WebSocket: WebSocketCtor; Blob: new (parts: unknown[]) => TestBlob };
  return { host, loop, WebSocket: mod.WebSocket, Blob: mod.Blob };
}

const waitFor = async (cond: () => boolean): Promise<void> => {
  const until = Date.now() + 3000;
  while (!cond() && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
};

describe('k6/websockets WebSocket', () => {
  it('connects in the background, exchanges messages, and holds the event loop until closed', async () => {
    const { host, loop, WebSocket } = websockets();
    const ws = new WebSocket(`${server.url}/echo`);
    expect(ws.readyState).toBe(0);
    expect(ws.url).toBe(`${server.url}/echo`);
    const got: unknown[] = [];
    let closed: Ev | undefined;
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => {
      expect(ws.readyState).toBe(1);
      ws.send('hello');
      ws.send(new Uint8Array([7, 8]));
    };
    ws.onmessage = (e) => {
      expect(e.origin).toBe(`${server.url}/echo`);
      got.push(typeof e.data === 'string' ? e.data : [...new Uint8Array(e.data as ArrayBuffer)]);
      if (got.length === 2) ws.close();
    };
    ws.onclose = (e) => {
      closed = e;
    };
    expect(loop.isIdle).toBe(false);
    await loop.idle();
    expect(got).toEqual(['hello', [7, 8]]);
    expect(closed).toMatchObject({ type: 'close', code: 1000, reason: '' });
    expect(ws.readyState).toBe(3);
    // The VU's signal lives across iterations: a closed socket leaves no listener on it.
    expect(getEventListeners(host.signal, 'abort')).toHaveLength(0);
    expect(host.samplesOf('ws_msgs_sent')).toHaveLength(2);
    expect(host.samplesOf('ws_msgs_received')).toHaveLength(2);
    expect(host.samplesOf('ws_sessions')[0]?.tags).toMatchObject({ url: `${server.url}/echo`, name: `${server.url}/echo`, status: '101' });
    await waitFor(() => host.samplesOf('ws_session_duration').length === 1);
    expect(host.samplesOf('ws_session_duration')).toHaveLength(1);
  });

  it('a message that comes in the same packet as the 101 answer is delivered after open (it was dropped); event timestamps keep their fraction of a millisecond', async () => {
    // A server that writes its first frame with the handshake answer, as a greeting server under load does.
    const raw = createServer((sock) => {
      let head = '';
      sock.on('data', (c: Buffer) => {
        head += c.toString('latin1');
        const key = /sec-websocket-key: *(\S+)/i.exec(head)?.[1];
        if (!head.includes('\r\n\r\n') || key === undefined) return;
        const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
        const answer = `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`;
        sock.write(Buffer.concat([Buffer.from(answer, 'latin1'), Buffer.from([0x81, 5]), Buffer.from('first')]));
      });
      sock.on('error', () => undefined);
    });
    await new Promise<void>((r) => raw.listen(0, '127.0.0.1', r));
    try {
      const { loop, WebSocket } = websockets();
      const ws = new WebSocket(`ws://127.0.0.1:${(raw.address() as AddressInfo).port}/`);
      const seen: string[] = [];
      const stamps: number[] = [];
      ws.onopen = (e) => {
        seen.push('open');
        stamps.push(e.timestamp ?? 0);
      };
      ws.onmessage = (e) => {
        seen.push(String(e.data));
        stamps.push(e.timestamp ?? 0);
        ws.close();
      };
      ws.onclose = () => seen.push('close');
      await waitFor(() => seen.includes('close'));
      if (!seen.includes('close')) ws.close();
      await loop.idle();
      expect(seen).toEqual(['open', 'first', 'close']);
      // k6's timestamps are float64(UnixNano()) / 1e6: milliseconds with their fraction.
      expect(stamps.some((t) => !Number.isInteger(t))).toBe(true);
      expect(Math.abs((stamps[0] ?? 0) - Date.now())).toBeLessThan(60_000);
    } finally {
      raw.close();
    }
  });

  it('delivers binary messages as Blobs by default; binaryType accepts only blob and arraybuffer', async () => {
    const { loop, WebSocket, Blob } = websockets();
    const ws = new WebSocket(`${server.url}/echo`);
    expect(ws.binaryType).toBe('blob');
    expect(() => {
      ws.binaryType = 'text';
    }).toThrow('unknown binaryType text, the supported ones are "blob" and "arraybuffer"');
    let data: unknown;
    ws.onopen = () => ws.send(new Blob(['ab', new Uint8Array([99])]));
    ws.onmessage = (e) => {
      data = e.data;
      ws.close();
    };
    await loop.idle();
    expect(data).toBeInstanceOf(Blob);
    expect((data as TestBlob).size).toBe(3);
    expect(await (data as TestBlob).text()).toBe('abc');
  });

  it("Blob: slice() gives the module's Blob, bytes() the realm's Uint8Array, stream() k6's string chunks (k6 blob_test.go)", async () => {
    const host = createFakeHost({});
    class RealmUint8Array extends Uint8Array {}
    const mod = createWebSocketsModule(host, new VuEventLoop(), {
      buffers: { arrayBuffer: (b) => b.slice().buffer, parseJson: (t) => JSON.parse(t) as unknown, uint8Array: (b) => new RealmUint8Array(b) },
      readableStream: (source) => new ReadableStream(source as ConstructorParameters<typeof ReadableStream<string>>[0]),
    }) as { Blob: new (parts: unknown[], options?: unknown) => TestBlob & { type: string; slice(...a: unknown[]): TestBlob & { type: string }; bytes(): Promise<Uint8Array>; stream(): ReadableStream<string> } };
    const blob = new mod.Blob(['PASS']);
    const part = blob.slice(1, 3, 'text/example');
    expect(part).toBeInstanceOf(mod.Blob);
    expect([part.type, await part.text()]).toEqual(['text/example', 'AS']);
    expect(await blob.bytes()).toBeInstanceOf(RealmUint8Array);
    const chunks: string[] = [];
    const reader = new mod.Blob(['x'.repeat(1500)]).stream().getReader();
    for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value);
    expect(chunks.map((c) => c.length)).toEqual([1024, 476, 0]);
  });

  it('a failed dial is an error event, then close; the loop is released', async () => {
    const { loop, WebSocket } = websockets();
    const ws = new WebSocket('ws://127.0.0.1:1/');
    const events: Ev[] = [];
    ws.onerror = (e) => void events.push(e);
    ws.onclose = (e) => void events.push(e);
    await loop.idle();
    expect(events.map((e) => e.type)).toEqual(['error', 'close']);
    expect(events[0]?.error).toBe('dial tcp 127.0.0.1:1: connect: connection refused');
    expect(events[1]).not.toHaveProperty('code');
    expect(ws.readyState).toBe(3);
  });

  it('a server close with an unexpected code is an error event, then close with its code and reason', async () => {
    const { loop, WebSocket } = websockets();
    const events: Ev[] = [];
    const record = (ws: TestWebSocket): void => {
      ws.onerror = (e) => void events.push(e);
      ws.onclose = (e) => void events.push(e);
    };
    record(new WebSocket(`${server.url}/close/1000`));
    await loop.idle();
    record(new WebSocket(`${server.url}/close/4000`));
    await loop.idle();
    expect(events.map((e) => [e.type, e.error ?? e.code, e.reason])).toEqual([
      ['close', 1000, 'bye'],
      ['error', 'websocket: close 4000: bye', undefined],
      ['close', 4000, 'bye'],
    ]);
  });

  it('runs on-properties before addEventListener listeners; refuses bad listeners and calls', async () => {
    const { host, loop, WebSocket } = websockets();
    const ws = new WebSocket(`${server.url}/echo`, 'chat');
    const order: string[] = [];
    ws.addEventListener('open', () => order.push('listener'));
    ws.onopen = () => order.push('onopen');
    ws.addEventListener('nope', () => {});
    expect(host.logs).toContainEqual({ level: 'warn', msg: "can't add event handler: unknown event type: nope" });
    expect(() => ws.addEventListener('open', 1)).toThrow('handler for event type "open" isn\'t a callable function');
    expect(() => {
      ws.onmessage = 1 as never;
    }).toThrow("a value for 'onmessage' should be callable");
    expect(() => ws.send('too early')).toThrow('InvalidStateError');
    ws.addEventListener('open', () => {
      expect(ws.protocol).toBe('chat');
      expect(() => ws.close(1001)).toThrow('The close code must be either 1000, or between 3000 and 4999. 1001 is neither');
      ws.close(3001, 'done');
    });
    await loop.idle();
    expect(order).toEqual(['onopen', 'listener']);
    await waitFor(() => server.connections.at(-1)?.closeCode !== undefined);
    expect(server.connections.at(-1)?.closeCode).toBe(3001);
  });

  it('events wait while the VU is inside a blocking call; a message keeps its arrival time', async () => {
    const { loop, WebSocket } = websockets();
    const ws = new WebSocket(`${server.url}/echo`);
    let lag = -1;
    ws.onopen = () => {
      ws.send('a');
      // As if the listener had called sleep(0.1): the VU is blocked, callbacks are deferred.
      loop.enterSync();
      setTimeout(() => loop.exitSync(), 100);
    };
    ws.onmessage = (e) => {
      lag = Date.now() - (e.timestamp ?? 0);
      ws.close();
    };
    await loop.idle();
    expect(lag).toBeGreaterThanOrEqual(50);
  });

  it('close() while connecting: no open event, the close frame goes out once connected, then close', async () => {
    const { loop, WebSocket } = websockets();
    const ws = new WebSocket(`${server.url}/echo`);
    const events: string[] = [];
    ws.onopen = () => void events.push('open');
    ws.onclose = (e) => void events.push(`close ${String(e.code)}`);
    ws.close();
    expect(ws.readyState).toBe(2);
    await loop.idle();
    expect(events).toEqual(['close 1000']);
    expect(ws.readyState).toBe(3);
  });

  it('has the ready-state constants on the class and on each instance (read-only, not own keys)', async () => {
    const { loop, WebSocket } = websockets();
    const ws = new WebSocket(`${server.url}/echo`) as TestWebSocket & Record<string, unknown>;
    const W = WebSocket as unknown as Record<string, unknown>;
    const names = ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'];
    expect(names.map((n) => W[n])).toEqual([0, 1, 2, 3]);
    expect(names.map((n) => ws[n])).toEqual([0, 1, 2, 3]);
    expect(ws.readyState).toBe(ws.CONNECTING);
    expect(() => {
      'use strict';
      ws.OPEN = 7;
    }).toThrow(TypeError);
    expect(Object.keys(ws)).toEqual(['url']);
    ws.onopen = () => {
      expect(ws.readyState).toBe(ws.OPEN);
      ws.close();
    };
    await loop.idle();
    expect(ws.readyState).toBe(ws.CLOSED);
  });

  it('validates the constructor’s arguments like k6', () => {
    const { WebSocket } = websockets();
    expect(() => new WebSocket(undefined)).toThrow('WebSocket requires a url');
    expect(() => new WebSocket('http://127.0.0.1/')).toThrow('WebSocket requires url with scheme ws or wss, but got "http"');
    expect(() => new WebSocket('ws://127.0.0.1/#x')).toThrow('WebSocket requires no url fragment, but got "x"');
    expect(() => new WebSocket('ws://127.0.0.1/', null, { timeout: 1 })).toThrow("unknown WebSocket's option timeout");
    expect(() => new WebSocket('ws://127.0.0.1/', null, { compression: '' })).toThrow("unsupported compression algorithm '', supported algorithm is 'deflate'");
  });

  it('a listener that throws fails the loop and closes the connection', async () => {
    const { loop, WebSocket } = websockets();
    const ws = new WebSocket(`${server.url}/echo`);
    ws.onopen = () => ws.send('x');
    ws.onmessage = () => {
      throw new Error('listener failed');
    };
    await expect(loop.idle()).rejects.toThrow('listener failed');
    expect(ws.readyState).toBe(3);
  });

  it('measures pings; an open socket is closed with 1000 when its iteration ends', async () => {
    const { host, loop, WebSocket } = websockets();
    const ws = new WebSocket(`${server.url}/silent`);
    ws.onopen = () => ws.ping();
    let pong = false;
    ws.onpong = () => {
      pong = true;
    };
    await waitFor(() => pong);
    expect(host.samplesOf('ws_ping')).toHaveLength(1);
    expect(loop.isIdle).toBe(false);
    await host.endIteration();
    expect(ws.readyState).toBe(3);
    await waitFor(() => server.connections.at(-1)?.closeCode !== undefined);
    expect(server.connections.at(-1)?.closeCode).toBe(1000);
  });
});
