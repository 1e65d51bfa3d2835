// k6's Request, Response, ConsoleMessage and MetricEvent (browser/request_mapping.go,
// response_mapping.go, console_message_mapping.go, metric_event_mapping.go) over Playwright's.
import type * as Pw from 'playwright-core';
import type { Facades } from './facades.ts';
import { argumentError } from './browser-calls.ts';
import { isRegExp } from './browser-options.ts';

export class RequestFacade {
  readonly #f: Facades;
  readonly #r: Pw.Request;

  constructor(f: Facades, r: Pw.Request) {
    this.#f = f;
    this.#r = r;
  }

  allHeaders(): Promise<unknown> {
    return this.#f.calls.promise(() => this.#r.allHeaders(), (h) => this.#f.calls.toScript(h));
  }

  frame(): unknown {
    return this.#f.frame(this.#r.frame());
  }

  headerValue(name: unknown): Promise<unknown> {
    return this.#f.calls.promise(() => this.#r.headerValue(String(name)));
  }

  headers(): unknown {
    return this.#f.calls.toScript(this.#r.headers());
  }

  headersArray(): Promise<unknown> {
    return this.#f.calls.promise(() => this.#r.headersArray(), (h) => this.#f.calls.toScript(h));
  }

  isNavigationRequest(): boolean {
    return this.#r.isNavigationRequest();
  }

  method(): string {
    return this.#r.method();
  }

  postData(): string | null {
    return this.#r.postData();
  }

  postDataBuffer(): unknown {
    const b = this.#r.postDataBuffer();
    return b === null ? null : this.#f.calls.realm.arrayBuffer(b);
  }

  resourceType(): string {
    return this.#r.resourceType();
  }

  response(): Promise<unknown> {
    return this.#f.calls.promise(() => this.#r.response(), (r) => this.#f.response(r));
  }

  /** k6's size is synchronous: the body's bytes and the headers as k6 counts them (name: value\r\n). */
  size(): unknown {
    const headers = Object.entries(this.#r.headers()).reduce((n, [k, v]) => n + k.length + v.length + 4, 0);
    return this.#f.calls.realm.object({ body: this.#r.postDataBuffer()?.length ?? 0, headers });
  }

  timing(): unknown {
    return this.#f.calls.toScript(this.#r.timing());
  }

  url(): string {
    return this.#r.url();
  }

  failure(): unknown {
    const fail = this.#r.failure();
    return fail === null ? null : this.#f.calls.realm.object({ errorText: fail.errorText });
  }
}

export class ResponseFacade {
  readonly #f: Facades;
  readonly #r: Pw.Response;

  constructor(f: Facades, r: Pw.Response) {
    this.#f = f;
    this.#r = r;
  }

  #run<T>(work: () => Promise<T>, map?: (v: T) => unknown): Promise<unknown> {
    return this.#f.calls.promise(work, map);
  }

  allHeaders(): Promise<unknown> {
    return this.#run(() => this.#r.allHeaders(), (h) => this.#f.calls.toScript(h));
  }

  body(): Promise<unknown> {
    return this.#run(() => this.#r.body(), (b) => this.#f.calls.realm.arrayBuffer(b));
  }

  frame(): unknown {
    return this.#f.frame(this.#r.frame());
  }

  headerValue(name: unknown): Promise<unknown> {
    return this.#run(() => this.#r.headerValue(String(name)));
  }

  headerValues(name: unknown): Promise<unknown> {
    return this.#run(() => this.#r.headerValues(String(name)), (v) => this.#f.calls.array(v));
  }

  headers(): unknown {
    return this.#f.calls.toScript(this.#r.headers());
  }

  headersArray(): Promise<unknown> {
    return this.#run(() => this.#r.headersArray(), (h) => this.#f.calls.toScript(h));
  }

  json(): Promise<unknown> {
    return this.#run(() => this.#r.text(), (t) => this.#f.calls.realm.parseJson(t));
  }

  ok(): boolean {
    return this.#r.ok();
  }

  request(): unknown {
    return this.#f.request(this.#r.request());
  }

  securityDetails(): Promise<unknown> {
    return this.#run(() => this.#r.securityDetails(), (d) => this.#f.calls.toScript(d));
  }

  serverAddr(): Promise<unknown> {
    return this.#run(() => this.#r.serverAddr(), (a) => this.#f.calls.toScript(a));
  }

  size(): Promise<unknown> {
    return this.#run(() => this.#r.request().sizes(), (s) => this.#f.calls.realm.object({
      body: Math.max(0, s.responseBodySize),
      headers: Math.max(0, s.responseHeadersSize),
    }));
  }

  status(): number {
    return this.#r.status();
  }

  statusText(): string {
    return this.#r.statusText();
  }

  url(): string {
    return this.#r.url();
  }

  text(): Promise<unknown> {
    return this.#run(() => this.#r.text());
  }
}

export class ConsoleMessageFacade {
  readonly #f: Facades;
  readonly #m: Pw.ConsoleMessage;

  constructor(f: Facades, m: Pw.ConsoleMessage) {
    this.#f = f;
    this.#m = m;
  }

  args(): unknown {
    return this.#f.calls.array(this.#m.args().map((h) => this.#f.jsHandle(h)));
  }

  page(): unknown {
    const p = this.#m.page();
    return p === null ? null : this.#f.page(p);
  }

  text(): string {
    return this.#m.text();
  }

  type(): string {
    return this.#m.type();
  }
}

/**
 * page.on('metric')'s event: `tag({ name, matches: [{ url: /re/, method }] })` names the metric's
 * `url` and `name` tags when its URL (and method, when given) matches (k6 common/page.go MetricEvent.Tag);
 * a later matching call names it again.
 */
export class MetricEventFacade {
  readonly url: string;
  readonly method: string;
  /** The name a handler gave, if any. */
  named: string | undefined;

  constructor(url: string, method: string) {
    this.url = url;
    this.method = method;
  }

  tag(opts: unknown): void {
    const o = opts !== null && typeof opts === 'object' ? opts as Record<string, unknown> : {};
    const raw = o.name === undefined || o.name === null ? '' : String(o.name);
    const name = raw.trim();
    if (name === '') throw argumentError(`name ${JSON.stringify(raw)} is invalid`);
    for (const m of Array.isArray(o.matches) ? o.matches as unknown[] : []) {
      const match = m !== null && typeof m === 'object' ? m as Record<string, unknown> : {};
      const method = typeof match.method === 'string' ? match.method.trim().toUpperCase() : '';
      const valid = ['', 'GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE', 'CONNECT'];
      // k6 names the method as given (%q).
      if (!valid.includes(method)) throw argumentError(`method "${String(match.method)}" is invalid`);
      if (method !== '' && method !== this.method.toUpperCase()) continue;
      const re = match.url;
      if (!isRegExp(re)) continue;
      if (new RegExp(re.source, re.flags).test(this.url)) {
        this.named = name;
        return;
      }
    }
  }
}
