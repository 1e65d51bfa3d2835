// The dashboard's HTTP server (xk6-dashboard web.go and sse.go, on node:http): `/events` is the
// server-sent event stream — every event so far is replayed to a new client (r3labs/sse AutoReplay:
// ids from 0, those at or after `Last-Event-ID`), then each new one as it comes; `/ui/` is Stampede's
// page; `/report` the HTML report of the run so far; `/` redirects to `/ui/?endpoint=/`.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DashboardEvent } from './dashboard-feed.ts';

/** JavaScript's Number.MAX_SAFE_INTEGER: the `retry` of `stop`, so that a browser does not reconnect. */
const NO_RETRY = '9007199254740991';

export interface DashboardServerOptions {
  /** The page at /ui/. */
  readonly page: string;
  /** The report of the run so far, for /report. */
  readonly report: () => string;
}

export class DashboardServer {
  readonly #server: http.Server;
  readonly #o: DashboardServerOptions;
  readonly #log: string[] = [];
  readonly #clients = new Set<http.ServerResponse>();
  #idle: Array<() => void> = [];

  constructor(o: DashboardServerOptions) {
    this.#o = o;
    this.#server = http.createServer((req, res) => this.#handle(req, res));
    // xk6-dashboard's http.Server: one second to read a request's headers.
    this.#server.headersTimeout = 1000;
    this.#server.requestTimeout = 0;
  }

  /** Listens; resolves to the bound port, rejects with Go's wording of the listen error. */
  listen(host: string | undefined, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (e: NodeJS.ErrnoException): void => {
        const addr = `${host?.includes(':') === true ? `[${host}]` : host ?? ''}:${port}`;
        const why = e.code === 'EADDRINUSE' ? 'bind: address already in use' : e.code === 'EACCES' ? 'bind: permission denied' : e.code === 'EADDRNOTAVAIL' ? 'bind: cannot assign requested address' : e.message;
        reject(new Error(`listen tcp ${addr}: ${why}`));
      };
      this.#server.once('error', onError);
      this.#server.listen({ host, port }, () => {
        this.#server.off('error', onError);
        resolve((this.#server.address() as AddressInfo).port);
      });
    });
  }

  /** Sends an event to every client and keeps it for the ones that connect later. */
  publish(e: DashboardEvent): void {
    const frame = `id: ${this.#log.length}\ndata: ${JSON.stringify(e.data)}\nevent: ${e.name}\n${e.name === 'stop' ? `retry: ${NO_RETRY}\n` : ''}\n`;
    this.#log.push(frame);
    for (const res of this.#clients) res.write(frame);
  }

  /**
   * After `stop`: waits until every client of /events has gone (xk6-dashboard keeps k6 running while a
   * dashboard page is open; the page disconnects on `stop`), unless the run was aborted; then closes.
   */
  /** Ends close()'s wait for open pages (Ctrl+C while the run waits for them); whether it was waiting. */
  release(): boolean {
    const idle = this.#idle;
    this.#idle = [];
    for (const resolve of idle) resolve();
    return idle.length > 0;
  }

  async close(waitForClients: boolean): Promise<void> {
    if (waitForClients && this.#clients.size > 0) await new Promise<void>((resolve) => this.#idle.push(resolve));
    for (const res of this.#clients) res.end();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://dashboard');
    const p = url.pathname;
    if (p === '/events') return this.#events(req, res);
    if (p === '/ui/' || p === '/ui/index.html') return this.#html(res, this.#o.page);
    if (p === '/ui') {
      res.writeHead(301, { Location: `/ui/${url.search}` }).end();
      return;
    }
    if (p === '/report') return this.#html(res, this.#o.report());
    if (p === '/') {
      res.writeHead(307, { Location: '/ui/?endpoint=/', 'Content-Type': 'text/html; charset=utf-8' }).end('<a href="/ui/?endpoint=/">Temporary Redirect</a>.\n\n');
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' }).end('404 page not found\n');
  }

  #html(res: http.ServerResponse, html: string): void {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(html);
  }

  #events(req: http.IncomingMessage, res: http.ServerResponse): void {
    const last = req.headers['last-event-id'];
    let from = 0;
    if (typeof last === 'string' && last !== '') {
      from = /^[+-]?\d+$/.test(last) ? Number(last) : NaN;
      if (Number.isNaN(from)) {
        res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Last-Event-ID must be a number!\n');
        return;
      }
    }
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
      'Access-Control-Allow-Origin': '*',
    });
    res.flushHeaders();
    for (let i = Math.max(0, from); i < this.#log.length; i++) res.write(this.#log[i] as string);
    this.#clients.add(res);
    res.on('close', () => {
      this.#clients.delete(res);
      if (this.#clients.size === 0) this.release();
    });
  }
}
