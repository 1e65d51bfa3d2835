import { goStatusText } from './go-status-text.ts';
import type { SampleSink, Tags, VuHost } from '../vu/vu-host.ts';
import { DEFAULT_SYSTEM_TAGS, DEFAULT_USER_AGENT } from '../options/k6-options.ts';
import { CookieJar } from './cookie-jar.ts';
import { ERROR_CODE, K6HttpError, classifyHttpError, type HttpFailure } from './error-codes.ts';
import { goUrlParseError, goUrlScheme } from './go-url-parse.ts';
import { goValueText } from './go-value-text.ts';
import { Exchange, type HopTimings } from './exchange.ts';
import { ExpectedStatuses } from './expected-statuses.ts';
import { logRequestDump, logResponseDump, type HttpDebugMode } from './http-debug.ts';
import { TemplatedUrl, cleanUrl } from './http-url.ts';
import { digestAuthorization, parseDigestChallenge } from './digest-auth.ts';
import { authenticateMessage, challengeToken, negotiateMessage, offeredScheme, splitDomain, type NtlmScheme } from './ntlm-auth.ts';
import { bodyByteLength, compressBody, encodeBody } from './request-body.ts';
import { parseParams, type RequestParams, type ResponseType } from './request-params.ts';
import { NO_RAW_HEADERS, Response, unsentResponse, type ResponseRequester } from './response.ts';
import { headersObject, rawHeaderValue, rawHeaderValues } from './raw-headers.ts';
import { BodyDecodeError, decodeBody } from './response-body.ts';
import { HOST_BUFFERS, type BufferRealm } from '../modules/binary-input.ts';
import { recordHeaders, requestRecord } from './request-record.ts';
import type { VuConnections } from './vu-connections.ts';
import { RequestTagCache } from './request-tags.ts';
import { buildRequestHeaders, wireHeaders, type HeaderDefaults, type RedirectHop } from './request-headers.ts';
import { markBlocking } from '../vu/blocking.ts';
import type { RequestRateLimit } from './request-rate-limit.ts';

// The request path of one VU: headers, cookies, redirects (each hop measured and emitted as its own
// request, like k6's transport), error mapping, and the Response. Settings read from options are
// fixed when the VU's module is created.

// k6's --max-redirects default, used when no tier set maxRedirects (k6 keeps it an invalid null.Int
// then, which is what makes it warn when the limit stops a chain).
const DEFAULT_MAX_REDIRECTS = 10;
const DEFAULT_SYSTEM_TAG_SET: ReadonlySet<string> = new Set(DEFAULT_SYSTEM_TAGS);

export interface HttpClientSettings {
  readonly userAgent: string;
  readonly maxRedirects: number;
  /** No tier set maxRedirects: hitting the limit logs k6's warning (a `redirects` param silences it too). */
  readonly warnOnRedirectLimit: boolean;
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
    warnOnRedirectLimit: typeof options.maxRedirects !== 'number',
    discardResponseBodies: options.discardResponseBodies === true,
    throwErrors: options.throw === true,
    noConnectionReuse: options.noConnectionReuse === true,
    httpDebug,
    systemTags: Array.isArray(options.systemTags) ? new Set(options.systemTags) : DEFAULT_SYSTEM_TAG_SET,
    rateLimit,
  };
}

/**
 * Raised to the script when a request fails and `throw` is on. A round trip's failure reads as Go's
 * url.Error (`Get "url": …`); a request k6 could not prepare (bad URL or params) or whose body could
 * not be decompressed is k6's own error, without that prefix (`prefixed` false).
 */
export class HttpRequestError extends Error {
  readonly code: number;
  constructor(failure: HttpFailure, method: string, url: string, prefixed = true) {
    const text = failure.goText ?? failure.message;
    super(prefixed ? `${goMethod(method)} "${goUrlText(url)}": ${text}` : text);
    // sobek throws the error a Go function returns as a GoError (String(e) is "GoError: Get …").
    this.name = 'GoError';
    this.code = failure.code;
  }
}

/** undici's error for a 101 (Switching Protocols) answer to a request that asked for no upgrade. */
function isSwitchingProtocols(err: unknown): boolean {
  return err instanceof Error && (err as { code?: unknown }).code === 'UND_ERR_SOCKET' && err.message === 'bad upgrade';
}

/** Go prints the method of a failed request as "Get", "Post", … (an empty method is a GET). */
function goMethod(method: string): string {
  if (method === '') return 'Get';
  return method.charAt(0) + method.slice(1).toLowerCase();
}

/** Go's url.Error shows a URL's password as "***". */
function goUrlText(url: string): string {
  return url.replace(/^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/@?#:]*):[^/@?#]*@/, '$1:***@');
}

/** Go's isDomainOrSubdomain: the same host name (any port), or a subdomain of it (not for IP literals). */
function isDomainOrSubdomain(sub: string, parent: string): boolean {
  if (sub === parent) return true;
  if (sub.includes(':') || sub.includes('%')) return false;
  return sub.endsWith(parent) && sub.charAt(sub.length - parent.length - 1) === '.';
}

/** A Location Go's url.Parse finds absolute (IsAbs: it has a scheme); others keep a custom Host. */
const GO_URL_SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;

/** A URL as Go's refererForURL gives it: its user information removed. */
function withoutUserinfo(url: string): string {
  return url.replace(/^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)[^/?#]*@/, '$1');
}

/** The status codes Go's client follows (net/http redirectBehavior): 300, 304, 305 and 306 are final. */
const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** What a request sample needs from its round trip; an Exchange, or UNSENT for a request never sent. */
interface SampleSource {
  readonly status: number;
  readonly timings: HopTimings;
  readonly tlsVersion: string | undefined;
  readonly proto: string;
  readonly remoteIp: string;
}

const UNSENT: SampleSource = Object.freeze({
  status: 0,
  timings: Object.freeze({ duration: 0, blocked: 0, looking_up: 0, connecting: 0, tls_handshaking: 0, sending: 0, waiting: 0, receiving: 0 }),
  tlsVersion: undefined,
  proto: '',
  remoteIp: '',
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
  /** The URL as Go prints it (res.url, res.request.url, error messages): as written, when that is plain. */
  readonly text: string;
}

const MAX_TARGETS = 256;
const NO_HEADERS: readonly string[] = Object.freeze([]);
const DIGEST_CHALLENGE = new ExpectedStatuses([401], []);

const ntlmFirstCallbacks = new WeakMap<ExpectedStatuses, ExpectedStatuses>();
/** The callback of an NTLM request's first round trip: 401 or what `cb` expects. */
function ntlmFirstCallback(cb: ExpectedStatuses): ExpectedStatuses {
  let out = ntlmFirstCallbacks.get(cb);
  if (out === undefined) {
    out = cb.plus(401);
    ntlmFirstCallbacks.set(cb, out);
  }
  return out;
}

const REPLAYABLE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);
const CLOSED_CONNECTION_CODES: ReadonlySet<string> = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE']);

/** The method a request goes out with: Go sends an http.Request with an empty Method as GET. */
function wireMethod(method: string): string {
  return method === '' ? 'GET' : method;
}

/** Go retries idempotent requests whose kept-alive connection was closed under them. */
function isReplayable(method: string, err: unknown): boolean {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return REPLAYABLE_METHODS.has(wireMethod(method)) && typeof code === 'string' && CLOSED_CONNECTION_CODES.has(code);
}

/**
 * Where a redirect sends the request next: undefined when it does not (not a redirect status, no
 * Location), or Go's error when the Location cannot be parsed (the request fails with it).
 */
function redirectTarget(status: number, location: string | undefined, base: URL): ParsedTarget | HttpFailure | undefined {
  if (!REDIRECT_STATUSES.has(status) || location === undefined) return undefined;
  const goError = goUrlParseError(location);
  if (goError !== undefined) {
    return { code: ERROR_CODE.generic, message: `failed to parse Location header ${JSON.stringify(location)}: ${goError}` };
  }
  let href: string;
  try {
    href = new URL(location, base).href;
  } catch (err) {
    return { code: ERROR_CODE.generic, message: `failed to parse Location header ${JSON.stringify(location)}: ${(err as Error).message}` };
  }
  try {
    return parseTarget(href);
  } catch (err) {
    // Go follows it and its transport refuses it (an ftp:// Location): the next hop fails.
    return { code: ERROR_CODE.generic, message: unsendableUrlMessage(href, err) };
  }
}

/** Go's transport error for a URL Go parses but cannot send (k6 error_code 1000). */
function unsendableUrlMessage(urlText: string, err: unknown): string {
  const scheme = goUrlScheme(urlText);
  if (scheme !== 'http' && scheme !== 'https') return `unsupported protocol scheme ${JSON.stringify(scheme)}`;
  const host = /^[a-zA-Z]+:\/\/([^/?#]*)/.exec(urlText)?.[1] ?? '';
  if (host === '' || host.endsWith('@')) return 'http: no Host in request URL';
  return `invalid URL ${JSON.stringify(urlText)}: ${(err as Error).message}`;
}

function parseTarget(text: string): ParsedTarget {
  const url = new URL(text);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`unsupported protocol scheme "${url.protocol.slice(0, -1)}"`);
  }
  return { url, origin: url.origin, path: url.pathname + url.search, tagUrl: cleanUrl(text, url), text: goUrlString(text, url) };
}

/**
 * Go's URL.String() of a URL it parsed from `text`: the text itself (scheme lower-cased) when it is
 * plain printable ASCII, so `http://host` stays without the "/" WHATWG's href adds; otherwise the
 * href, whose escaping is Go's for the common cases.
 */
function goUrlString(text: string, url: URL): string {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*)(:\/\/[\x21-\x7e]*)$/.exec(text);
  if (m === null || /\/\.\.?(?:[/?#]|$)/.test(m[2] as string)) return url.href;
  return (m[1] as string).toLowerCase() + (m[2] as string);
}

/**
 * k6's digest transport takes the credentials out of the URL before the first round trip: its
 * samples and res.url show the URL without them (TestRequest/Params/auth/digest).
 */
function withoutCredentials(target: ParsedTarget): ParsedTarget {
  if (target.url.username === '' && target.url.password === '') return target;
  const text = target.text.replace(/^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)[^/?#]*@/, '$1');
  return { ...target, tagUrl: text, text };
}

/** "200 OK": k6's status_text. One string per status code and reason, not one per response. */
const statusLines = new Map<string, string>();

let lastStatus = 0;
let lastReason = '';
let lastLine = '';

function statusLine(status: number, reason: string): string {
  // Most responses repeat the previous one's status line: no key string for those.
  if (status === lastStatus && reason === lastReason) return lastLine;
  // HTTP/2 has no reason phrase; Go fills in its own (http.StatusText, "" for a code it does not know).
  const text = reason || goStatusText(status);
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
  /**
   * k6 would prepare it and fail only when sending it (Go's transport refuses the URL): a batch
   * still sends the others, and the failed request is measured like any other (samples with
   * status 0 and the error tags), with these tags.
   */
  readonly atSend?: {
    readonly nameTag: string | undefined;
    readonly userTags: Readonly<Record<string, string>> | undefined;
    readonly callback: ExpectedStatuses | null;
  };
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
class RequestRun implements PreparedRequest, SampleContext, RedirectHop {
  hopMethod: string;
  hop: ParsedTarget;
  hopBody: string | Uint8Array | null;
  contentType: string | undefined;
  contentEncoding: string | undefined;
  redirectsDone = 0;
  /** Every Location so far was relative: the user's Host header still applies (Go keeps req.Host). */
  keepHost = true;
  /** The Referer of a redirect hop: the previous hop's URL (Go's refererForURL). */
  referer = '';
  /** The host name of the hop before the current one (Go's shouldCopyHeaderOnRedirect compares with it). */
  prevHostname = '';
  digestAnswer: string | undefined = undefined;
  /**
   * auth 'ntlm' (go-ntlmssp's Negotiator, per round trip): 'anonymous' while the hop goes without
   * credentials, then 'negotiate' once the NEGOTIATE message went, 'done' after the AUTHENTICATE
   * message (or the Basic retry of a 401 that offered no NTLM).
   */
  ntlm: 'anonymous' | 'negotiate' | 'done' | undefined = undefined;
  ntlmScheme: NtlmScheme = 'NTLM';
  /** The current hop was already sent again once after its kept-alive connection closed under it. */
  replayed = false;
  headers: readonly string[] = NO_HEADERS;
  /**
   * The first round trip's headers: `res.request` shows the request the script made (k6 builds it
   * before sending), not a redirect hop or digest answer.
   */
  firstHeaders: readonly string[] = NO_HEADERS;
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
    /** The method, URL (as Go prints it) and body (before `compression`) of the request the script made. */
    readonly method: string,
    readonly requestUrl: string,
    readonly requestBody: string | Uint8Array | null,
    body: string | Uint8Array | null,
    contentType: string | undefined,
    contentEncoding: string | undefined,
    readonly responseType: ResponseType,
    readonly callback: ExpectedStatuses | null,
    readonly jar: CookieJar,
    readonly maxRedirects: number,
    readonly deadline: number,
    /**
     * The VU's tags and sample sink (metadata) when the script made the call: k6 takes them as it
     * prepares the request, so an asyncRequest made in a group keeps the group's tag (and a
     * `trace_id` set around the call stays on its samples) however the VU's tags change before it ends.
     */
    readonly stateTags: Tags,
    readonly sink: SampleSink,
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

/** Where a request's samples go and the VU tags they carry, as they were when the script made the call. */
interface SampleContext {
  readonly stateTags: Tags;
  readonly sink: SampleSink;
}

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
  /** wireHeaders() of defaultHeaders, which most requests send as they are: checked once, not per request. */
  private readonly defaultWireHeaders: ReturnType<typeof wireHeaders>;
  private readonly headerDefaults: HeaderDefaults;
  private readonly tagCache: RequestTagCache;
  /** `request.headers` of a Response when only the default headers were sent; shared, so frozen. */
  private readonly defaultRecordHeaders: Readonly<Record<string, string[]>>;
  private readonly samplesNoFailed: [string, number][] = httpSamples(false);
  private readonly samplesWithFailed: [string, number][] = httpSamples(true);
  private readonly targets = new Map<string, ParsedTarget>();
  /** Makes `responseType: 'binary'` bodies ArrayBuffers of the script realm (`instanceof ArrayBuffer` holds). */
  private readonly buffers: BufferRealm;
  /** The script realm's JSON.parse, for res.json(). */
  private readonly parseJson: (text: string) => unknown;

  constructor(
    host: VuHost,
    connections: VuConnections,
    settings: HttpClientSettings,
    callback: ExpectedStatuses,
    buffers: BufferRealm = HOST_BUFFERS,
  ) {
    this.host = host;
    this.buffers = buffers;
    this.parseJson = (text) => buffers.parseJson(text);
    this.connections = connections;
    this.settings = settings;
    this.responseCallback = callback;
    this.defaultHeaders = settings.userAgent === '' ? [] : ['User-Agent', settings.userAgent];
    this.tagCache = new RequestTagCache(settings.systemTags);
    this.headerDefaults = { userAgent: settings.userAgent, headers: this.defaultHeaders };
    this.defaultWireHeaders = wireHeaders(this.defaultHeaders);
    this.defaultRecordHeaders = Object.freeze(recordHeaders(this.defaultHeaders));
    this.cancelAll = () => {
      this.watchedAborted = true;
      for (const ex of this.inFlight) ex.cancel(new K6HttpError(ERROR_CODE.generic, 'context canceled'));
    };
  }

  private readonly cancelAll: () => void;
  private readonly warn = (msg: string): void => this.host.log.warn(msg);
  private readonly cookieLog = (msg: string): void => this.host.log.info(msg);
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
        return Promise.resolve(this.failEarly(prepared));
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
      else if (prepared.atSend !== undefined) runs.push(new PreparedFailure(prepared));
      else return { index: runs.length, failure: prepared.failure };
    }
    return { runs };
  }

  /** Sends a request prepareAll() made; settles as request() does. */
  sendPrepared(prepared: PreparedRequest): Promise<Response> {
    if (prepared instanceof PreparedFailure) {
      try {
        return Promise.resolve(this.failEarly(prepared.failure));
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
    // null and undefined are "" (sobek's zero value for the Go string): Go sends an empty method as GET.
    const method = methodArg === undefined || methodArg === null ? '' : String(methodArg);
    // k6 (httpext.ToURL) takes a string or an http.url template and nothing else: undefined (an unset
    // __ENV variable), a number, a response or an object fail before anything is sent, no request counted.
    if (typeof urlArg !== 'string' && !(urlArg instanceof String) && !(urlArg instanceof TemplatedUrl)) {
      // A response is a Go struct in k6 (`&{0xc000… 0xc000…}`, pointers): its fields are not printed.
      const text = urlArg instanceof Response ? '&{…}' : goValueText(urlArg);
      const failure = { code: ERROR_CODE.invalidUrl, message: `invalid URL: '#${text}'` };
      return { failure, method, url: '', throwErrors: this.settings.throwErrors };
    }
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
    const callback = params.responseCallback !== undefined ? params.responseCallback : this.responseCallback;
    let first: ParsedTarget;
    try {
      first = this.target(urlText);
    } catch (err) {
      // k6 (httpext.NewURL) refuses only what Go's url.Parse cannot parse, before the request is made
      // (and, like every error of k6's parseRequest, throws it only with the throw option); a URL Go
      // parses but cannot send ("not a url", "ftp://…") fails in Go's transport, as any request does.
      const goError = goUrlParseError(urlText);
      if (goError !== undefined) {
        const failure = { code: ERROR_CODE.invalidUrl, message: `invalid URL: ${goError}` };
        return { failure, method, url: urlText, throwErrors: this.settings.throwErrors };
      }
      const failure = { code: ERROR_CODE.generic, message: unsendableUrlMessage(urlText, err) };
      return { failure, method, url: urlText, throwErrors, atSend: { nameTag, userTags: params.tags, callback } };
    }
    const encoded = encodeBody(body, this.warn);
    const responseType: ResponseType =
      params.responseType ?? (this.settings.discardResponseBodies ? 'none' : 'text');
    let firstBody = encoded.body;
    let contentEncoding: string | undefined;
    if (params.compression !== undefined && firstBody !== null) {
      let compressed: { body: Buffer; encoding: string };
      try {
        compressed = compressBody(firstBody, params.compression);
      } catch (err) {
        return { failure: { code: 0, message: (err as Error).message }, method, url: urlText, throwErrors: this.settings.throwErrors };
      }
      firstBody = compressed.body;
      contentEncoding = compressed.encoding;
      // A Content-Encoding header of the script's own is sent instead (k6 MakeRequest), with a warning when it differs.
      const own = params.headers.find(([name]) => name.toLowerCase() === 'content-encoding');
      if (own !== undefined) {
        if (own[1] !== contentEncoding) {
          this.host.log.warn(
            `There's a mismatch between the desired \`compression\` the manually set \`Content-Encoding\` header in the ${method} request for '${first.text}', the custom header has precedence and won't be overwritten. This may result in invalid data being sent to the server.`,
          );
        }
        contentEncoding = undefined;
      }
    }
    const requestUrl = first.text;
    if (params.auth === 'digest') first = withoutCredentials(first);
    this.checkContentLength(params, firstBody, method, requestUrl);
    const run = new RequestRun(
      params, urlText, nameTag, throwErrors, first, method, requestUrl, encoded.body, firstBody, encoded.contentType, contentEncoding,
      responseType,
      callback,
      params.jar ?? this.jar,
      params.redirects ?? this.settings.maxRedirects,
      performance.now() + (Number.isNaN(params.timeoutMs) ? -1 : params.timeoutMs),
      this.host.state.tags,
      this.host.samples,
    );
    // go-ntlmssp negotiates only for a request with Basic credentials (the URL's); with none, or the
    // script's own Authorization header, the request goes as it is.
    if (params.auth === 'ntlm' && (first.url.username !== '' || first.url.password !== '') && !params.headers.some(([n]) => n.toLowerCase() === 'authorization')) {
      run.ntlm = 'anonymous';
    }
    return run;
  }

  /** Sends the request's current hop. */
  private startHop(run: RequestRun): void {
    const hop = run.hop;
    const hopUrl = hop.url;
    let extra: readonly string[] = NO_HEADERS;
    if (run.digestAnswer !== undefined || run.contentEncoding !== undefined) {
      const more: string[] = [];
      if (run.digestAnswer !== undefined) more.push('Authorization', run.digestAnswer);
      // k6 puts Content-Encoding in the request's headers, which Go copies to every redirect hop.
      if (run.contentEncoding !== undefined) more.push('Content-Encoding', run.contentEncoding);
      extra = more;
    }
    const first = run.first;
    run.headers = buildRequestHeaders(
      this.headerDefaults, run.params, hopUrl, run.jar, run.contentType, run.redirectsDone === 0 || isDomainOrSubdomain(hopUrl.hostname, run.prevHostname),
      run.redirectsDone === 0 ? undefined : run, extra, run.ntlm !== undefined, this.cookieLog,
    );
    if (hop === first && run.redirectsDone === 0 && run.digestAnswer === undefined) run.firstHeaders = run.headers;
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

  /**
   * The next round trip of an NTLM handshake after a 401 (go-ntlmssp's Negotiator): the NEGOTIATE
   * message when the anonymous request was offered NTLM/Negotiate (a Basic retry when not), then the
   * AUTHENTICATE message for the server's challenge. False when the 401 is the answer to give.
   */
  private ntlmStep(run: RequestRun, ex: Exchange, callback: ExpectedStatuses | null, setCookies: readonly string[]): boolean {
    const hop = run.hop;
    const offered = rawHeaderValues(ex.rawHeaders, 'www-authenticate');
    const username = decodeURIComponent(run.first.url.username);
    const password = decodeURIComponent(run.first.url.password);
    let answer: string;
    if (run.ntlm === 'anonymous') {
      const scheme = offeredScheme(offered);
      if (scheme === undefined) {
        answer = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
        run.ntlm = 'done';
      } else {
        run.ntlmScheme = scheme;
        answer = `${scheme} ${negotiateMessage(splitDomain(username).domain).toString('base64')}`;
        run.ntlm = 'negotiate';
      }
    } else {
      const token = challengeToken(offered);
      if (token === undefined) return false;
      const { user, domain } = splitDomain(username);
      answer = `${run.ntlmScheme} ${authenticateMessage(token, user, password, domain).toString('base64')}`;
      run.ntlm = 'done';
    }
    this.emit(run, run.hopMethod, hop.tagUrl, run.nameTag, run.params.tags, ex, undefined, callback);
    if (setCookies.length > 0) run.jar.storeSetCookies(hop.url.href, setCookies);
    run.digestAnswer = answer;
    queueMicrotask(() => this.sendHop(run));
    return true;
  }

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
    if (isSwitchingProtocols(ex.error)) {
      // k6's MakeRequest refuses a 101 answer to a plain request before it measures it: the error is
      // thrown (or rejects the promise) whatever `throw` says, and no samples are emitted.
      this.settle(run, new HttpRequestError({ code: ERROR_CODE.generic, message: `unsupported response status: 101 ${goStatusText(101)}` }, run.method, hop.text, false), undefined);
      return;
    }
    const hopUrl = hop.url;
    const setCookies = this.hopOutcome(ex);
    // Every round trip is a request of its own for the metrics: redirect hops and digest challenges too.
    // k6 expects the 401 of a digest challenge: it does not count as a failed request.
    const challenged = params.auth === 'digest' && run.digestAnswer === undefined;
    // k6 lets the first round trip of an NTLM request be a 401 besides what the callback expects.
    const ntlmFirst = run.ntlm === 'anonymous' && run.callback !== null;
    const callback = challenged && run.callback !== null ? DIGEST_CHALLENGE : ntlmFirst ? ntlmFirstCallback(run.callback as ExpectedStatuses) : run.callback;
    let failure = ex.error === undefined ? undefined : classifyHttpError(ex.error, wireMethod(hopMethod) === 'GET' ? 'read' : 'write');
    let target: ParsedTarget | undefined;
    if (failure === undefined) {
      const next = redirectTarget(ex.status, rawHeaderValue(ex.rawHeaders, 'location'), hopUrl);
      // Go's client fails the request on a Location it cannot parse, whatever the redirect limit.
      if (next !== undefined && 'code' in next) failure = next;
      else target = next;
    }
    if (failure !== undefined) {
      this.emit(run, hopMethod, hop.tagUrl, run.nameTag, params.tags, ex, failure, callback);
      const res = this.buildResponse(ex, run, hop, failure, null);
      // Go's url.Error names the first request's method and the URL of the round trip that failed.
      this.settle(run, undefined, this.failed(res, failure, run.method, hop.text, run.throwErrors, true));
      return;
    }
    if (ex.status === 401 && challenged) {
      const challenge = parseDigestChallenge(rawHeaderValue(ex.rawHeaders, 'www-authenticate'));
      if (challenge !== undefined) {
        this.emit(run, hopMethod, hop.tagUrl, run.nameTag, params.tags, ex, undefined, callback);
        if (setCookies.length > 0) run.jar.storeSetCookies(hopUrl.href, setCookies);
        run.digestAnswer = digestAuthorization(
          challenge, decodeURIComponent(hopUrl.username), decodeURIComponent(hopUrl.password), hopMethod, hop.path,
        );
        queueMicrotask(() => this.sendHop(run));
        return;
      }
    }
    if (ex.status === 401 && (run.ntlm === 'anonymous' || run.ntlm === 'negotiate') && this.ntlmStep(run, ex, callback, setCookies)) return;
    if (target !== undefined && run.redirectsDone < run.maxRedirects) {
      this.emit(run, hopMethod, hop.tagUrl, run.nameTag, params.tags, ex, undefined, callback);
      if (setCookies.length > 0) run.jar.storeSetCookies(hopUrl.href, setCookies);
      if (ex.status === 301 || ex.status === 302 || ex.status === 303) {
        // Go's client turns these into a body-less GET (HEAD stays HEAD); the headers k6 set for the
        // body (Content-Type, Content-Encoding) are copied to it like the others.
        if (hopMethod !== 'HEAD') run.hopMethod = 'GET';
        run.hopBody = null;
      }
      run.keepHost &&= !GO_URL_SCHEME.test(rawHeaderValue(ex.rawHeaders, 'location') ?? '');
      run.referer = hopUrl.protocol === 'https:' && target.url.protocol === 'http:' ? '' : withoutUserinfo(hop.text);
      run.prevHostname = hopUrl.hostname;
      run.hop = target;
      run.redirectsDone++;
      run.digestAnswer = undefined;
      if (run.ntlm !== undefined) run.ntlm = 'anonymous';
      queueMicrotask(() => this.sendHop(run));
      return;
    }
    // The last round trip: its body is read (and decompressed) before it is measured, as in k6, where
    // a body that cannot be decompressed fails the request (status 0, error_code 1701 in the samples).
    const body = this.responseBody(ex, run.responseType);
    if (body instanceof DecompressionFailure) {
      this.emit(run, hopMethod, hop.tagUrl, run.nameTag, params.tags, ex, body, callback);
      const res = this.buildResponse(ex, run, hop, body, null);
      this.settle(run, undefined, this.failed(res, body, hopMethod, hop.text, run.throwErrors, false));
      return;
    }
    this.emit(run, hopMethod, hop.tagUrl, run.nameTag, params.tags, ex, undefined, callback);
    if (setCookies.length > 0) run.jar.storeSetCookies(hopUrl.href, setCookies);
    if (target !== undefined && params.redirects === undefined && this.settings.warnOnRedirectLimit) {
      // Go counts the requests made so far (len(via)), one more than the redirects followed.
      this.host.log.warn(
        `Stopped after ${run.redirectsDone + 1} redirects and returned the redirection; pass { redirects: n } in request params or set global maxRedirects to silence this`,
        { url: run.first.text },
      );
    }
    this.settle(run, undefined, this.buildResponse(ex, run, hop, undefined, body));
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
      // HTTP/2 has no reason phrase: Go's dump shows the standard one ("HTTP/2.0 200 OK").
      logResponseDump(this.host.log, debug, ex.proto, ex.status, ex.statusText || goStatusText(ex.status), headersObject(ex.rawHeaders), dumpBody);
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
    const headers = run.headers === this.defaultHeaders ? this.defaultWireHeaders : wireHeaders(run.headers);
    if ('invalid' in headers) {
      ex.error = new K6HttpError(ERROR_CODE.generic, headers.invalid);
      this.hopSettled(ex);
      return;
    }
    this.inFlight.add(ex);
    ex.run(
      {
        method: wireMethod(run.hopMethod), path: target.path, headers: headers as unknown as Record<string, string>, body: run.hopBody,
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
    at: SampleContext,
    method: string,
    url: string,
    nameTag: string | undefined,
    userTags: Readonly<Record<string, string>> | undefined,
    ex: SampleSource,
    failure: HttpFailure | undefined,
    callback: ExpectedStatuses | null,
  ): void {
    if (this.signalAborted()) return;
    const status = failure === undefined ? ex.status : 0;
    const expected = callback === null ? undefined : callback.matches(status);
    const tags = this.tagCache.tagsFor(at.stateTags, {
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
    at.sink.addMany(tags, s);
  }

  /**
   * The body of a final round trip as the script gets it (null for responseType "none", and for the
   * statuses that never have content: 1xx, 204 and 304, which k6's readResponseBody does not read),
   * or the failure when its Content-Encoding cannot be undone (k6 error_code 1701).
   */
  private responseBody(ex: Exchange, responseType: ResponseType): string | ArrayBuffer | null | DecompressionFailure {
    if (responseType === 'none' || ex.status < 200 || ex.status === 204 || ex.status === 304) return null;
    let bytes: Buffer;
    try {
      bytes = decodeBody(ex.chunks, ex.bodyLength, rawHeaderValue(ex.rawHeaders, 'content-encoding'));
    } catch (err) {
      if (err instanceof BodyDecodeError) return new DecompressionFailure(err.message, err.code);
      return new DecompressionFailure(`error decompressing response body (${(err as Error).message})`, ERROR_CODE.decompression);
    }
    return responseType === 'binary' ? this.buffers.arrayBuffer(bytes) : bytes.toString('utf8');
  }

  /** A Response of a round trip; after a failure (`failure` set) status 0 and no headers, as in k6. */
  private buildResponse(
    ex: Exchange,
    run: RequestRun,
    target: ParsedTarget,
    failure: HttpFailure | undefined,
    resBody: string | ArrayBuffer | null,
  ): Response {
    const ok = failure === undefined;
    const res = new Response({
      status: ok ? ex.status : 0,
      status_text: ok ? statusLine(ex.status, ex.statusText) : '',
      body: resBody,
      rawHeaders: ok ? ex.rawHeaders : NO_RAW_HEADERS,
      timings: ex.timings,
      url: target.text,
      remote_ip: ex.remoteIp,
      remote_port: ex.remotePort,
      proto: ok ? ex.proto : '',
      tls_version: ex.tlsVersion ?? '',
      tls_cipher_suite: ex.tlsCipherSuite ?? '',
      error: ok ? '' : failure.message,
      error_code: ok ? (ex.status >= 400 ? 1000 + ex.status : 0) : failure.code,
      request: requestRecord(run.method, run.requestUrl, run.firstHeaders, run.requestBody, run.params, this.defaultHeaders, this.defaultRecordHeaders),
      requester: this.requester,
      parseJson: this.parseJson,
    });
    return res;
  }

  /**
   * Answers a request that was never sent. One k6 could not prepare gets k6's bare error and an
   * empty body; one Go's transport refused (`atSend`) is measured like a sent request, with status 0.
   */
  private failEarly(early: EarlyFailure): Response {
    const { failure, method, url, atSend } = early;
    if (atSend === undefined) {
      const res = unsentResponse(method, url, failure.message, failure.code, this.requester, '');
      return this.failed(res, failure, method, url, early.throwErrors, false);
    }
    this.emit({ stateTags: this.host.state.tags, sink: this.host.samples }, method, url, atSend.nameTag, atSend.userTags, UNSENT, failure, atSend.callback);
    const res = unsentResponse(method, url, failure.message, failure.code, this.requester, null);
    return this.failed(res, failure, method, url, early.throwErrors, true);
  }

  private failed(res: Response, failure: HttpFailure, method: string, url: string, throwErrors: boolean, prefixed: boolean): Response {
    const err = new HttpRequestError(failure, method, url, prefixed);
    if (throwErrors) throw err;
    if (this.signalAborted()) return res; // the VU is being interrupted: nobody reads this
    this.host.log.warn('Request Failed', { error: err.message });
    return res;
  }
}

/** A body whose Content-Encoding could not be undone. */
class DecompressionFailure implements HttpFailure {
  constructor(
    readonly message: string,
    readonly code: number,
  ) {}
}
