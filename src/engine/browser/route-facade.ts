// k6's Route (browser/route_mapping.go, common/http.go Route): what a page.route handler gets for a
// request it intercepted. Each of abort, continue and fulfill handles it once (`route is already
// handled` after); options are read as k6 reads them (unknown fulfill options are refused).
import type * as Pw from 'playwright-core';
import type { Facades } from './facades.ts';
import { bodyBytes } from './browser-options.ts';

/** The error codes k6 accepts for abort (its NetworkManager's errorReasons). */
const ABORT_CODES = new Set([
  'aborted', 'accessdenied', 'addressunreachable', 'blockedbyclient', 'blockedbyresponse', 'connectionaborted',
  'connectionclosed', 'connectionfailed', 'connectionrefused', 'connectionreset', 'internetdisconnected',
  'namenotresolved', 'timedout', 'failed',
]);

type Opts = Record<string, unknown>;

function keys(opts: unknown): [string, unknown][] {
  if (opts === undefined || opts === null || typeof opts !== 'object') return [];
  return Object.entries(opts as Opts);
}

/** k6's parseHeaders: every key with a value that is not null or undefined, as a string. */
function headers(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, x] of keys(v)) if (x !== undefined && x !== null) out[k] = String(x);
  return out;
}

export class RouteFacade {
  readonly #f: Facades;
  readonly #route: Pw.Route;
  #handled = false;

  constructor(f: Facades, route: Pw.Route) {
    this.#f = f;
    this.#route = route;
  }

  /** k6 reads the options first (a bad one leaves the route unhandled), then handles the route once. */
  #handle(work: () => Promise<void>, optionsError?: unknown): Promise<unknown> {
    return this.#f.calls.promise(async () => {
      if (optionsError !== undefined) throw optionsError;
      if (this.#handled) throw new Error('route is already handled');
      this.#handled = true;
      await work();
    });
  }

  abort(reason?: unknown): Promise<unknown> {
    const code = reason === undefined || reason === null || reason === '' ? 'failed' : String(reason);
    return this.#handle(async () => {
      if (!ABORT_CODES.has(code)) throw new Error(`unknown error code: ${code}`);
      await this.#route.abort(code);
    });
  }

  continue(opts?: unknown): Promise<unknown> {
    const o: Parameters<Pw.Route['continue']>[0] = {};
    let err: unknown;
    try {
      for (const [k, v] of keys(opts)) {
        if (k === 'headers') o.headers = headers(v);
        else if (k === 'method') o.method = String(v);
        else if (k === 'url') o.url = String(v);
        else if (k === 'postData') o.postData = bodyBytes(v, '');
      }
    } catch (e) {
      err = e;
    }
    return this.#handle(async () => {
      // k6 sends an empty method or URL as not given.
      if (o.method === '') delete o.method;
      if (o.url === '') delete o.url;
      if (o.postData !== undefined && o.postData.length === 0) delete o.postData;
      await this.#route.continue(o);
    }, err);
  }

  fulfill(opts?: unknown): Promise<unknown> {
    const o: { status?: number; headers?: Record<string, string>; body?: Buffer; contentType?: string } = {};
    let err: unknown;
    try {
      for (const [k, v] of keys(opts)) {
        if (k === 'body') o.body = bodyBytes(v, '');
        else if (k === 'contentType') o.contentType = String(v);
        else if (k === 'headers') o.headers = headers(v);
        else if (k === 'status') o.status = Math.trunc(Number(v)) || 0;
        else throw new Error(`unsupported fulfill option: '${k}'`);
      }
    } catch (e) {
      err = e;
    }
    return this.#handle(async () => {
      const h = { ...(o.headers ?? {}) };
      if (o.contentType !== undefined && o.contentType !== '') h['Content-Type'] = o.contentType;
      await this.#route.fulfill({ status: o.status === undefined || o.status === 0 ? 200 : o.status, headers: h, body: o.body ?? '' });
    }, err);
  }

  request(): unknown {
    return this.#f.request(this.#route.request());
  }
}
