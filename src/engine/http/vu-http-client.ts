import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import * as zlib from 'node:zlib';
import type { VuHost } from '../vu/vu-host.ts';
import { CookieJar } from './cookie-jar.ts';
import { ERROR_CODE, K6HttpError, classifyHttpError, type HttpFailure } from './error-codes.ts';
import { Exchange, type HopTimings } from './exchange.ts';
import type { ExpectedStatuses } from './expected-statuses.ts';
import { logRequestDump, logResponseDump, type HttpDebugMode } from './http-debug.ts';
import { TemplatedUrl, cleanUrl } from './http-url.ts';
import { encodeBody } from './request-body.ts';
import { parseParams, type RequestParams, type ResponseType } from './request-params.ts';
import {
  Response,
  canonicalHeaderKey,
  parseResponseCookies,
  type RequestCookie,
  type ResponseRequest,
} from './response.ts';
import type { VuConnections } from './vu-connections.ts';

// The request path of one VU: headers, cookies, redirects (each hop measured and emitted as its own
// request, like k6's transport), error mapping, and the Response. Settings read from options are
// fixed when the VU's module is created.

export const DEFAULT_USER_AGENT = 'Grafana k6/2.2.0';
const DEFAULT_MAX_REDIRECTS = 10;

/** System tags k6 emits by default (metrics/system_tag.go). */
export const DEFAULT_SYSTEM_TAGS: ReadonlySet<string> = new Set([
  'proto', 'subproto', 'status', 'method', 'url', 'name', 'group', 'check', 'error', 'error_code',
  'tls_version', 'scenario', 'service', 'expected_response',
]);

export interface HttpClientSettings {
  readonly userAgent: string;
  readonly maxRedirects: number;
  readonly discardResponseBodies: boolean;
  readonly throwErrors: boolean;
  readonly noConnectionReuse: boolean;
  readonly httpDebug: HttpDebugMode;
  readonly systemTags: ReadonlySet<string>;
}

export function settingsFromOptions(options: VuHost['options'], httpDebug: HttpDebugMode): HttpClientSettings {
  return {
    userAgent: typeof options.userAgent === 'string' ? options.userAgent : DEFAULT_USER_AGENT,
    maxRedirects: typeof options.maxRedirects === 'number' ? options.maxRedirects : DEFAULT_MAX_REDIRECTS,
    discardResponseBodies: options.discardResponseBodies === true,
    throwErrors: options.throw === true,
    noConnectionReuse: options.noConnectionReuse === true,
    httpDebug,
    systemTags: Array.isArray(options.systemTags) ? new Set(options.systemTags) : DEFAULT_SYSTEM_TAGS,
  };
}

/** Raised to the script when a request fails and `throw` is on. */
export class HttpRequestError extends Error {
  readonly code: number;
  constructor(failure: HttpFailure, method: string, url: string) {
    super(`${goMethod(method)} "${url}": ${failure.message}`);
    this.name = 'HttpRequestError';
    this.code = failure.code;
  }
}

/** Go prints the method of a failed request as "Get", "Post", … */
function goMethod(method: string): string {
  return method.charAt(0) + method.slice(1).toLowerCase();
}

const EMPTY_TIMINGS: HopTimings = Object.freeze({
  blocked: 0, looking_up: 0, connecting: 0, tls_handshaking: 0, sending: 0, waiting: 0, receiving: 0, duration: 0,
});

interface HopOutcome {
  readonly ex: Exchange;
  readonly headers: Record<string, string>;
  readonly setCookies: string[];
}

export class VuHttpClient {
  private readonly host: VuHost;
  private readonly connections: VuConnections;
  readonly settings: HttpClientSettings;
  /** The VU's jar; replaced at every iteration start unless noCookiesReset. */
  jar = new CookieJar();
  responseCallback: ExpectedStatuses | null;
  private readonly inFlight = new Set<Exchange>();
  private readonly defaultHeaders: readonly string[];

  constructor(host: VuHost, connections: VuConnections, settings: HttpClientSettings, callback: ExpectedStatuses) {
    this.host = host;
    this.connections = connections;
    this.settings = settings;
    this.responseCallback = callback;
    this.defaultHeaders = settings.userAgent === '' ? [] : ['User-Agent', settings.userAgent];
    host.signal.addEventListener('abort', () => this.cancelAll(), { once: false });
  }

  private cancelAll(): void {
    for (const ex of this.inFlight) ex.cancel(new K6HttpError(ERROR_CODE.generic, 'context canceled'));
  }

  /** Performs one k6 request; rejects only for script errors, or failures when `throw` is on. */
  async request(methodArg: unknown, urlArg: unknown, body: unknown, rawParams: unknown): Promise<Response> {
    if (this.host.state.phase === 'init') {
      throw new Error('Making http requests in the init context is not supported');
    }
    const method = String(methodArg).toUpperCase();
    const params = parseParams(rawParams);
    let nameTag: string | undefined = params.tags?.name;
    let urlText: string;
    if (urlArg instanceof TemplatedUrl) {
      urlText = urlArg.url;
      nameTag ??= urlArg.name;
    } else {
      urlText = String(urlArg);
    }
    const throwErrors = params.throw ?? this.settings.throwErrors;
    let url: URL;
    try {
      url = new URL(urlText);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new Error(`unsupported protocol scheme "${url.protocol.slice(0, -1)}"`);
      }
    } catch (err) {
      const failure = { code: ERROR_CODE.invalidUrl, message: `invalid URL "${urlText}": ${(err as Error).message}` };
      return this.failEarly(failure, method, urlText, throwErrors);
    }
    const encoded = encodeBody(body);
    const responseType: ResponseType =
      params.responseType ?? (this.settings.discardResponseBodies ? 'none' : 'text');
    const callback = params.responseCallback !== undefined ? params.responseCallback : this.responseCallback;
    const jar = params.jar ?? this.jar;
    const maxRedirects = params.redirects ?? this.settings.maxRedirects;
    const deadline = params.timeoutMs > 0 ? performance.now() + params.timeoutMs : Infinity;

    let hopMethod = method;
    let hopBody = encoded.body;
    let hopUrl = url;
    let hopUrlText = urlText;
    let contentType = encoded.contentType;
    let redirectsDone = 0;
    const firstHost = url.host;
    for (;;) {
      const headers = this.buildHeaders(params, hopUrl, jar, contentType, hopUrl.host === firstHost, redirectsDone === 0);
      const remaining = deadline - performance.now();
      const outcome = await this.roundTrip(hopMethod, hopUrl, headers, hopBody, responseType !== 'none', remaining);
      const ex = outcome.ex;
      const tagUrl = redirectsDone === 0 ? cleanUrl(hopUrlText, hopUrl) : cleanUrl(hopUrl.href, hopUrl);
      if (ex.error !== undefined) {
        const failure = classifyHttpError(ex.error, hopMethod === 'GET' ? 'read' : 'write');
        this.emit(hopMethod, tagUrl, nameTag, params.tags, ex, failure, callback);
        const res = this.buildResponse(ex, outcome, hopMethod, hopUrl, headers, hopBody, params, responseType, failure);
        return this.failed(res, failure, hopMethod, hopUrl.href, throwErrors);
      }
      if (outcome.setCookies.length > 0) jar.storeSetCookies(hopUrl.href, outcome.setCookies);
      const location = outcome.headers.Location;
      const isRedirect = ex.status >= 300 && ex.status < 400 && ex.status !== 304 && location !== undefined;
      if (isRedirect && redirectsDone >= maxRedirects) {
        this.emit(hopMethod, tagUrl, nameTag, params.tags, ex, undefined, callback);
        if (params.redirects === undefined && maxRedirects > 0) {
          this.host.log.warn(
            `Stopped after ${redirectsDone} redirects and returned the redirection; pass { redirects: n } in request params or set global maxRedirects to silence this (url=${urlText})`,
          );
        }
      } else if (isRedirect) {
        let next: URL;
        try {
          next = new URL(location, hopUrl);
        } catch {
          next = hopUrl;
        }
        if (next !== hopUrl) {
          this.emit(hopMethod, tagUrl, nameTag, params.tags, ex, undefined, callback);
          if (ex.status === 301 || ex.status === 302 || ex.status === 303) {
            if (hopMethod !== 'HEAD') hopMethod = 'GET';
            hopBody = null;
            contentType = undefined;
          }
          hopUrl = next;
          hopUrlText = next.href;
          redirectsDone++;
          continue;
        }
        this.emit(hopMethod, tagUrl, nameTag, params.tags, ex, undefined, callback);
      } else {
        this.emit(hopMethod, tagUrl, nameTag, params.tags, ex, undefined, callback);
      }
      const res = this.buildResponse(ex, outcome, hopMethod, hopUrl, headers, hopBody, params, responseType, undefined);
      if (res.error_code === ERROR_CODE.decompression) {
        return this.failed(res, { code: res.error_code, message: res.error }, hopMethod, hopUrl.href, throwErrors);
      }
      return res;
    }
  }

  private buildHeaders(
    params: RequestParams,
    url: URL,
    jar: CookieJar,
    contentType: string | undefined,
    sameHost: boolean,
    firstHop: boolean,
  ): string[] {
    const user = params.headers;
    if (user.length === 0 && !jar.used && params.cookies === undefined && contentType === undefined && url.username === '') {
      return this.defaultHeaders as string[];
    }
    const out: string[] = [];
    let hasUa = false;
    let hasCt = false;
    let hasAuth = false;
    let userCookie = '';
    for (const [name, value] of user) {
      const lower = name.toLowerCase();
      if (lower === 'content-length') continue; // computed from the body, as k6 does
      if (lower === 'host' && !firstHop) continue;
      if (!sameHost && (lower === 'authorization' || lower === 'www-authenticate')) continue;
      if (lower === 'cookie') {
        if (sameHost) userCookie = value;
        continue;
      }
      if (lower === 'user-agent') hasUa = true;
      else if (lower === 'content-type') hasCt = true;
      else if (lower === 'authorization') hasAuth = true;
      out.push(name, value);
    }
    if (!hasUa && this.settings.userAgent !== '') out.push('User-Agent', this.settings.userAgent);
    if (!hasCt && contentType !== undefined) out.push('Content-Type', contentType);
    if (!hasAuth && (url.username !== '' || url.password !== '')) {
      const cred = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
      out.push('Authorization', `Basic ${Buffer.from(cred).toString('base64')}`);
    }
    const cookie = this.cookieHeader(params, url, jar, sameHost, userCookie);
    if (cookie !== '') out.push('Cookie', cookie);
    return out;
  }

  private cookieHeader(params: RequestParams, url: URL, jar: CookieJar, sameHost: boolean, userCookie: string): string {
    const pc = sameHost ? params.cookies : undefined;
    const parts: string[] = [];
    if (userCookie !== '') parts.push(userCookie);
    if (jar.used) {
      for (const c of jar.cookiesFor(url.href)) {
        if (pc?.[c.key]?.replace === true) continue;
        parts.push(`${c.key}=${c.value}`);
      }
    }
    if (pc !== undefined) for (const [k, v] of Object.entries(pc)) parts.push(`${k}=${v.value}`);
    return parts.join('; ');
  }

  private async roundTrip(
    method: string,
    url: URL,
    headers: string[],
    body: string | Uint8Array | null,
    keepBody: boolean,
    timeoutMs: number,
  ): Promise<HopOutcome> {
    const slot = this.connections.acquire(url, url.origin);
    const ex = new Exchange(slot, keepBody);
    const debug = this.settings.httpDebug;
    if (debug !== '') logRequestDump(this.host.log, debug, method, url, headers, body);
    if (timeoutMs <= 0) {
      ex.error = new K6HttpError(ERROR_CODE.requestTimeout, 'request timeout');
      return { ex, headers: {}, setCookies: [] };
    }
    this.inFlight.add(ex);
    await ex.run(
      { method, path: url.pathname + url.search, headers: headers as unknown as Record<string, string>, body, reset: this.settings.noConnectionReuse, keepBody },
      timeoutMs,
    );
    this.inFlight.delete(ex);
    const responseHeaders: Record<string, string> = {};
    const setCookies: string[] = [];
    const raw = ex.rawHeaders;
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const key = canonicalHeaderKey((raw[i] as Buffer).toString('latin1'));
      const value = (raw[i + 1] as Buffer).toString('latin1');
      if (key === 'Set-Cookie') setCookies.push(value);
      const prev = responseHeaders[key];
      responseHeaders[key] = prev === undefined ? value : `${prev}, ${value}`;
    }
    return { ex, headers: responseHeaders, setCookies };
  }

  private emit(
    method: string,
    url: string,
    nameTag: string | undefined,
    userTags: Readonly<Record<string, string>> | undefined,
    ex: Exchange,
    failure: HttpFailure | undefined,
    callback: ExpectedStatuses | null,
  ): void {
    if (this.host.signal.aborted) return;
    const on = this.settings.systemTags;
    const tags: Record<string, string> = { ...this.host.state.tags, ...userTags };
    if (on.has('method')) tags.method = method;
    if (nameTag === undefined) {
      if (on.has('name')) tags.name = url;
      if (on.has('url')) tags.url = url;
    } else {
      if (on.has('name')) tags.name = nameTag;
      if (on.has('url')) tags.url = nameTag;
    }
    const status = failure === undefined ? ex.status : 0;
    if (on.has('status')) tags.status = String(status);
    if (failure !== undefined) {
      if (on.has('error')) tags.error = failure.message;
      if (on.has('error_code')) tags.error_code = String(failure.code);
    } else {
      if (status >= 400 && on.has('error_code')) tags.error_code = String(1000 + status);
      if (on.has('proto')) tags.proto = 'HTTP/1.1';
      if (ex.tlsVersion !== undefined && on.has('tls_version')) tags.tls_version = ex.tlsVersion;
    }
    if (on.has('ip') && ex.remoteIp !== '') tags.ip = ex.remoteIp;
    const t = ex.timings;
    const samples: [string, number][] = [
      ['http_reqs', 1],
      ['http_req_duration', t.duration],
      ['http_req_blocked', t.blocked],
      ['http_req_connecting', t.connecting],
      ['http_req_tls_handshaking', t.tls_handshaking],
      ['http_req_sending', t.sending],
      ['http_req_waiting', t.waiting],
      ['http_req_receiving', t.receiving],
    ];
    if (callback !== null) {
      const expected = callback.matches(status);
      if (on.has('expected_response')) tags.expected_response = expected ? 'true' : 'false';
      samples.push(['http_req_failed', expected ? 0 : 1]);
    }
    this.host.samples.addMany(tags, samples);
  }

  private buildResponse(
    ex: Exchange,
    outcome: HopOutcome,
    method: string,
    url: URL,
    headers: readonly string[],
    body: string | Uint8Array | null,
    params: RequestParams,
    responseType: ResponseType,
    failure: HttpFailure | undefined,
  ): Response {
    let error = failure?.message ?? '';
    let errorCode = failure?.code ?? (ex.status >= 400 ? 1000 + ex.status : 0);
    let resBody: string | ArrayBuffer | null = null;
    if (failure === undefined && responseType !== 'none') {
      try {
        const bytes = decode(ex, outcome.headers['Content-Encoding']);
        resBody = responseType === 'binary' ? toArrayBuffer(bytes) : bytes.toString('utf8');
      } catch (err) {
        error = `error decompressing response body: ${(err as Error).message}`;
        errorCode = ERROR_CODE.decompression;
      }
    }
    const res = new Response({
      status: failure === undefined ? ex.status : 0,
      status_text: failure === undefined ? `${ex.status} ${ex.statusText}` : '',
      body: resBody,
      headers: outcome.headers,
      cookies: outcome.setCookies.length > 0 ? parseResponseCookies(outcome.setCookies) : {},
      timings: ex.timings,
      url: url.href,
      remote_ip: ex.remoteIp,
      remote_port: ex.remotePort,
      proto: failure === undefined ? 'HTTP/1.1' : '',
      tls_version: ex.tlsVersion ?? '',
      error,
      error_code: errorCode,
      request: requestRecord(method, url, headers, body, params),
    });
    const debug = this.settings.httpDebug;
    if (debug !== '' && failure === undefined) {
      logResponseDump(this.host.log, debug, ex.status, ex.statusText, outcome.headers, resBody);
    }
    return res;
  }

  private failEarly(failure: HttpFailure, method: string, url: string, throwErrors: boolean): Response {
    const res = new Response({
      status: 0, status_text: '', body: null, headers: {}, cookies: {}, timings: { ...EMPTY_TIMINGS },
      url, remote_ip: '', remote_port: 0, proto: '', tls_version: '', error: failure.message,
      error_code: failure.code,
      request: { method, url, headers: {}, body: '', cookies: {} },
    });
    return this.failed(res, failure, method, url, throwErrors);
  }

  private failed(res: Response, failure: HttpFailure, method: string, url: string, throwErrors: boolean): Response {
    const err = new HttpRequestError(failure, method, url);
    if (throwErrors) throw err;
    this.host.log.warn(`Request Failed error="${err.message.replace(/"/g, '\\"')}"`);
    return res;
  }
}

function decode(ex: Exchange, encoding: string | undefined): Buffer {
  const raw = ex.chunks.length === 1 ? (ex.chunks[0] as Buffer) : Buffer.concat(ex.chunks, ex.bodyLength);
  if (encoding === undefined || raw.length === 0) return raw;
  let out = raw;
  // Encodings are listed in the order they were applied, so undo them from the last one.
  const steps = encoding.split(',').map((s) => s.trim().toLowerCase()).reverse();
  for (const step of steps) {
    if (step === 'gzip' || step === 'x-gzip') out = gunzipSync(out);
    else if (step === 'deflate') {
      try {
        out = inflateSync(out);
      } catch {
        out = inflateRawSync(out);
      }
    } else if (step === 'br') out = brotliDecompressSync(out);
    else if (step === 'zstd') {
      const zstd = (zlib as unknown as { zstdDecompressSync?: (b: Buffer) => Buffer }).zstdDecompressSync;
      if (!zstd) throw new Error('zstd is not supported by this Node.js version');
      out = zstd(out);
    } else if (step !== 'identity' && step !== '') throw new Error(`unsupported content encoding "${step}"`);
  }
  return out;
}

function toArrayBuffer(b: Buffer): ArrayBuffer {
  const ab = new ArrayBuffer(b.length);
  new Uint8Array(ab).set(b);
  return ab;
}

function requestRecord(
  method: string,
  url: URL,
  headers: readonly string[],
  body: string | Uint8Array | null,
  params: RequestParams,
): ResponseRequest {
  const h: Record<string, string[]> = {};
  for (let i = 0; i + 1 < headers.length; i += 2) {
    (h[canonicalHeaderKey(headers[i] as string)] ??= []).push(headers[i + 1] as string);
  }
  const cookies: Record<string, RequestCookie[]> = {};
  if (params.cookies !== undefined) {
    for (const [name, c] of Object.entries(params.cookies)) {
      (cookies[name] ??= []).push({ name, value: c.value, replace: c.replace });
    }
  }
  const bodyText = body === null ? '' : typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
  return { method, url: url.href, headers: h, body: bodyText, cookies };
}
