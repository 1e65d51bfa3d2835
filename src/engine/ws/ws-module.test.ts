import { getEventListeners } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeHost, type FakeHost } from '../http/fake-vu-host.test-helper.ts';
import { CookieJar } from '../http/cookie-jar.ts';
import { markBlocking } from '../vu/blocking.ts';
import type { VuOptions } from '../vu/vu-host.ts';
import { createWsModule, type WsResponse } from './ws-module.ts';
import { startWsServer, type WsTestServer } from './ws-test-server.test-helper.ts';

interface TestSocket {
  on(event: string, fn: (...args: unknown[]) => unknown): void;
  send(msg?: unknown): void;
  sendBinary(...args: unknown[]): void;
  ping(): void;
  close(code?: number): void;
  setTimeout(fn: () => unknown, ms: number): void;
  setInterval(fn: () => unknown, ms: number): void;
}
type Connect = (url: string, ...args: unknown[]) => Promise<WsResponse>;

let server: WsTestServer;
beforeAll(async () => {
  server = await startWsServer();
});
afterAll(async () => {
  await server.close();
});

function wsModule(options: VuOptions = {}, jar?: CookieJar): { host: FakeHost; connect: Connect } {
  const host = createFakeHost(options);
  host.startIteration();
  const mod = createWsModule(host, jar === undefined ? {} : { vuJar: () => jar }) as { connect: Connect };
  return { host, connect: mod.connect };
}

const waitFor = async (cond: () => boolean): Promise<void> => {
  const until = Date.now() + 3000;
  while (!cond() && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
};

describe('k6/ws connect', () => {
  it('exchanges messages and returns the 101 response once the script closes', async () => {
    const { host, connect } = wsModule();
    const got: string[] = [];
    const events: string[] = [];
    const res = await connect(`${server.url}/echo`, (socket: TestSocket) => {
      events.push('setup');
      socket.on('open', () => {
        events.push('open');
        socket.send('hello');
        socket.send('world');
      });
      socket.on('message', (m) => {
        got.push(m as string);
        if (got.length === 2) socket.close();
      });
      socket.on('close', (code) => events.push(`close ${String(code)}`));
    });
    expect(got).toEqual(['hello', 'world']);
    expect(events).toEqual(['setup', 'open', 'close 1001']);
    expect(res).toMatchObject({ url: `${server.url}/echo`, status: 101, body: '', error: '' });
    expect(res.headers.Upgrade).toBe('websocket');
    expect(getEventListeners(host.signal, 'abort')).toHaveLength(0);
    expect(res.headers['Sec-Websocket-Accept']).toBeTypeOf('string');
    expect(host.samplesOf('ws_msgs_sent')).toHaveLength(2);
    expect(host.samplesOf('ws_msgs_received')).toHaveLength(2);
    expect(host.samplesOf('ws_sessions')).toHaveLength(1);
    expect(host.samplesOf('ws_connecting')).toHaveLength(1);
    const duration = host.samplesOf('ws_session_duration');
    expect(duration).toHaveLength(1);
    expect(duration[0]?.tags).toEqual({ scenario: 'default', group: '', url: `${server.url}/echo`, status: '101', subproto: '' });
    expect(host.metrics.get('ws_ping')).toMatchObject({ type: 'trend', contains: 'time' });
    await waitFor(() => server.connections.at(-1)?.closeCode !== undefined);
    expect(server.connections.at(-1)?.closeCode).toBe(1001);
  });

  it('sends and receives binary messages as ArrayBuffers; sendBinary refuses anything else', async () => {
    const { connect } = wsModule();
    let received: unknown;
    await connect(`${server.url}/echo`, (socket: TestSocket) => {
      socket.on('open', () => socket.sendBinary(new Uint8Array([1, 2, 3]).buffer));
      socket.on('binaryMessage', (ab) => {
        received = ab;
        socket.close(1000);
      });
    });
    expect(received).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(received as ArrayBuffer)]).toEqual([1, 2, 3]);
    await expect(connect(`${server.url}/echo`, (socket: TestSocket) => {
      socket.on('open', () => socket.sendBinary(new Uint8Array([1])));
    })).rejects.toThrow('expected ArrayBuffer as argument, received: Uint8Array');
    await expect(connect(`${server.url}/echo`, (socket: TestSocket) => {
      socket.on('open', () => socket.sendBinary());
    })).rejects.toThrow('missing argument, expected ArrayBuffer');
  });

  it('measures ping round trips and reports the server’s pings', async () => {
    const { host, connect } = wsModule();
    const events: string[] = [];
    await connect(`${server.url}/ping`, (socket: TestSocket) => {
      socket.on('open', () => socket.ping());
      socket.on('ping', () => events.push('ping'));
      socket.on('pong', () => events.push('pong'));
      socket.setInterval(() => {
        if (events.length === 2) socket.close();
      }, 10);
    });
    expect(events.sort()).toEqual(['ping', 'pong']);
    expect(host.samplesOf('ws_ping')).toHaveLength(1);
  });

  it('a server close ends the session with its code; an unexpected code is an error event first', async () => {
    const { connect } = wsModule();
    const events: string[] = [];
    const record = (socket: TestSocket): void => {
      socket.on('error', (e) => events.push(`error ${(e as { error(): string }).error()}`));
      socket.on('close', (code) => events.push(`close ${String(code)}`));
    };
    await connect(`${server.url}/close/1000`, record);
    await connect(`${server.url}/close/4000`, record);
    await connect(`${server.url}/drop`, record);
    expect(events).toEqual([
      'close 1000',
      'error websocket: close 4000: bye', 'close 4000',
      'error websocket: close 1006 (abnormal closure): unexpected EOF', 'close 1006',
    ]);
  });

  it('socket.setTimeout and setInterval run on the session; a non-positive delay throws', async () => {
    const { connect } = wsModule();
    let ticks = 0;
    const started = Date.now();
    await connect(`${server.url}/silent`, (socket: TestSocket) => {
      socket.setInterval(() => void ticks++, 20);
      socket.setTimeout(() => socket.close(), 150);
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(ticks).toBeGreaterThanOrEqual(3);
    await expect(connect(`${server.url}/silent`, (socket: TestSocket) => socket.setInterval(() => {}, -1.23)))
      .rejects.toThrow('setInterval requires a >0 timeout parameter, received -1.23');
  });

  it('an exception in a handler closes the socket ("going away", close handler run) and is thrown', async () => {
    const { connect } = wsModule();
    const events: string[] = [];
    await expect(connect(`${server.url}/echo`, (socket: TestSocket) => {
      socket.on('open', () => socket.send('x'));
      socket.on('message', () => {
        throw new Error('handler failed');
      });
      socket.on('close', (code) => events.push(`close ${String(code)}`));
    })).rejects.toThrow('handler failed');
    expect(events).toEqual(['close 1001']);
  });

  it('a handler that blocks delays the next event', async () => {
    const { connect } = wsModule();
    const order: string[] = [];
    await connect(`${server.url}/echo`, (socket: TestSocket) => {
      socket.on('open', () => {
        socket.send('a');
        socket.send('b');
      });
      socket.on('message', (m) => {
        order.push(`start ${String(m)}`);
        return markBlocking(new Promise<void>((resolve) => setTimeout(() => {
          order.push(`end ${String(m)}`);
          if (m === 'b') socket.close();
          resolve();
        }, 30)));
      });
    });
    expect(order).toEqual(['start a', 'end a', 'start b', 'end b']);
  });

  it('send after close is an error event ("websocket: close sent"), still counted as sent', async () => {
    const { host, connect } = wsModule();
    const errors: string[] = [];
    await connect(`${server.url}/echo`, (socket: TestSocket) => {
      socket.on('open', () => {
        socket.close();
        socket.send('late');
      });
      socket.on('error', (e) => errors.push(String(e)));
    });
    expect(errors).toEqual(['websocket: close sent']);
    expect(host.samplesOf('ws_msgs_sent')).toHaveLength(1);
  });

  it('a refused upgrade returns the response (throw off) or throws "websocket: bad handshake"', async () => {
    const { host, connect } = wsModule();
    let called = false;
    const res = await connect(`${server.url}/status/404`, () => {
      called = true;
    });
    expect(called).toBe(false);
    expect(res).toMatchObject({ url: '', status: 404, body: 'refused with 404', error: '' });
    expect(res.headers['X-Reason']).toBe('test');
    expect(host.samplesOf('ws_sessions')[0]?.tags.status).toBe('404');
    expect(host.samplesOf('ws_session_duration')).toHaveLength(1);
    const throwing = wsModule({ throw: true });
    await expect(throwing.connect(`${server.url}/status/403`, () => {})).rejects.toThrow('websocket: bad handshake');
  });

  it('a failed dial reports Go’s error text; a non-ws URL is malformed', async () => {
    const { connect } = wsModule();
    const res = await connect('ws://127.0.0.1:1/x', () => {});
    expect(res).toMatchObject({ status: 0, error: 'dial tcp 127.0.0.1:1: connect: connection refused' });
    expect((await connect('http://127.0.0.1:1/x', () => {})).error).toBe('malformed ws or wss URL');
    await expect(wsModule({ throw: true }).connect('INVALID', () => {})).rejects.toThrow('malformed ws or wss URL');
  });

  it('checks its arguments and refuses the init context', async () => {
    const { host, connect } = wsModule();
    expect(() => connect(`${server.url}/echo`)).toThrow('invalid number of arguments to ws.connect');
    expect(() => connect(`${server.url}/echo`, {}, 'nope')).toThrow('last argument to ws.connect must be a function');
    expect(() => connect(`${server.url}/echo`, {}, () => {}, 1)).toThrow('invalid number of arguments to ws.connect');
    expect(() => connect(`${server.url}/echo`, { compression: 'gzip' }, () => {})).toThrow("unsupported compression algorithm 'gzip', supported algorithm is 'deflate'");
    expect(() => connect(`${server.url}/echo`, { tags: { a: {} } }, () => {})).toThrow(/^invalid ws.connect\(\) metric tags: /);
    host.stateRef.phase = 'init';
    expect(() => connect(`${server.url}/echo`, () => {})).toThrow('using websockets in the init context is not supported');
  });

  it('sends headers, the user agent, the subprotocol and the jar’s cookies, tags samples, stores Set-Cookie', async () => {
    const jar = new CookieJar();
    jar.set('http://127.0.0.1/', 'pre', '1');
    const { host, connect } = wsModule({ userAgent: 'ua-test' }, jar);
    await connect(`${server.url}/cookie`, { headers: { 'x-custom': 'v', 'Sec-WebSocket-Protocol': 'chat' }, tags: { my: 'tag' } }, (socket: TestSocket) => {
      socket.on('open', () => socket.close());
    });
    const req = server.connections.at(-1);
    expect(req?.headers['x-custom']).toBe('v');
    expect(req?.headers['user-agent']).toBe('ua-test');
    expect(req?.headers.cookie).toBe('pre=1');
    expect(host.samplesOf('ws_sessions')[0]?.tags).toMatchObject({ my: 'tag', subproto: 'chat', status: '101' });
    expect(jar.cookiesForURL('http://127.0.0.1/')).toEqual({ pre: ['1'], session: ['abc'] });
    // A jar passed in params replaces the VU's.
    const own = new CookieJar();
    own.set('http://127.0.0.1/', 'mine', '2');
    await connect(`${server.url}/echo`, { jar: own }, (socket: TestSocket) => socket.on('open', () => socket.close()));
    expect(server.connections.at(-1)?.headers.cookie).toBe('mine=2');
  });

  it('negotiates permessage-deflate with compression: "deflate"', async () => {
    const deflating = await startWsServer({ perMessageDeflate: true });
    try {
      const { connect } = wsModule();
      let echoed = '';
      const res = await connect(`${deflating.url}/echo`, { compression: 'deflate' }, (socket: TestSocket) => {
        socket.on('open', () => socket.send('x'.repeat(2000)));
        socket.on('message', (m) => {
          echoed = m as string;
          socket.close();
        });
      });
      expect(res.headers['Sec-Websocket-Extensions']).toContain('permessage-deflate');
      expect(echoed).toHaveLength(2000);
    } finally {
      await deflating.close();
    }
  });

  it('connects over wss:// (insecureSkipTLSVerify for the test certificate) and fails verification without it', async () => {
    const secure = await startWsServer({ tls: true });
    try {
      const { connect } = wsModule({ insecureSkipTLSVerify: true });
      let echoed = '';
      const res = await connect(`${secure.url}/echo`, (socket: TestSocket) => {
        socket.on('open', () => socket.send('over tls'));
        socket.on('message', (m) => {
          echoed = m as string;
          socket.close();
        });
      });
      expect(res.status).toBe(101);
      expect(echoed).toBe('over tls');
      const strict = await wsModule().connect(`${secure.url}/echo`, () => {});
      expect(strict.status).toBe(0);
      expect(strict.error).toBe('tls: failed to verify certificate: x509: certificate signed by unknown authority');
    } finally {
      await secure.close();
    }
  });

  it("logs a wss:// connection's TLS session keys, NSS key log lines, when the VU has a key log (SSLKEYLOGFILE)", async () => {
    const secure = await startWsServer({ tls: true });
    try {
      const host = createFakeHost({ insecureSkipTLSVerify: true });
      const lines: string[] = [];
      Object.assign(host, { keyLog: (line: Buffer) => lines.push(line.toString('latin1')) });
      host.startIteration();
      const { connect } = createWsModule(host, {}) as { connect: Connect };
      const res = await connect(`${secure.url}/echo`, (socket: TestSocket) => socket.on('open', () => socket.close()));
      expect(res.status).toBe(101);
      expect(lines.every((l) => /^[A-Z_0-9]+ [0-9a-f]{64} [0-9a-f]+\n$/.test(l))).toBe(true);
      expect(lines.map((l) => l.split(' ')[0]).sort()).toEqual([
        'CLIENT_HANDSHAKE_TRAFFIC_SECRET', 'CLIENT_TRAFFIC_SECRET_0', 'EXPORTER_SECRET', 'SERVER_HANDSHAKE_TRAFFIC_SECRET', 'SERVER_TRAFFIC_SECRET_0',
      ]);
    } finally {
      await secure.close();
    }
  });

  it('tags samples with the enabled system tags only (ip when asked for)', async () => {
    const { host, connect } = wsModule({ systemTags: ['ip'] });
    await connect(`${server.url}/echo`, (socket: TestSocket) => socket.on('open', () => socket.close()));
    const tags = host.samplesOf('ws_sessions')[0]?.tags;
    expect(tags?.ip).toBe('127.0.0.1');
    expect(tags).not.toHaveProperty('url');
    expect(tags).not.toHaveProperty('status');
    expect(tags).not.toHaveProperty('subproto');
  });

  it('dials through the hosts option and refuses blocked hostnames', async () => {
    const { connect } = wsModule({ hosts: { 'echo.test': `127.0.0.1:${server.port}` }, blockHostnames: ['*.blocked'] });
    const res = await connect('ws://echo.test/echo', (socket: TestSocket) => socket.on('open', () => socket.close()));
    expect(res.status).toBe(101);
    expect(server.connections.at(-1)?.headers.host).toBe('echo.test');
    expect((await connect('ws://a.blocked/echo', () => {})).error).toBe('hostname is blocked');
  });

  it('a hosts key with a port maps only dials to that port (ws:// dials :80)', async () => {
    const { connect } = wsModule({ hosts: { 'echo.test:80': `127.0.0.1:${server.port}`, 'echo.test:81': '127.0.0.9:1' } });
    const res = await connect('ws://echo.test/echo', (socket: TestSocket) => socket.on('open', () => socket.close()));
    expect(res.status).toBe(101);
  });

  it('applies the tlsVersion option to wss:// as k6/http does', async () => {
    const secure = await startWsServer({ tls: true, tlsMinVersion: 'TLSv1.3' });
    try {
      const old = await wsModule({ insecureSkipTLSVerify: true, tlsVersion: { max: 'tls1.2' } }).connect(`${secure.url}/echo`, () => {});
      expect(old.status).toBe(0);
      expect(old.error).not.toBe('');
      const current = await wsModule({ insecureSkipTLSVerify: true, tlsVersion: 'tls1.3' }).connect(`${secure.url}/echo`, (socket: TestSocket) => {
        socket.on('open', () => socket.close());
      });
      expect(current.status).toBe(101);
    } finally {
      await secure.close();
    }
  });

  it('accepts a server that picks none of the offered subprotocols, as gorilla does', async () => {
    const { host, connect } = wsModule();
    const res = await connect(`${server.url}/noproto`, { headers: { 'Sec-WebSocket-Protocol': 'chat' } }, (socket: TestSocket) => {
      socket.on('open', () => socket.close());
    });
    expect(res.status).toBe(101);
    expect(host.samplesOf('ws_sessions')[0]?.tags.subproto).toBe('');
  });

  it('the VU’s interrupt ends the session and closes the connection with 1001', async () => {
    const { host, connect } = wsModule();
    let closeHandler = false;
    const session = connect(`${server.url}/silent`, (socket: TestSocket) => {
      socket.on('open', () => setTimeout(() => host.abort(), 50));
      socket.on('close', () => {
        closeHandler = true;
      });
    });
    await expect(session).resolves.toMatchObject({ status: 101 });
    expect(closeHandler).toBe(false);
    await waitFor(() => server.connections.at(-1)?.closeCode !== undefined);
    expect(server.connections.at(-1)?.closeCode).toBe(1001);
  });

  it('the bytes of the sessions become data_sent and data_received at the iteration’s end', async () => {
    const { host, connect } = wsModule();
    await connect(`${server.url}/echo`, (socket: TestSocket) => {
      socket.on('open', () => socket.send('y'.repeat(1000)));
      socket.on('message', () => socket.close());
    });
    await host.endIteration();
    expect(host.samplesOf('data_sent')[0]?.value).toBeGreaterThan(1000);
    expect(host.samplesOf('data_received')[0]?.value).toBeGreaterThan(1000);
  });
});
