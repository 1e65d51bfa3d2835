import type { HopTimings } from './exchange.ts';
import { gjsonGet } from './gjson-path.ts';
import { parseGoSetCookie } from './go-set-cookie.ts';
import { k6JsonErrorMessage } from './go-json-syntax.ts';
import { goError } from '../vu/go-error.ts';
import { CONSOLE_VIEW } from '../vu/vu-console.ts';
import { headersObject, rawHeaderValues } from './raw-headers.ts';
import { HtmlDocument, type Selection } from '../modules/html/html-module.ts';
import { formSubmission, linkNavigation } from './response-navigation.ts';

// The object scripts get back from http.get() & co. Fields mirror k6's Response (snake_case data,
// camelCase methods). The data are plain own properties, except `headers` and `cookies`: accessors that
// build their objects from the raw headers on first read (most scripts never read them, and building
// them costs a string per header name and value on every request). toJSON() lists them all, so
// JSON.stringify(res) looks like k6's.

export interface ResponseCookie {
  name: string;
  value: string;
  domain: string;
  path: string;
  http_only: boolean;
  secure: boolean;
  max_age: number;
  expires: number;
}

export interface RequestCookie {
  name: string;
  value: string;
  replace: boolean;
}

export interface ResponseRequest {
  method: string;
  url: string;
  headers: Record<string, string[]>;
  body: string;
  cookies: Record<string, RequestCookie[]>;
}

export interface ResponseInit {
  status: number;
  status_text: string;
  body: string | ArrayBuffer | null;
  /**
   * The response headers as undici delivered them ([name, value, …] Buffers): `headers` and `cookies`
   * are built from them when a script first reads them, not on every request.
   */
  rawHeaders: readonly Buffer[];
  requester?: ResponseRequester | undefined;
  /** JSON.parse of the script realm, so what res.json() returns is `instanceof Object`/`Array` there. */
  parseJson?: ((text: string) => unknown) | undefined;
  timings: HopTimings;
  url: string;
  remote_ip: string;
  remote_port: number;
  proto: string;
  tls_version: string;
  tls_cipher_suite?: string;
  error: string;
  error_code: number;
  request: ResponseRequest;
}

/** Makes a k6/http request of the VU that received a response (used by submitForm/clickLink). */
export type ResponseRequester = (method: string, url: string, body: unknown, params: unknown) => unknown;

const UNPARSED = Symbol('unparsed');
/** For responses that never got one (failed before an answer). */
export const NO_RAW_HEADERS: readonly Buffer[] = Object.freeze([]);
/**
 * k6's netext.OCSP as the script sees it (its json names). Stapled OCSP responses are not read, so a
 * TLS response has k6's "unknown" with zeros (what k6 gives a server that staples none); a response
 * without TLS keeps Go's zero struct, status "".
 */
export interface ResponseOcsp {
  produced_at: number;
  this_update: number;
  next_update: number;
  revoked_at: number;
  revocation_reason: string;
  status: string;
}
const ocspOf = (status: string): Readonly<ResponseOcsp> =>
  Object.freeze({ produced_at: 0, this_update: 0, next_update: 0, revoked_at: 0, revocation_reason: '', status });
const OCSP_UNKNOWN = ocspOf('unknown');
const NO_TLS_OCSP = ocspOf('');

export class Response {
  status: number;
  status_text: string;
  body: string | ArrayBuffer | null;
  timings: HopTimings;
  url: string;
  remote_ip: string;
  remote_port: number;
  proto: string;
  tls_version: string;
  tls_cipher_suite: string;
  ocsp: Readonly<ResponseOcsp>;
  error: string;
  error_code: number;
  request: ResponseRequest;
  #parsed: unknown = UNPARSED;
  #rawHeaders: readonly Buffer[];
  #headers: Record<string, string> | undefined = undefined;
  #cookies: Record<string, ResponseCookie[]> | undefined = undefined;
  /** What submitForm()/clickLink() request through: the k6/http module that made this response. */
  #requester: ResponseRequester | undefined;
  #parseJson: ((text: string) => unknown) | undefined;


  constructor(init: ResponseInit) {
    this.status = init.status;
    this.status_text = init.status_text;
    this.body = init.body;
    this.#rawHeaders = init.rawHeaders;
    this.#requester = init.requester;
    this.#parseJson = init.parseJson;
    this.timings = init.timings;
    this.url = init.url;
    this.remote_ip = init.remote_ip;
    this.remote_port = init.remote_port;
    this.proto = init.proto;
    this.tls_version = init.tls_version;
    this.tls_cipher_suite = init.tls_cipher_suite ?? '';
    this.ocsp = this.tls_version === '' ? NO_TLS_OCSP : OCSP_UNKNOWN;
    this.error = init.error;
    this.error_code = init.error_code;
    this.request = init.request;
  }

  /** Canonical header keys, repeated values joined with ", " (Go's http.Header as k6 shows it). */
  get headers(): Record<string, string> {
    return (this.#headers ??= headersObject(this.#rawHeaders));
  }

  set headers(value: Record<string, string>) {
    this.#headers = value;
  }

  /** The cookies the response set, by name. */
  get cookies(): Record<string, ResponseCookie[]> {
    return (this.#cookies ??= parseResponseCookies(rawHeaderValues(this.#rawHeaders, 'set-cookie')));
  }

  set cookies(value: Record<string, ResponseCookie[]>) {
    this.#cookies = value;
  }

  /** The plain fields and the two lazy ones, in k6's order: what JSON.stringify(res) shows. */
  toJSON(): Record<string, unknown> {
    // The order of k6's httpext.Response fields, which sobek's JSON.stringify walks (grafana/k6#3281 shows it).
    return {
      remote_ip: this.remote_ip, remote_port: this.remote_port, url: this.url, status: this.status, status_text: this.status_text,
      proto: this.proto, headers: this.headers, cookies: this.cookies, body: this.body, timings: this.timings,
      tls_version: this.tls_version, tls_cipher_suite: this.tls_cipher_suite, ocsp: this.ocsp, error: this.error,
      error_code: this.error_code, request: this.request,
    };
  }

  /**
   * What k6's console.log walks: sobek lists a Go object's fields, then its methods by Go name
   * (ClickLink, HTML, JSON, SubmitForm), which console.go prints as `[object Function]`.
   */
  [CONSOLE_VIEW](): Record<string, unknown> {
    return { ...this.toJSON(), clickLink: this.clickLink, html: this.html, json: this.json, submitForm: this.submitForm };
  }

  /** The body parsed as JSON, or a gjson path in it (undefined when the JSON is bad or the path is missing). */
  json(path?: string): unknown {
    if (this.body === null) throw goError('the body is null so we can\'t transform it to JSON - this likely was because of a request error getting the response');
    if (this.#parsed === UNPARSED) {
      const text = typeof this.body === 'string' ? this.body : Buffer.from(this.body).toString('utf8');
      try {
        this.#parsed = this.#parseJson === undefined ? JSON.parse(text) : this.#parseJson(text);
      } catch {
        if (path !== undefined && path !== null) return undefined;
        const bytes = typeof this.body === 'string' ? Buffer.from(this.body) : new Uint8Array(this.body);
        throw goError(k6JsonErrorMessage(bytes));
      }
    }
    if (path === undefined || path === null) return this.#parsed;
    const found = gjsonGet(this.#parsed, String(path));
    // A query (`#`, modifiers) builds new arrays and objects here: give the script its own.
    return this.#parseJson !== undefined && found instanceof Object ? this.#parseJson(JSON.stringify(found)) : found;
  }

  /** The body parsed as HTML (k6/html's Selection, URLs resolved against this response's), or `find(selector)` in it. */
  html(selector?: unknown): Selection {
    if (this.body === null) throw goError('the body is null so we can\'t transform it to HTML - this likely was because of a request error getting the response');
    const text = typeof this.body === 'string' ? this.body : Buffer.from(this.body).toString('utf8');
    const doc = HtmlDocument.parse(text, this.url);
    return selector === undefined ? doc : doc.find(selector);
  }

  /** Submits a form of this page (k6: formSelector, submitSelector, fields, params); blocks like http.request. */
  submitForm(options?: unknown): unknown {
    const req = formSubmission(this, options);
    return this.#request('submitForm').call(undefined, req.method, req.url, req.body, req.params);
  }

  /** Follows a link of this page (k6: selector, default a[href]; params); blocks like http.get. */
  clickLink(options?: unknown): unknown {
    const req = linkNavigation(this, options);
    return this.#request('clickLink').call(undefined, req.method, req.url, req.body, req.params);
  }

  #request(method: string): ResponseRequester {
    if (this.#requester === undefined) throw new Error(`${method}() works only on a response of a k6/http request`);
    return this.#requester;
  }
}

/**
 * k6 gives a cookie without Expires Go's zero time in ms, c.Expires.UnixNano() / 1e6: the year-1
 * nanoseconds overflow int64, so that is -6795364578871, not 0.
 */
const GO_ZERO_TIME_MS = -6795364578871;

export function parseResponseCookies(setCookies: readonly string[]): Record<string, ResponseCookie[]> {
  const out: Record<string, ResponseCookie[]> = {};
  for (const raw of setCookies) {
    // Go's res.Cookies(): the lines it cannot parse are left out, values unquoted, Domain as written.
    const c = parseGoSetCookie(raw);
    if (c === undefined) continue;
    (out[c.name] ??= []).push({
      name: c.name,
      value: c.value,
      domain: c.domain,
      path: c.path,
      http_only: c.httpOnly,
      secure: c.secure,
      max_age: c.maxAge,
      expires: c.expires === undefined ? GO_ZERO_TIME_MS : c.expires.getTime(),
    });
  }
  return out;
}

/**
 * The Response of a request that was never sent (a bad URL or argument, a batch entry that could
 * not be prepared): status 0, zero timings, `error` and `error_code` set. `body`: k6 gives one it
 * could not prepare an empty body (res.html() works on it, res.json() throws "unexpected end of
 * JSON input"), one its transport refused none (null).
 */
export function unsentResponse(
  method: string, url: string, error: string, errorCode: number, requester?: ResponseRequester, body: '' | null = '',
): Response {
  return new Response({
    status: 0, status_text: '', body, rawHeaders: NO_RAW_HEADERS,
    timings: { duration: 0, blocked: 0, looking_up: 0, connecting: 0, tls_handshaking: 0, sending: 0, waiting: 0, receiving: 0 },
    url, remote_ip: '', remote_port: 0, proto: '', tls_version: '', error, error_code: errorCode,
    request: { method, url, headers: {}, body: '', cookies: {} },
    requester,
  });
}
