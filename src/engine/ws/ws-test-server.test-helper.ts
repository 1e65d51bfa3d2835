// A WebSocket server on 127.0.0.1 (random port) for the k6/ws and k6/websockets tests. Paths:
// /echo echoes every message (text or binary); /close/<code> closes at once with that code;
// /drop cuts the TCP connection after the handshake; /ping pings the client once; /cookie sets a
// cookie in its 101 answer; /status/<n> refuses the upgrade with that status and a body; /silent
// never sends anything; /noproto accepts without choosing any offered subprotocol. Every
// connection's request and close code are recorded. `tls` serves wss:// with the test certificate.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { TEST_TLS_CERT, TEST_TLS_KEY } from '../http/test-tls-cert.test-helper.ts';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';

export interface WsTestServer {
  readonly url: string;
  readonly port: number;
  /** Each accepted connection: its request, and its close code once closed. */
  readonly connections: Array<{ path: string; headers: IncomingMessage['headers']; closeCode?: number; messages: string[] }>;
  close(): Promise<void>;
}

export async function startWsServer(opts: { perMessageDeflate?: boolean; tls?: boolean; tlsMinVersion?: 'TLSv1.3' } = {}): Promise<WsTestServer> {
  const connections: WsTestServer['connections'] = [];
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: opts.perMessageDeflate === true,
    handleProtocols: (protocols, req) => {
      if (req.url === '/noproto') return false;
      const first = [...protocols][0];
      return first === undefined ? false : first;
    },
  });
  const server: Server = opts.tls === true
    ? createTlsServer({ cert: TEST_TLS_CERT, key: TEST_TLS_KEY, ...(opts.tlsMinVersion === undefined ? {} : { minVersion: opts.tlsMinVersion }) }, (_req, res) => res.writeHead(404).end())
    : createServer((_req, res) => res.writeHead(404).end());
  const sockets = new Set<Duplex>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const status = /^\/status\/(\d+)$/.exec(path);
    if (status !== null) {
      const body = `refused with ${status[1]}`;
      socket.end(`HTTP/1.1 ${status[1]} Refused\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\nX-Reason: test\r\n\r\n${body}`);
      return;
    }
    const extra = path === '/cookie' ? ['Set-Cookie: session=abc; Path=/'] : [];
    const onHeaders = (headers: string[]): void => {
      headers.push(...extra);
    };
    wss.once('headers', onHeaders);
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      wss.off('headers', onHeaders);
      const record: WsTestServer['connections'][number] = { path, headers: req.headers, messages: [] };
      connections.push(record);
      ws.on('close', (code) => {
        record.closeCode = code;
      });
      ws.on('message', (data, isBinary) => {
        record.messages.push(isBinary ? `binary:${(data as Buffer).length}` : String(data));
        if (path === '/echo' || path === '/cookie') ws.send(data, { binary: isBinary });
      });
      const close = /^\/close\/(\d+)$/.exec(path);
      if (close !== null) ws.close(Number(close[1]), 'bye');
      else if (path === '/drop') ws.terminate();
      else if (path === '/ping') ws.ping('hi');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `${opts.tls === true ? 'wss' : 'ws'}://127.0.0.1:${port}`,
    port,
    connections,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
