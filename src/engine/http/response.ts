import { Cookie } from 'tough-cookie';
import type { HopTimings } from './exchange.ts';
import { gjsonGet } from './gjson-path.ts';

// The object scripts get back from http.get() & co. Fields mirror k6's Response (snake_case data,
// camelCase methods). Everything is a plain own property so that reading it costs nothing and
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
  headers: Record<string, string>;
  cookies: Record<string, ResponseCookie[]>;
  timings: HopTimings;
  url: string;
  remote_ip: string;
  remote_port: number;
  proto: string;
  tls_version: string;
  error: string;
  error_code: number;
  request: ResponseRequest;
}

const UNPARSED = Symbol('unparsed');
const NO_OCSP = Object.freeze({ status: 'unknown' });

export class Response {
  status: number;
  status_text: string;
  body: string | ArrayBuffer | null;
  headers: Record<string, string>;
  cookies: Record<string, ResponseCookie[]>;
  timings: HopTimings;
  url: string;
  remote_ip: string;
  remote_port: number;
  proto: string;
  tls_version: string;
  tls_cipher_suite: string;
  ocsp: { status: string };
  error: string;
  error_code: number;
  request: ResponseRequest;
  #parsed: unknown = UNPARSED;

  constructor(init: ResponseInit) {
    this.status = init.status;
    this.status_text = init.status_text;
    this.body = init.body;
    this.headers = init.headers;
    this.cookies = init.cookies;
    this.timings = init.timings;
    this.url = init.url;
    this.remote_ip = init.remote_ip;
    this.remote_port = init.remote_port;
    this.proto = init.proto;
    this.tls_version = init.tls_version;
    this.tls_cipher_suite = '';
    this.ocsp = NO_OCSP;
    this.error = init.error;
    this.error_code = init.error_code;
    this.request = init.request;
  }

  /** The body parsed as JSON, or a gjson path in it (undefined when the JSON is bad or the path is missing). */
  json(path?: string): unknown {
    if (this.body === null) throw new Error('the body is null so we can\'t transform it to JSON - this likely was because of a request error getting the response');
    if (this.#parsed === UNPARSED) {
      const text = typeof this.body === 'string' ? this.body : Buffer.from(this.body).toString('utf8');
      try {
        this.#parsed = JSON.parse(text);
      } catch (err) {
        if (path !== undefined && path !== null) return undefined;
        throw new SyntaxError(`cannot parse json due to an error: ${(err as Error).message}`);
      }
    }
    if (path === undefined || path === null) return this.#parsed;
    return gjsonGet(this.#parsed, String(path));
  }

  html(): never {
    throw new Error('Response.html() is not supported by this engine (k6/html is not available)');
  }
}

// A bounded memo of a pure function: responses repeat the same few header names, and sharing it
// between the VUs of a worker is safe because the result never depends on the caller.
const canonicalMemo = new Map<string, string>();
const MAX_MEMO = 1024;

/** Go's http.CanonicalHeaderKey: "content-type" → "Content-Type". */
export function canonicalHeaderKey(name: string): string {
  let out = canonicalMemo.get(name);
  if (out === undefined) {
    out = canonicalize(name);
    if (canonicalMemo.size >= MAX_MEMO) canonicalMemo.clear();
    canonicalMemo.set(name, out);
  }
  return out;
}

function canonicalize(name: string): string {
  let out = '';
  let upper = true;
  for (let i = 0; i < name.length; i++) {
    const ch = name[i] as string;
    if (ch === ' ') return name; // Go leaves keys with spaces untouched
    out += upper ? ch.toUpperCase() : ch.toLowerCase();
    upper = ch === '-';
  }
  return out;
}

export function parseResponseCookies(setCookies: readonly string[]): Record<string, ResponseCookie[]> {
  const out: Record<string, ResponseCookie[]> = {};
  for (const raw of setCookies) {
    const c = Cookie.parse(raw, { loose: true });
    if (!c) continue;
    const expires = c.expires instanceof Date ? c.expires.getTime() : 0;
    const maxAge = typeof c.maxAge === 'number' ? c.maxAge : 0;
    (out[c.key] ??= []).push({
      name: c.key,
      value: c.value,
      domain: c.domain ?? '',
      path: c.path ?? '',
      http_only: c.httpOnly,
      secure: c.secure,
      max_age: maxAge,
      expires,
    });
  }
  return out;
}
