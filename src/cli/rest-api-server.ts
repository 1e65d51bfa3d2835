// k6's local REST API (internal/api/server.go, api/v1/routes.go) for `stampede run --address`: the
// status of the run (GET, and PATCH to resume a paused run or stop it), its metrics, groups and checks,
// and its setup data (GET, PUT, POST runs setup(); POST /v1/teardown runs teardown()). Loaded only
// when --address is given. Plain node:http, so routing, 404 and 405 answer as Go's ServeMux does.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { RunControlError, type RunControl } from '../engine/index.ts';
import {
  errorDocument, flattenGroups, groupDocument, groupsDocument, metricDocument, metricsDocument, setupDocument, statusDocument,
} from './rest-api-documents.ts';
import { readStatusPatch } from './rest-api-status-patch.ts';
import { processMetricsText, PROMETHEUS_TEXT } from './process-metrics.ts';

export type ApiLog = (level: 'debug' | 'error', msg: string, fields?: Readonly<Record<string, string>>) => void;

export interface RestApiOptions {
  readonly profilingEnabled: boolean;
  readonly log: ApiLog;
}

export interface RestApiServer {
  /** host:port the server listens on (the real port when the address asked for port 0). */
  readonly address: string;
  /** Hands the server the run it serves; until then every /v1 request answers 503. */
  attach(control: RunControl): void;
  close(): Promise<void>;
}

/** net.Listen failed: the message Go's ListenAndServe returns for the same cause. */
export class RestApiListenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RestApiListenError';
  }
}

const TEXT = 'text/plain; charset=utf-8';
const JSON_UTF8 = 'application/json; charset=utf-8';
/** Go sniffs a body written without a Content-Type; JSON text sniffs as plain text. */
const SNIFFED_JSON = TEXT;

interface Reply {
  status: number;
  body: string;
  type?: string;
  headers?: Readonly<Record<string, string>>;
}

const json = (doc: unknown, type = SNIFFED_JSON, status = 200): Reply => ({ status, body: JSON.stringify(doc), type });
const apiError = (status: number, title: string, detail: string, type = SNIFFED_JSON): Reply => json(errorDocument(status, title, detail), type, status);
const notAllowed = (): Reply => ({ status: 405, body: '' });
const notFound = (): Reply => ({ status: 404, body: '404 page not found\n', type: TEXT, headers: { 'X-Content-Type-Options': 'nosniff' } });

function splitAddress(address: string): { host: string; port: number } {
  const colon = address.lastIndexOf(':');
  if (colon < 0) throw new RestApiListenError(`listen tcp: address ${address}: missing port in address`);
  let host = address.slice(0, colon);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  const portText = address.slice(colon + 1);
  const port = portText === '' ? 0 : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RestApiListenError(`listen tcp: lookup tcp/${portText}: unknown port`);
  return { host, port };
}

function listenError(address: string, err: NodeJS.ErrnoException): RestApiListenError {
  const cause: Record<string, string> = {
    EADDRINUSE: 'bind: address already in use',
    EACCES: 'bind: permission denied',
    EADDRNOTAVAIL: 'bind: cannot assign requested address',
  };
  const known = err.code === undefined ? undefined : cause[err.code];
  if (known !== undefined) return new RestApiListenError(`listen tcp ${address}: ${known}`);
  if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') {
    return new RestApiListenError(`listen tcp: lookup ${splitAddress(address).host}: no such host`);
  }
  return new RestApiListenError(`listen tcp ${address}: ${err.message}`);
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function pathOf(url: string | undefined): string {
  const raw = (url ?? '/').split('?', 1)[0] ?? '/';
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

function patchStatus(control: RunControl, body: string): Reply {
  const parsed = readStatusPatch(body);
  if (typeof parsed === 'string') return apiError(400, 'Invalid data', parsed, JSON_UTF8);
  if (parsed.stopped) {
    control.stop();
  } else {
    if (parsed.paused !== undefined) {
      try {
        control.setPaused(parsed.paused);
      } catch (e) {
        if (!(e instanceof RunControlError)) throw e;
        return apiError(500, 'Pause error', e.message, JSON_UTF8);
      }
    }
    if (parsed.vus !== undefined || parsed.vusMax !== undefined) {
      return apiError(500, 'Execution config error', 'live VU configuration updates are not supported', JSON_UTF8);
    }
  }
  return json(statusDocument(control.snapshot()), JSON_UTF8);
}

async function v1(control: RunControl, method: string, path: string, req: http.IncomingMessage, log: ApiLog): Promise<Reply> {
  switch (path) {
    case '/v1/status':
      if (method === 'GET') return json(statusDocument(control.snapshot()), JSON_UTF8);
      if (method === 'PATCH') return patchStatus(control, await readBody(req));
      return notAllowed();
    case '/v1/metrics':
      return method === 'GET' ? json(metricsDocument(control.metrics())) : notAllowed();
    case '/v1/groups':
      return method === 'GET' ? json(groupsDocument(control.rootGroup())) : notAllowed();
    case '/v1/setup':
      return setupRoute(control, method, req, log);
    case '/v1/teardown': {
      if (method !== 'POST') return notAllowed();
      try {
        await control.runTeardown();
      } catch (e) {
        if (!(e instanceof RunControlError)) throw e;
        log('error', 'Error executing teardown', { error: e.message });
        return apiError(500, 'Error executing teardown', e.message);
      }
      return { status: 200, body: '' };
    }
  }
  if (path.startsWith('/v1/metrics/')) {
    if (method !== 'GET') return notAllowed();
    const id = path.slice('/v1/metrics/'.length);
    const metric = control.metrics().find((m) => m.name === id);
    return metric === undefined ? apiError(404, 'Not Found', 'No metric with that ID was found') : json(metricDocument(metric));
  }
  if (path.startsWith('/v1/groups/')) {
    if (method !== 'GET') return notAllowed();
    const id = path.slice('/v1/groups/'.length);
    const group = flattenGroups(control.rootGroup()).find((g) => g.group.id === id);
    return group === undefined ? apiError(404, 'Not Found', 'No group with that ID was found') : json(groupDocument(group));
  }
  return notFound();
}

async function setupRoute(control: RunControl, method: string, req: http.IncomingMessage, log: ApiLog): Promise<Reply> {
  const data = (): Reply => ({ status: 200, body: setupDocument(control.setupData()), type: 'application/json' });
  switch (method) {
    case 'GET':
      return data();
    case 'PUT': {
      const body = await readBody(req);
      if (body.length > 0) {
        try {
          JSON.parse(body);
        } catch (e) {
          return apiError(400, 'Error parsing request body', (e as Error).message);
        }
      }
      control.setSetupData(body.length === 0 ? undefined : body);
      return data();
    }
    case 'POST':
      try {
        await control.runSetup();
      } catch (e) {
        if (!(e instanceof RunControlError)) throw e;
        log('error', 'Error executing setup', { error: e.message });
        return apiError(500, 'Error executing setup', e.message);
      }
      return data();
    default:
      return notAllowed();
  }
}

function other(path: string, profilingEnabled: boolean): Reply {
  if (path.startsWith('/debug/pprof/')) {
    return profilingEnabled
      ? { status: 501, body: 'Stampede has no Go pprof endpoints: profile the Node.js process with --cpu-prof or --inspect', type: TEXT }
      : { status: 200, body: 'To enable profiling, please run k6 with the --profiling-enabled flag', type: TEXT };
  }
  // promhttp.Handler(): Prometheus' process families for this process (process-metrics.ts).
  if (path === '/metrics') return { status: 200, body: processMetricsText(), type: PROMETHEUS_TEXT };
  // Everything else is k6's ping handler.
  return { status: 200, body: 'ok', type: TEXT };
}

export async function startRestApi(address: string, options: RestApiOptions): Promise<RestApiServer> {
  const { host, port } = splitAddress(address);
  let control: RunControl | undefined;
  const server = http.createServer((req, res) => {
    const method = req.method ?? 'GET';
    const path = pathOf(req.url);
    const handle = async (): Promise<Reply> => {
      if (path === '/v1') return { status: 301, body: '', headers: { Location: '/v1/' } };
      if (!path.startsWith('/v1/')) return other(path, options.profilingEnabled);
      if (control === undefined) return apiError(503, 'Not ready', 'the test run has not started yet');
      return v1(control, method, path, req, options.log);
    };
    handle()
      .catch((e: unknown) => apiError(500, 'Internal error', e instanceof Error ? e.message : String(e)))
      .then((reply) => {
        options.log('debug', `${method} ${path}`, { status: String(reply.status) });
        res.writeHead(reply.status, { ...(reply.type === undefined ? {} : { 'Content-Type': reply.type }), ...reply.headers });
        res.end(reply.body);
      })
      .catch(() => res.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(listenError(address, e)));
    server.listen({ port, ...(host === '' ? {} : { host }) }, resolve);
  });
  const bound = server.address() as AddressInfo;
  const shownHost = host === '' ? '' : bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
  return {
    address: `${shownHost}:${bound.port}`,
    attach(c) {
      control = c;
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
