import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import * as zlib from 'node:zlib';
import type { VuHost } from '../vu/vu-host.ts';
import { CookieJar } from './cookie-jar.ts';
import { ERROR_CODE, K6HttpError, classifyHttpError, type HttpFailure } from './error-codes.ts';
import { Exchange, type HopTimings } from './exchange.ts';
import type { ExpectedStatuses } from './expected-statuses.ts';
import { logRequestDump, logResponseDump, type HttpDebugMode } from './http-debug.ts';
import { TemplatedUrl, cleanUrl } from './http-url.ts';
import { digestAuthorization, parseDigestChallenge } from './digest-auth.ts';
import { bodyByteLength, compressBody, encodeBody } from './request-body.ts';
import { parseParams, type RequestParams, type ResponseType } from './request-params.ts';
import {
  Response,
  canonicalHeaderKey,
  parseResponseCookies,
  type RequestCookie,
  type ResponseRequest,
} from './response.ts';
import type { VuConnections } from './vu-connections.ts';
import { RequestTagCache } from './request-tags.ts';

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

function httpSamples(withFailed: boolean): [string, number][] {
  const s: [string, number][] = [
    ['http_reqs', 1],
    ['http_req_duration', 0],
    ['http_req_blocked', 0],
    ['http_req_connecting', 0],
    ['http_req_tls_handshaking', 0],
    ['http_req_sending', 0],
    ['http_req_waiting', 0],
    ['http_req_receiving', 0],
  ];
  if (withFailed) s.push(['http_req_failed', 0]);
  return s;
}

/** A parsed request URL with what each round trip needs from it, cached per VU by URL text. */
interface ParsedTarget {
  readonly url: URL;
  readonly origin: string;
  readonly path: string;
  /** The URL as the url/name tags show it. */
  readonly tagUrl: string;
}

const MAX_TARGETS = 256;

function parseTarget(text: string): ParsedTarget {
  const url = new URL(text);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`unsupported protocol scheme "${url.protocol.slice(0, -1)}"`);
  }
  return { url, origin: url.origin, path: url.pathname + url.search, tagUrl: cleanUrl(text, url) };
}

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
  private readonly tagCache: RequestTagCache;
  /** `request.headers` of a Response when only the default headers were sent; shared, so frozen. */
  private readonly defaultRecordHeaders: Readonly<Record<string, string[]>>;
  private readonly samplesNoFailed: [string, number][] = httpSamples(false);
  private readonly samplesWithFailed: [string, number][] = httpSamples(true);
  private readonly targets = new Map<string, ParsedTarget>();

  constructor(host: VuHost, connections: VuConnections, settings: HttpClientSettings, callback: ExpectedStatuses) {
    this.host = host;
    this.connections = connections;
    this.settings = settings;
    this.responseCallback = callback;
    this.defaultHeaders = settings.userAgent === '' ? [] : ['User-Agent', settings.userAgent];
    this.tagCache = new RequestTagCache(settings.systemTags);
    this.defaultRecordHeaders = Object.freeze(recordHeaders(this.defaultHeaders));
    this.cancelAll = () => {
      for (const ex of this.inFlight) ex.cancel(new K6HttpError(ERROR_CODE.generic, 'context canceled'));
    };
  }

  private readonly cancelAll: () => void;
  private watchedSignal: AbortSignal | undefined = undefined;

  /** The host hands out a new signal per VU call; listen once per signal, not once per request. */
  private watchSignal(): AbortSignal {
    const signal = this.host.signal;
    if (signal !== this.watchedSignal) {
      this.watchedSignal = signal;
      signal.addEventListener('abort', this.cancelAll, { once: true });
    }
    return signal;
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
    let first: ParsedTarget;
    try {
      first = this.target(urlText);
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

    let firstBody = encoded.body;
    let contentEncoding: string | undefined;
    if (params.compression !== undefined && firstBody !== null) {
      const compressed = compressBody(firstBody, params.compression);
      firstBody = compressed.body;
      contentEncoding = compressed.encoding;
    }
    this.checkContentLength(params, firstBody);
    let hopMethod = method;
    let hopBody = firstBody;
    let hop = first;
    let contentType = encoded.contentType;
    let redirectsDone = 0;
    let digestAnswer: string | undefined;
    for (;;) {
      const hopUrl = hop.url;
      const headers = this.buildHeaders(params, hopUrl, jar, contentType, hopUrl.host === first.url.host, redirectsDone === 0);
      if (digestAnswer !== undefined) headers.push('Authorization', digestAnswer);
      if (contentEncoding !== undefined && hopBody !== null) headers.push('Content-Encoding', contentEncoding);
      const remaining = deadline - performance.now();
      const outcome = await this.roundTrip(hopMethod, hop, headers, hopBody, responseType !== 'none', remaining);
      const ex = outcome.ex;
      const tagUrl = hop.tagUrl;
      if (ex.error !== undefined) {
        const failure = classifyHttpError(ex.error, hopMethod === 'GET' ? 'read' : 'write');
        this.emit(hopMethod, tagUrl, nameTag, params.tags, ex, failure, callback);
        const res = this.buildResponse(ex, outcome, hopMethod, hopUrl, headers, hopBody, params, responseType, failure);
        return this.failed(res, failure, hopMethod, hopUrl.href, throwErrors);
      }
      if (outcome.setCookies.length > 0) jar.storeSetCookies(hopUrl.href, outcome.setCookies);
      if (ex.status === 401 && params.auth === 'digest' && digestAnswer === undefined) {
        const challenge = parseDigestChallenge(outcome.headers['Www-Authenticate']);
        if (challenge !== undefined) {
          this.emit(hopMethod, tagUrl, nameTag, params.tags, ex, undefined, callback);
          digestAnswer = digestAuthorization(
            challenge, decodeURIComponent(hopUrl.username), decodeURIComponent(hopUrl.password), hopMethod, hop.path,
          );
          continue;
        }
      }
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
        let next: ParsedTarget | undefined;
        try {
          next = parseTarget(new URL(location, hopUrl).href);
        } catch {
          next = undefined;
        }
        if (next !== undefined) {
          this.emit(hopMethod, tagUrl, nameTag, params.tags, ex, undefined, callback);
          if (ex.status === 301 || ex.status === 302 || ex.status === 303) {
            if (hopMethod !== 'HEAD') hopMethod = 'GET';
            hopBody = null;
            contentType = undefined;
            contentEncoding = undefined;
          }
          hop = next;
          redirectsDone++;
          digestAnswer = undefined;
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

  private checkContentLength(params: RequestParams, body: string | Uint8Array | null): void {
    for (const [name, value] of params.headers) {
      if (name.toLowerCase() !== 'content-length') continue;
      const actual = bodyByteLength(body);
      if (Number(value) !== actual) {
        this.host.log.warn(
          `The specified Content-Length header "${value}" in the request doesn't match the actual request body length of ${actual}, so it will be ignored!`,
        );
      }
    }
  }

  private target(urlText: string): ParsedTarget {
    let t = this.targets.get(urlText);
    if (t === undefined) {
      t = parseTarget(urlText);
      if (this.targets.size >= MAX_TARGETS) this.targets.clear();
      this.targets.set(urlText, t);
    }
    return t;
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
    if (
      user.length === 0 && !jar.used && params.cookies === undefined && contentType === undefined &&
      url.username === '' && params.compression === undefined && params.auth === undefined
    ) {
      // Shared and never mutated: every caller that appends headers takes the path below.
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
    if (!hasAuth && params.auth !== 'digest' && (url.username !== '' || url.password !== '')) {
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
    target: ParsedTarget,
    headers: string[],
    body: string | Uint8Array | null,
    keepBody: boolean,
    timeoutMs: number,
  ): Promise<HopOutcome> {
    const url = target.url;
    const slot = this.connections.acquire(url, target.origin);
    const ex = new Exchange(slot, keepBody);
    const debug = this.settings.httpDebug;
    if (debug !== '') logRequestDump(this.host.log, debug, method, url, headers, body);
    if (timeoutMs <= 0) {
      ex.error = new K6HttpError(ERROR_CODE.requestTimeout, 'request timeout');
      return { ex, headers: {}, setCookies: [] };
    }
    if (this.watchSignal().aborted) {
      ex.error = new K6HttpError(ERROR_CODE.generic, 'context canceled');
      return { ex, headers: {}, setCookies: [] };
    }
    this.inFlight.add(ex);
    await ex.run(
      { method, path: target.path, headers: headers as unknown as Record<string, string>, body, reset: this.settings.noConnectionReuse, keepBody },
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
    const status = failure === undefined ? ex.status : 0;
    const expected = callback === null ? undefined : callback.matches(status);
    const tags = this.tagCache.tagsFor(this.host.state.tags, {
      method, url, nameTag, userTags, status, failure, tlsVersion: ex.tlsVersion, expected, ip: ex.remoteIp,
    });
    const t = ex.timings;
    const s = expected === undefined ? this.samplesNoFailed : this.samplesWithFailed;
    // The sink folds samples synchronously and keeps no reference to the array, so it is reused.
    (s[1] as [string, number])[1] = t.duration;
    (s[2] as [string, number])[1] = t.blocked;
    (s[3] as [string, number])[1] = t.connecting;
    (s[4] as [string, number])[1] = t.tls_handshaking;
    (s[5] as [string, number])[1] = t.sending;
    (s[6] as [string, number])[1] = t.waiting;
    (s[7] as [string, number])[1] = t.receiving;
    if (expected !== undefined) (s[8] as [string, number])[1] = expected ? 0 : 1;
    this.host.samples.addMany(tags, s);
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
      request: requestRecord(method, url, headers, body, params, this.defaultHeaders, this.defaultRecordHeaders),
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
    if (this.host.signal.aborted) return res; // the VU is being interrupted: nobody reads this
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

function recordHeaders(headers: readonly string[]): Record<string, string[]> {
  const h: Record<string, string[]> = {};
  for (let i = 0; i + 1 < headers.length; i += 2) {
    (h[canonicalHeaderKey(headers[i] as string)] ??= []).push(headers[i + 1] as string);
  }
  return h;
}

function requestRecord(
  method: string,
  url: URL,
  headers: readonly string[],
  body: string | Uint8Array | null,
  params: RequestParams,
  defaultHeaders: readonly string[],
  defaultRecord: Readonly<Record<string, string[]>>,
): ResponseRequest {
  const h = headers === defaultHeaders ? (defaultRecord as Record<string, string[]>) : recordHeaders(headers);
  if (params.cookies === undefined && body === null) return { method, url: url.href, headers: h, body: '', cookies: {} };
  const cookies: Record<string, RequestCookie[]> = {};
  if (params.cookies !== undefined) {
    for (const [name, c] of Object.entries(params.cookies)) {
      (cookies[name] ??= []).push({ name, value: c.value, replace: c.replace });
    }
  }
  const bodyText = body === null ? '' : typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
  return { method, url: url.href, headers: h, body: bodyText, cookies };
}
