import { STATUS_CODES } from 'node:http';
import type { VuHost } from '../vu/vu-host.ts';
import { DEFAULT_SYSTEM_TAGS, DEFAULT_USER_AGENT } from '../options/k6-options.ts';
import { CookieJar } from './cookie-jar.ts';
import { ERROR_CODE, K6HttpError, classifyHttpError, type HttpFailure } from './error-codes.ts';
import { goUrlParseError } from './go-url-parse.ts';
import { Exchange } from './exchange.ts';
import { ExpectedStatuses } from './expected-statuses.ts';
import { logRequestDump, logResponseDump, type HttpDebugMode } from './http-debug.ts';
import { TemplatedUrl, cleanUrl } from './http-url.ts';
import { digestAuthorization, parseDigestChallenge } from './digest-auth.ts';
import { bodyByteLength, compressBody, encodeBody } from './request-body.ts';
import { parseParams, type RequestParams, type ResponseType } from './request-params.ts';
import { Response, unsentResponse, type ResponseRequester } from './response.ts';
import { headersObject, rawHeaderValue, rawHeaderValues } from './raw-headers.ts';
import { decodeBody } from './response-body.ts';
import { HOST_BUFFERS, type BufferRealm } from '../modules/binary-input.ts';
import { recordHeaders, requestRecord } from './request-record.ts';
import type { VuConnections } from './vu-connections.ts';
import { RequestTagCache } from './request-tags.ts';
import { buildRequestHeaders, type HeaderDefaults } from './request-headers.ts';
import { markBlocking } from '../vu/blocking.ts';
import type { RequestRateLimit } from './request-rate-limit.ts';

// The request path of one VU: headers, cookies, redirects (each hop measured and emitted as its own
// request, like k6's transport), error mapping, and the Response. Settings read from options are
// fixed when the VU's module is created.

// Options normally arrive consolidated; these fallbacks only serve hosts that pass raw options.
const DEFAULT_MAX_REDIRECTS = 10;
const DEFAULT_SYSTEM_TAG_SET: ReadonlySet<string> = new Set(DEFAULT_SYSTEM_TAGS);

export interface HttpClientSettings {
  readonly userAgent: string;
  readonly maxRedirects: number;
  readonly discardResponseBodies: boolean;
  readonly throwErrors: boolean;
  readonly noConnectionReuse: boolean;
  readonly httpDebug: HttpDebugMode;
  readonly systemTags: ReadonlySet<string>;
  /** The instance's `rps` limit, waited on before each request; undefined when rps is off. */
  readonly rateLimit?: RequestRateLimit | undefined;
}

/**
 * One literal with every field, in one order: the client reads these on every request, and objects of
 * different shapes per VU (a spread) made those reads megamorphic.
 */
export function settingsFromOptions(
  options: VuHost['options'],
  httpDebug: HttpDebugMode,
  rateLimit: RequestRateLimit | undefined,
): HttpClientSettings {
  return {
    userAgent: typeof options.userAgent === 'string' ? options.userAgent : DEFAULT_USER_AGENT,
    maxRedirects: typeof options.maxRedirects === 'number' ? options.maxRedirects : DEFAULT_MAX_REDIRECTS,
    discardResponseBodies: options.discardResponseBodies === true,
    throwErrors: options.throw === true,
    noConnectionReuse: options.noConnectionReuse === true,
    httpDebug,
    systemTags: Array.isArray(options.systemTags) ? new Set(options.systemTags) : DEFAULT_SYSTEM_TAG_SET,
    rateLimit,
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
const NO_HEADERS: readonly string[] = Object.freeze([]);
const DIGEST_CHALLENGE = new ExpectedStatuses([401], []);

const REPLAYABLE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);
const CLOSED_CONNECTION_CODES: ReadonlySet<string> = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE']);

/** Go retries idempotent requests whose kept-alive connection was closed under them. */
function isReplayable(method: string, err: unknown): boolean {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return REPLAYABLE_METHODS.has(method) && typeof code === 'string' && CLOSED_CONNECTION_CODES.has(code);
}

/** Where a 3xx response sends the request next, if anywhere. */
function redirectTarget(status: number, location: string | undefined, base: URL): ParsedTarget | undefined {
  if (status < 300 || status >= 400 || status === 304 || location === undefined) return undefined;
  try {
    return parseTarget(new URL(location, base).href);
  } catch {
    return undefined;
  }
}

function parseTarget(text: string): ParsedTarget {
  const url = new URL(text);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`unsupported protocol scheme "${url.protocol.slice(0, -1)}"`);
  }
  return { url, origin: url.origin, path: url.pathname + url.search, tagUrl: cleanUrl(text, url) };
}

/** "200 OK": k6's status_text. One string per status code and reason, not one per response. */
const statusLines = new Map<string, string>();

let lastStatus = 0;
let lastReason = '';
let lastLine = '';

function statusLine(status: number, reason: string): string {
  // Most responses repeat the previous one's status line: no key string for those.
  if (status === lastStatus && reason === lastReason) return lastLine;
  // HTTP/2 has no reason phrase; Go fills in the standard one.
  const text = reason || (STATUS_CODES[status] ?? '');
  const key = `${status}|${text}`;
  let line = statusLines.get(key);
  if (line === undefined) {
    line = `${status} ${text}`;
    if (statusLines.size >= 256) statusLines.clear();
    statusLines.set(key, line);
  }
  lastStatus = status;
  lastReason = reason;
  lastLine = line;
  return line;
}

/** A request that cannot be made: what failEarly() needs to answer it. */
interface EarlyFailure {
  readonly failure: HttpFailure;
  readonly method: string;
  readonly url: string;
  readonly throwErrors: boolean;
  /** k6 would prepare it and fail only when sending it: a batch still sends the others. */
  readonly atSend?: boolean;
}

/** A request prepared by VuHttpClient.prepareAll(), not sent yet (opaque outside the client). */
export interface PreparedRequest {
  /** The URL as the script gave it. */
  readonly urlText: string;
}

/** A batch entry that fails when it is sent (k6 would have prepared it). */
class PreparedFailure implements PreparedRequest {
  readonly urlText: string;
  constructor(readonly failure: EarlyFailure) {
    this.urlText = failure.url;
  }
}

/** One k6 request in flight: what its hops share, and where it is (redirects, a digest challenge, a replay). */
class RequestRun implements PreparedRequest {
  hopMethod: string;
  hop: ParsedTarget;
  hopBody: string | Uint8Array | null;
  contentType: string | undefined;
  contentEncoding: string | undefined;
  redirectsDone = 0;
  digestAnswer: string | undefined = undefined;
  /** The current hop was already sent again once after its kept-alive connection closed under it. */
  replayed = false;
  headers: readonly string[] = NO_HEADERS;
  readonly keepBody: boolean;
  blocking = false;
  resolve: (res: Response) => void = noop;
  reject: (err: unknown) => void = noop;

  constructor(
    readonly params: RequestParams,
    readonly urlText: string,
    readonly nameTag: string | undefined,
    readonly throwErrors: boolean,
    readonly first: ParsedTarget,
    method: string,
    body: string | Uint8Array | null,
    contentType: string | undefined,
    contentEncoding: string | undefined,
    readonly responseType: ResponseType,
    readonly callback: ExpectedStatuses | null,
    readonly jar: CookieJar,
    readonly maxRedirects: number,
    readonly deadline: number,
  ) {
    this.hopMethod = method;
    this.hop = first;
    this.hopBody = body;
    this.contentType = contentType;
    this.contentEncoding = contentEncoding;
    this.keepBody = responseType !== 'none';
  }
}

function noop(): void {}

export class VuHttpClient {
  private readonly host: VuHost;
  private readonly connections: VuConnections;
  readonly settings: HttpClientSettings;
  /** The VU's jar; replaced at every iteration start unless noCookiesReset. */
  jar = new CookieJar();
  responseCallback: ExpectedStatuses | null;
  /** What res.submitForm()/res.clickLink() of this client's responses request through. */
  requester: ResponseRequester | undefined = undefined;
  private readonly inFlight = new Set<Exchange>();
  private readonly defaultHeaders: readonly string[];
  private readonly headerDefaults: HeaderDefaults;
  private readonly tagCache: RequestTagCache;
  /** `request.headers` of a Response when only the default headers were sent; shared, so frozen. */
  private readonly defaultRecordHeaders: Readonly<Record<string, string[]>>;
  private readonly samplesNoFailed: [string, number][] = httpSamples(false);
  private readonly samplesWithFailed: [string, number][] = httpSamples(true);
  private readonly targets = new Map<string, ParsedTarget>();
  /** Makes `responseType: 'binary'` bodies ArrayBuffers of the script realm (`instanceof ArrayBuffer` holds). */
  private readonly buffers: BufferRealm;

  constructor(
    host: VuHost,
    connections: VuConnections,
    settings: HttpClientSettings,
    callback: ExpectedStatuses,
    buffers: BufferRealm = HOST_BUFFERS,
  ) {
    this.host = host;
    this.buffers = buffers;
    this.connections = connections;
    this.settings = settings;
    this.responseCallback = callback;
    this.defaultHeaders = settings.userAgent === '' ? [] : ['User-Agent', settings.userAgent];
    this.tagCache = new RequestTagCache(settings.systemTags);
    this.headerDefaults = { userAgent: settings.userAgent, headers: this.defaultHeaders };
    this.defaultRecordHeaders = Object.freeze(recordHeaders(this.defaultHeaders));
    this.cancelAll = () => {
      this.watchedAborted = true;
      for (const ex of this.inFlight) ex.cancel(new K6HttpError(ERROR_CODE.generic, 'context canceled'));
    };
  }

  private readonly cancelAll: () => void;
  private watchedSignal: AbortSignal | undefined = undefined;
  /**
   * `watchedSignal.aborted`, kept by its abort listener. Every AbortSignal has a hidden class of its
   * own, so reading `.aborted` here (code shared by all the VUs of a thread) is a megamorphic load:
   * with 1,000 VUs it missed V8's stub cache and went to the runtime, several times per request.
   */
  private watchedAborted = false;

  /** The host hands out a new signal per VU call; listen once per signal, not once per request. */
  private watchSignal(): boolean {
    const signal = this.host.signal;
    if (signal !== this.watchedSignal) {
      this.watchedSignal = signal;
      this.watchedAborted = signal.aborted;
      if (!this.watchedAborted) signal.addEventListener('abort', this.cancelAll, { once: true });
    }
    return this.watchedAborted;
  }

  /** Whether the VU's current call was interrupted (its signal aborted). */
  private signalAborted(): boolean {
    const signal = this.host.signal;
    return signal === this.watchedSignal ? this.watchedAborted : signal.aborted;
  }

  /** Performs one k6 request; rejects only for script errors, or failures when `throw` is on. */
  request(methodArg: unknown, urlArg: unknown, body: unknown, rawParams: unknown): Promise<Response> {
    return this.begin(methodArg, urlArg, body, rawParams, false);
  }

  /**
   * request() as a blocking call of the script (http.get() & co.): the promise is marked blocking, and
   * a call whose VU was interrupted meanwhile rejects with the interrupt once the request settled, as
   * host.blockCancellable() does, without a reaction of its own.
   */
  requestBlocking(methodArg: unknown, urlArg: unknown, body: unknown, rawParams: unknown): Promise<Response> {
    if (this.host.resumeHooks) return this.host.blockCancellable(this.begin(methodArg, urlArg, body, rawParams, false));
    return markBlocking(this.begin(methodArg, urlArg, body, rawParams, true));
  }

  private begin(methodArg: unknown, urlArg: unknown, body: unknown, rawParams: unknown, blocking: boolean): Promise<Response> {
    let run: RequestRun;
    try {
      const prepared = this.prepare(methodArg, urlArg, body, rawParams);
      if (!(prepared instanceof RequestRun)) {
        return Promise.resolve(this.failEarly(prepared.failure, prepared.method, prepared.url, prepared.throwErrors));
      }
      run = prepared;
    } catch (err) {
      return Promise.reject(err);
    }
    return this.send(run, blocking);
  }

  /**
   * A batch's requests, each prepared before any is sent (k6 prepareBatchArray: parseRequest for
   * every entry first). The first that cannot be prepared (bad params, invalid URL) stops there:
   * nothing is sent and its index and failure are returned. Script errors still throw.
   */
  prepareAll(
    entries: ReadonlyArray<readonly [method: unknown, url: unknown, body: unknown, params: unknown]>,
  ): { readonly runs: readonly PreparedRequest[] } | { readonly index: number; readonly failure: HttpFailure } {
    const runs: Array<RequestRun | PreparedFailure> = [];
    for (const [method, url, body, params] of entries) {
      const prepared = this.prepare(method, url, body, params);
      if (prepared instanceof RequestRun) runs.push(prepared);
      else if (prepared.atSend === true) runs.push(new PreparedFailure(prepared));
      else return { index: runs.length, failure: prepared.failure };
    }
    return { runs };
  }

  /** Sends a request prepareAll() made; settles as request() does. */
  sendPrepared(prepared: PreparedRequest): Promise<Response> {
    if (prepared instanceof PreparedFailure) {
      const f = prepared.failure;
      try {
        return Promise.resolve(this.failEarly(f.failure, f.method, f.url, f.throwErrors));
      } catch (err) {
        return Promise.reject(err);
      }
    }
    if (!(prepared instanceof RequestRun)) throw new TypeError('not a request prepareAll() made');
    return this.send(prepared, false);
  }

  private send(run: RequestRun, blocking: boolean): Promise<Response> {
    run.blocking = blocking;
    const promise = new Promise<Response>((resolve, reject) => {
      run.resolve = resolve;
      run.reject = reject;
    });
    const limit = this.settings.rateLimit;
    const wait = limit === undefined ? undefined : limit.wait(this.host.signal);
    if (wait === undefined) {
      this.sendHop(run);
    } else {
      // `rps`: the request waits for its start slot; an interrupted VU's request is cancelled.
      wait.then(() => {
        if (this.signalAborted()) this.settle(run, new K6HttpError(ERROR_CODE.generic, 'context canceled'), undefined);
        else this.sendHop(run);
      }, (err: unknown) => this.settle(run, err, undefined));
    }
    return promise;
  }

  /** startHop(), its exceptions rejecting the request (it runs from microtasks and callbacks too). */
  private sendHop(run: RequestRun): void {
    try {
      this.startHop(run);
    } catch (err) {
      this.settle(run, err, undefined);
    }
  }

  /** The request's first hop from the script's arguments, or why it cannot be made (k6's parseRequest errors). */
  private prepare(methodArg: unknown, urlArg: unknown, body: unknown, rawParams: unknown): RequestRun | EarlyFailure {
    if (this.host.state.phase === 'init') {
      throw new Error('Making http requests in the init context is not supported');
    }
    // As written: k6 hands the method to Go unchanged (http.request("purge", …) sends "purge").
    const method = String(methodArg);
    let params: RequestParams;
    try {
      params = parseParams(rawParams);
    } catch (err) {
      // Like k6's parseRequest: a bad param is a failed request (thrown only with the throw option).
      const failure = { code: 0, message: (err as Error).message };
      return { failure, method, url: String(urlArg), throwErrors: this.settings.throwErrors };
    }
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
      // k6 (httpext.NewURL) refuses only what Go's url.Parse cannot parse, before the request is made;
      // a URL Go parses but cannot send ("not a url", "ftp://…") fails when it is sent.
      const goError = goUrlParseError(urlText);
      if (goError !== undefined) {
        return { failure: { code: ERROR_CODE.invalidUrl, message: `invalid URL: ${goError}` }, method, url: urlText, throwErrors };
      }
      const failure = { code: ERROR_CODE.invalidUrl, message: `invalid URL "${urlText}": ${(err as Error).message}` };
      return { failure, method, url: urlText, throwErrors, atSend: true };
    }
    const encoded = encodeBody(body);
    const responseType: ResponseType =
      params.responseType ?? (this.settings.discardResponseBodies ? 'none' : 'text');
    let firstBody = encoded.body;
    let contentEncoding: string | undefined;
    if (params.compression !== undefined && firstBody !== null) {
      const compressed = compressBody(firstBody, params.compression);
      firstBody = compressed.body;
      contentEncoding = compressed.encoding;
    }
    this.checkContentLength(params, firstBody, method, first.url.href);
    return new RequestRun(
      params, urlText, nameTag, throwErrors, first, method, firstBody, encoded.contentType, contentEncoding, responseType,
      params.responseCallback !== undefined ? params.responseCallback : this.responseCallback,
      params.jar ?? this.jar,
      params.redirects ?? this.settings.maxRedirects,
      params.timeoutMs > 0 ? performance.now() + params.timeoutMs : Infinity,
    );
  }

  /** Sends the request's current hop. */
  private startHop(run: RequestRun): void {
    const hop = run.hop;
    const hopUrl = hop.url;
    let extra: readonly string[] = NO_HEADERS;
    if (run.digestAnswer !== undefined || (run.contentEncoding !== undefined && run.hopBody !== null)) {
      const more: string[] = [];
      if (run.digestAnswer !== undefined) more.push('Authorization', run.digestAnswer);
      if (run.contentEncoding !== undefined && run.hopBody !== null) more.push('Content-Encoding', run.contentEncoding);
      extra = more;
    }
    const first = run.first;
    run.headers = buildRequestHeaders(
      this.headerDefaults, run.params, hopUrl, run.jar, run.contentType, hop === first || hopUrl.host === first.url.host,
      run.redirectsDone === 0, extra,
    );
    const debug = this.settings.httpDebug;
    if (debug !== '') logRequestDump(this.host.log, debug, run.hopMethod, hopUrl, run.headers, run.hopBody);
    this.startExchange(run, run.deadline - performance.now());
  }

  /**
   * A hop's round trip ended. Called from undici's callbacks (or a timer, or the VU's abort
   * listener): it only decides, emits and settles; a next hop starts in a microtask, outside undici.
   */
  private readonly hopSettled = (ex: Exchange): void => {
    const run = ex.owner as RequestRun;
    this.endExchange(ex, run.hop);
    try {
      this.afterHop(run, ex);
    } catch (err) {
      this.settle(run, err, undefined);
    }
  };

  private afterHop(run: RequestRun, ex: Exchange): void {
    const hop = run.hop;
    const hopMethod = run.hopMethod;
    const params = run.params;
    if (ex.error !== undefined && ex.reusedConnection && ex.unanswered && !run.replayed && isReplayable(hopMethod, ex.error)) {
      // The server closed a kept-alive connection as the request went out. Go's transport retries
      // such requests once on a new connection (net/http shouldRetryRequest), so k6 never sees it.
      run.replayed = true;
      queueMicrotask(() => {
        try {
          this.startExchange(run, run.deadline - performance.now());
        } catch (err) {
          this.settle(run, err, undefined);
        }
      });
      return;
    }
    run.replayed = false;
    const hopUrl = hop.url;
    const setCookies = this.hopOutcome(ex);
    const failure = ex.error === undefined ? undefined : classifyHttpError(ex.error, hopMethod === 'GET' ? 'read' : 'write');
    // Every round trip is a request of its own for the metrics: redirect hops and digest challenges too.
    // k6 expects the 401 of a digest challenge: it does not count as a failed request.
    const challenged = params.auth === 'digest' && run.digestAnswer === undefined;
    const callback = run.callback;
    this.emit(hopMethod, hop.tagUrl, run.nameTag, params.tags, ex, failure, challenged && callback !== null ? DIGEST_CHALLENGE : callback);
    if (failure !== undefined) {
      const res = this.buildResponse(ex, hopMethod, hopUrl, run.headers, run.hopBody, params, run.responseType, failure);
      this.settle(run, undefined, this.failed(res, failure, hopMethod, hopUrl.href, run.throwErrors));
      return;
    }
    if (setCookies.length > 0) run.jar.storeSetCookies(hopUrl.href, setCookies);
    if (ex.status === 401 && challenged) {
      const challenge = parseDigestChallenge(rawHeaderValue(ex.rawHeaders, 'www-authenticate'));
      if (challenge !== undefined) {
        run.digestAnswer = digestAuthorization(
          challenge, decodeURIComponent(hopUrl.username), decodeURIComponent(hopUrl.password), hopMethod, hop.path,
        );
        queueMicrotask(() => this.sendHop(run));
        return;
      }
    }
    const next = ex.status >= 300 && ex.status < 400 ? redirectTarget(ex.status, rawHeaderValue(ex.rawHeaders, 'location'), hopUrl) : undefined;
    if (next !== undefined && run.redirectsDone < run.maxRedirects) {
      if (ex.status === 301 || ex.status === 302 || ex.status === 303) {
        // Go's client turns these into a body-less GET (HEAD stays HEAD).
        if (hopMethod !== 'HEAD') run.hopMethod = 'GET';
        run.hopBody = null;
        run.contentType = undefined;
        run.contentEncoding = undefined;
      }
      run.hop = next;
      run.redirectsDone++;
      run.digestAnswer = undefined;
      queueMicrotask(() => this.sendHop(run));
      return;
    }
    if (next !== undefined && params.redirects === undefined && run.maxRedirects > 0) {
      this.host.log.warn(
        `Stopped after ${run.redirectsDone} redirects and returned the redirection; pass { redirects: n } in request params or set global maxRedirects to silence this (url=${run.urlText})`,
      );
    }
    const res = this.buildResponse(ex, run.hopMethod, hopUrl, run.headers, run.hopBody, params, run.responseType, undefined);
    if (res.error_code === ERROR_CODE.decompression) {
      this.settle(run, undefined, this.failed(res, { code: res.error_code, message: res.error }, run.hopMethod, hopUrl.href, run.throwErrors));
      return;
    }
    this.settle(run, undefined, res);
  }

  /** Ends the request's promise: with `res`, or rejected with `err` (or the VU's interrupt, for a blocking call). */
  private settle(run: RequestRun, err: unknown, res: Response | undefined): void {
    if (run.blocking) {
      const interrupted = this.host.interruption();
      if (interrupted !== undefined) {
        run.reject(interrupted);
        return;
      }
    }
    if (res === undefined) run.reject(err);
    else run.resolve(res);
  }

  private checkContentLength(params: RequestParams, body: string | Uint8Array | null, method: string, url: string): void {
    for (const [name, value] of params.headers) {
      if (name.toLowerCase() !== 'content-length') continue;
      const actual = bodyByteLength(body);
      if (Number(value) !== actual) {
        this.host.log.warn(
          `The specified Content-Length header "${value}" in the ${method} request for ${url} doesn't match the actual request body length of ${actual}, so it will be ignored!`,
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

  /** The Set-Cookie values of a finished round trip (and its debug dump). */
  private hopOutcome(ex: Exchange): readonly string[] {
    const debug = this.settings.httpDebug;
    if (debug !== '' && ex.error === undefined) {
      // Every round trip is dumped, redirects included, as k6's debug transport does.
      const dumpBody = debug === 'full' && ex.chunks.length > 0 ? Buffer.concat(ex.chunks).toString('utf8') : null;
      logResponseDump(this.host.log, debug, ex.proto, ex.status, ex.statusText, headersObject(ex.rawHeaders), dumpBody);
    }
    return rawHeaderValues(ex.rawHeaders, 'set-cookie');
  }

  /**
   * Starts the current hop's exchange on a connection of the VU. One that cannot start (timed out
   * already, VU interrupted) settles at once with `error` set.
   */
  private startExchange(run: RequestRun, timeoutMs: number): void {
    const target = run.hop;
    const slot = this.connections.acquire(target.url, target.origin);
    const ex = new Exchange(slot, run.keepBody, this.hopSettled);
    ex.owner = run;
    if (timeoutMs <= 0) {
      ex.error = new K6HttpError(ERROR_CODE.requestTimeout, 'request timeout');
      this.hopSettled(ex);
      return;
    }
    if (this.watchSignal()) {
      ex.error = new K6HttpError(ERROR_CODE.generic, 'context canceled');
      this.hopSettled(ex);
      return;
    }
    this.inFlight.add(ex);
    ex.run(
      {
        method: run.hopMethod, path: target.path, headers: run.headers as unknown as Record<string, string>, body: run.hopBody,
        reset: this.settings.noConnectionReuse, keepBody: run.keepBody,
      },
      timeoutMs,
    );
  }

  /** After an exchange settled: forgets it and gives its connection back (only when it had started). */
  private endExchange(ex: Exchange, target: ParsedTarget): void {
    if (!ex.started) return;
    this.inFlight.delete(ex);
    this.connections.release(ex.slot, target.origin);
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
    if (this.signalAborted()) return;
    const status = failure === undefined ? ex.status : 0;
    const expected = callback === null ? undefined : callback.matches(status);
    const tags = this.tagCache.tagsFor(this.host.state.tags, {
      method, url, nameTag, userTags, status, failure, tlsVersion: ex.tlsVersion, proto: ex.proto, expected,
      ip: ex.remoteIp,
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
        const bytes = decodeBody(ex.chunks, ex.bodyLength, rawHeaderValue(ex.rawHeaders, 'content-encoding'));
        resBody = responseType === 'binary' ? this.buffers.arrayBuffer(bytes) : bytes.toString('utf8');
      } catch (err) {
        error = `error decompressing response body: ${(err as Error).message}`;
        errorCode = ERROR_CODE.decompression;
      }
    }
    const res = new Response({
      status: failure === undefined ? ex.status : 0,
      status_text: failure === undefined ? statusLine(ex.status, ex.statusText) : '',
      body: resBody,
      rawHeaders: ex.rawHeaders,
      timings: ex.timings,
      url: url.href,
      remote_ip: ex.remoteIp,
      remote_port: ex.remotePort,
      proto: failure === undefined ? ex.proto : '',
      tls_version: ex.tlsVersion ?? '',
      tls_cipher_suite: ex.tlsCipherSuite ?? '',
      error,
      error_code: errorCode,
      request: requestRecord(method, url, headers, body, params, this.defaultHeaders, this.defaultRecordHeaders),
      requester: this.requester,
    });
    return res;
  }

  private failEarly(failure: HttpFailure, method: string, url: string, throwErrors: boolean): Response {
    const res = unsentResponse(method, url, failure.message, failure.code, this.requester);
    return this.failed(res, failure, method, url, throwErrors);
  }

  private failed(res: Response, failure: HttpFailure, method: string, url: string, throwErrors: boolean): Response {
    const err = new HttpRequestError(failure, method, url);
    if (throwErrors) throw err;
    if (this.signalAborted()) return res; // the VU is being interrupted: nobody reads this
    this.host.log.warn('Request Failed', { error: err.message });
    return res;
  }
}

