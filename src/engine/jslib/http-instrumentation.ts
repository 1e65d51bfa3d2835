// Built-in https://jslib.k6.io/http-instrumentation-tempo/<version>/index.js and
// …/http-instrumentation-pyroscope/<version>/index.js, as k6's docs describe them and as the published
// versions behave. Both expose `Client` (the k6/http verbs plus request and asyncRequest, no batch) and
// `instrumentHTTP(...)`, which swaps the VU's k6/http functions for a client's, so every later call of
// `http.get()` & co. carries the extra headers.
//
// tempo: a trace context per request, `traceparent: 00-<trace>-<span>-<01|00>` (w3c) or
// `uber-trace-id: <trace>:<span>:0:<1|0>` (jaeger); the trace id (32 hex digits, k6's `dc0718` prefix,
// the time, random bytes) is set as `trace_id` metadata for the request's samples. `sampling` (0..1,
// default 1) decides the sampled flag. The params object the script passed gets the header (as the
// jslib assigns it into `params.headers`).
// pyroscope: a `baggage` header naming the test run (`__ENV.K6_CLOUDRUN_TEST_RUN_ID`), the scenario
// and the request's `name` tag (or URL); a `baggage` of the script's own is kept beside it. A custom
// `generateHeaders(url, body, params)` replaces the default.
//
// The code runs in the script realm, so the thrown strings, objects and classes are the script's. It
// calls the VU's own k6/http functions: a blocking call's promise goes back to the call site as it came.
import vm from 'node:vm';

export interface InstrumentationDeps {
  /** The VU's k6/http module object (its functions are replaced by instrumentHTTP). */
  http: object;
  /** The VU's k6/execution module. */
  execution: object;
  /** `__ENV` as the VU sees it. */
  env: () => Readonly<Record<string, string>>;
  /** Cryptographically random bytes. */
  randomBytes: (n: number) => Uint8Array;
  /** The VU's clock, epoch ms. */
  now: () => number;
}

const SHARED = `
  const VERBS_WITH_BODY = ['del', 'options', 'patch', 'post', 'put'];
  const METHOD = { del: 'DELETE', options: 'OPTIONS', patch: 'PATCH', post: 'POST', put: 'PUT' };
  // (body, params) as the verb helpers pass them on, with params made to hold the headers.
  function withHeaders(args, add) {
    if (args.length < 2) {
      const body = args.length === 0 ? null : args[0];
      return [body, { headers: add(undefined) }];
    }
    const out = args.slice();
    if (out[1] == null) out[1] = {};
    out[1].headers = add(out[1].headers);
    return out;
  }
  function verbs(proto) {
    proto.get = function (url, ...rest) { return this.request('GET', url, null, ...rest); };
    proto.head = function (url, ...rest) { return this.request('HEAD', url, null, ...rest); };
    for (const verb of VERBS_WITH_BODY) {
      proto[verb] = function (url, ...rest) { return this.request(METHOD[verb], url, ...rest); };
    }
  }
  function install(http, client) {
    for (const name of ['get', 'head', 'request', 'asyncRequest', ...VERBS_WITH_BODY]) {
      http[name] = client[name].bind(client);
    }
  }
`;

const TEMPO_SOURCE = `(function (http, execution, randomBytes, now) {
  'use strict';
  ${SHARED}
  const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  const randomHex = (digits) => {
    let s = '';
    while (s.length < digits) s += Math.floor(Math.random() * 16).toString(16);
    return s;
  };
  // 16 bytes: k6's 3-byte prefix, the clock in nanoseconds divided by 256 (leading zero bytes left
  // out), then random bytes.
  function traceId() {
    let t = (BigInt(Math.trunc(now())) * 1000000n) >> 8n;
    const time = [];
    while (t > 0n && time.length < 8) { time.unshift(Number(t & 0xffn)); t >>= 8n; }
    return 'dc0718' + hex(time) + hex(randomBytes(13 - time.length));
  }
  const PROPAGATORS = {
    w3c: (sampled, id) => ({ traceparent: '00-' + id + '-' + randomHex(16) + '-' + (sampled ? '01' : '00') }),
    jaeger: (sampled, id) => ({ 'uber-trace-id': id + ':' + randomHex(8) + ':0:' + (sampled ? '1' : '0') }),
  };
  function sampler(rate) {
    if (rate < 0 || rate > 1) throw 'sampling rate must be between 0.0 and 1.0';
    if (rate === undefined || rate === 1) return () => true;
    if (rate === 0) return () => false;
    return () => Math.random() < rate;
  }
  class Client {
    #propagate;
    #sampled;
    #request;
    #asyncRequest;
    constructor(opts, request = http.request, asyncRequest = http.asyncRequest) {
      this.configure(opts);
      this.#request = request;
      this.#asyncRequest = asyncRequest;
    }
    configure(opts) {
      this.#sampled = sampler(opts.sampling);
      const propagate = Object.hasOwn(PROPAGATORS, opts.propagator) ? PROPAGATORS[opts.propagator] : undefined;
      if (propagate === undefined) throw 'unknown propagator: ' + opts.propagator;
      this.#propagate = propagate;
    }
    #traced(send, method, url, args) {
      const id = traceId();
      const context = this.#propagate(this.#sampled(), id);
      const sent = withHeaders(args, (headers) => Object.assign(headers == null ? {} : headers, context));
      const metadata = execution.vu.metrics.metadata;
      metadata.trace_id = id;
      try {
        return send(method, url, ...sent);
      } finally {
        delete metadata.trace_id;
      }
    }
    request(method, url, ...args) { return this.#traced(this.#request, method, url, args); }
    async asyncRequest(method, url, ...args) { return await this.#traced(this.#asyncRequest, method, url, args); }
  }
  verbs(Client.prototype);
  function instrumentHTTP(opts) {
    install(http, new Client(opts, http.request, http.asyncRequest));
  }
  const api = { Client, instrumentHTTP };
  return { ...api, default: api };
})`;

const PYROSCOPE_SOURCE = `(function (http, execution, env) {
  'use strict';
  ${SHARED}
  function baggage(url, _body, params) {
    const name = params && params.tags && params.tags.name ? params.tags.name : url;
    return { baggage: ['k6.test_run_id=' + env().K6_CLOUDRUN_TEST_RUN_ID, 'k6.scenario=' + execution.scenario.name, 'k6.name=' + name] };
  }
  // A header the script set too becomes a list: its values, then the added ones.
  function merge(headers, added) {
    const out = headers == null ? {} : headers;
    for (const key in added) out[key] = [].concat(out[key] || [], added[key]);
    return out;
  }
  class Client {
    generateHeaders;
    #request;
    #asyncRequest;
    constructor(generateHeaders, request = http.request, asyncRequest = http.asyncRequest) {
      this.generateHeaders = generateHeaders == null ? baggage : generateHeaders;
      this.#request = request;
      this.#asyncRequest = asyncRequest;
    }
    #args(url, args) {
      const added = this.generateHeaders(url, ...args);
      return args.length < 2 ? withHeaders(args, () => added) : withHeaders(args, (headers) => merge(headers, added));
    }
    request(method, url, ...args) { return this.#request(method, url, ...this.#args(url, args)); }
    // The published jslib awaits the request and resolves to undefined, not the Response.
    async asyncRequest(method, url, ...args) { await this.#asyncRequest(method, url, ...this.#args(url, args)); }
  }
  verbs(Client.prototype);
  function instrumentHTTP() {
    install(http, new Client(null, http.request, http.asyncRequest));
  }
  const api = { Client, instrumentHTTP };
  return { ...api, default: api };
})`;

let tempoScript: vm.Script | undefined;
let pyroscopeScript: vm.Script | undefined;

/** http-instrumentation-tempo's exports in the script realm `context`. */
export function createTempoModule(context: vm.Context, deps: InstrumentationDeps): Record<string, unknown> {
  tempoScript ??= new vm.Script(TEMPO_SOURCE, { filename: 'https://jslib.k6.io/http-instrumentation-tempo/index.js' });
  const make = tempoScript.runInContext(context) as (...a: unknown[]) => Record<string, unknown>;
  return make(deps.http, deps.execution, deps.randomBytes, deps.now);
}

/** http-instrumentation-pyroscope's exports in the script realm `context`. */
export function createPyroscopeModule(context: vm.Context, deps: InstrumentationDeps): Record<string, unknown> {
  pyroscopeScript ??= new vm.Script(PYROSCOPE_SOURCE, { filename: 'https://jslib.k6.io/http-instrumentation-pyroscope/index.js' });
  const make = pyroscopeScript.runInContext(context) as (...a: unknown[]) => Record<string, unknown>;
  return make(deps.http, deps.execution, deps.env);
}
