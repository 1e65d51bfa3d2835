// Built-in https://jslib.k6.io/httpx/<version>/index.js: the `Httpx` session of grafana/k6-jslib-httpx
// (base URL, session headers, tags and other params merged under each call's own) and its request
// classes, written from k6's documentation. The classes live in the script realm; every request goes
// through the VU's own k6/http module, so it blocks like http.get, emits the same metrics and honours
// the same params. A k6/http call returns a blocking promise: the session's bookkeeping runs when it
// settles and the call site gets a blocking promise of the Response, as if it had called http itself.
import vm from 'node:vm';
import { isThenable } from '../vu/blocking.ts';

/** The parts of the VU's k6/http module a session calls. */
export interface HttpxHttp {
  request(method: unknown, url: unknown, body?: unknown, params?: unknown): unknown;
  asyncRequest(method: unknown, url: unknown, body?: unknown, params?: unknown): unknown;
  batch(requests: unknown): unknown;
}

export interface HttpxEnv {
  /** The VU's k6/http module. */
  readonly http: HttpxHttp;
  /** Marks a promise as blocking (VuHost.block), so the script's call site waits for it. */
  block<T>(p: Promise<T>): Promise<T>;
}

const SOURCE = `(function (http, after) {
  'use strict';
  const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH'];
  // An http.url\`…\` template: the request goes to its url, tagged with its name.
  const isTemplate = (u) => u !== null && typeof u === 'object' && typeof u.url === 'string' && typeof u.name === 'string';

  function mergeParams(base, over) {
    const b = base || {};
    const o = over || {};
    const merged = Object.assign({}, b, o);
    merged.headers = Object.assign({}, b.headers, o.headers);
    merged.tags = Object.assign({}, b.tags, o.tags);
    return merged;
  }

  class Request {
    constructor(method, url, params) {
      const own = Object.assign({}, params);
      this.method = method;
      this.url = url;
      this.body = own.body || null;
      delete own.body;
      this.params = own;
      if (isTemplate(url)) {
        this.url = url.url;
        this.addTag('name', url.name);
      }
    }
    addHeader(name, value) {
      this.params.headers = Object.assign({}, this.params.headers, { [name]: value });
      return this;
    }
    addTag(name, value) {
      this.params.tags = Object.assign({}, this.params.tags, { [name]: value });
      return this;
    }
  }

  const verbs = {};
  for (const [name, method] of [['Get', 'GET'], ['Head', 'HEAD'], ['Post', 'POST'], ['Put', 'PUT'], ['Delete', 'DELETE'],
    ['Connect', 'CONNECT'], ['Options', 'OPTIONS'], ['Trace', 'TRACE'], ['Patch', 'PATCH']]) {
    verbs[name] = ({ [name]: class extends Request {
      constructor(url, params) { super(method, url, params); }
    } })[name];
  }

  class Httpx {
    constructor(opts) {
      const {
        baseURL = '',
        errorMetricCondition = (r) => r.status >= 200 && r.status <= 399,
        errorMetric = null,
        headers = {},
        tags = {},
        ...rest
      } = opts === undefined ? {} : opts;
      this.k6params = Object.assign({ headers, tags }, rest);
      this.baseURL = baseURL;
      this.lastRequest = { responseObject: null, responseChainDuration: null };
      this.errorMetric = errorMetric;
      this.errorMetricCondition = errorMetricCondition;
    }

    get lastRequestChainDuration() { return this.lastRequest.responseChainDuration; }

    setBaseUrl(baseURL) { this.baseURL = baseURL; }
    addHeader(name, value) { this.k6params.headers = Object.assign(this.k6params.headers, { [name]: value }); }
    addHeaders(headers) { this.k6params.headers = Object.assign(this.k6params.headers, headers); }
    clearHeader(name) { delete this.k6params.headers[name]; }
    addTag(name, value) { this.k6params.tags = Object.assign(this.k6params.tags, { [name]: value }); }
    addTags(tags) { this.k6params.tags = Object.assign(this.k6params.tags, tags); }
    clearTag(name) { delete this.k6params.tags[name]; }

    /** Merges params2 over params1; headers and tags key by key. */
    _merge_params(params1, params2) { return mergeParams(params1, params2); }
    _getMergedSessionParams(params) { return mergeParams(this.k6params, params); }

    validateMethod(method) {
      if (!METHODS.includes(method)) throw new Error('Invalid method: ' + method + '. Expected one of ' + METHODS);
    }

    /** The URL a call goes to: a template's url (its name becomes the name tag), relative ones after baseURL. */
    _target(url, params) {
      let u = url;
      if (isTemplate(u)) {
        params.tags.name = u.name;
        u = u.url;
      }
      u = String(u);
      return u.startsWith('http') ? u : this.baseURL + u;
    }

    postRequestHook(response, params, start, end) {
      if (this.errorMetric) {
        const succeeded = (params.expect || this.errorMetricCondition)(response);
        this.errorMetric.add(!succeeded);
      }
      this.lastRequest.responseObject = response;
      this.lastRequest.responseChainDuration = end - start;
    }

    request(method, url, body, params) {
      if (arguments.length < 2) throw new Error('Invalid number of arguments for request(). Provide at least Method and URL.');
      this.validateMethod(method);
      const merged = this._getMergedSessionParams(params);
      const target = this._target(url, merged);
      const start = new Date();
      return after(http.request(method, target, body, merged), (response) => {
        this.postRequestHook(response, merged, start, new Date());
        return response;
      });
    }

    asyncRequest(method, url, body, params) {
      if (arguments.length < 2) throw new Error('Invalid number of arguments for asyncRequest(). Provide at least Method and URL.');
      this.validateMethod(method);
      const merged = this._getMergedSessionParams(params);
      return http.asyncRequest(method, this._target(url, merged), body, merged);
    }

    execute(r) { return this.request(r.method, r.url, r.body, r.params); }

    batch(requests, params) {
      const list = [];
      for (const r of requests) {
        let method, url, body, own;
        if (Array.isArray(r)) {
          [method, url, body, own] = r;
          body = body || null;
        } else if (r instanceof Request) {
          ({ method, url, body, params: own } = r);
        } else {
          continue;
        }
        const merged = this._getMergedSessionParams(mergeParams(params, own));
        list.push([method, this._target(url, merged), body, merged]);
      }
      const start = new Date();
      return after(http.batch(list), (responses) => {
        this.lastRequest.responseObject = responses;
        this.lastRequest.responseChainDuration = new Date() - start;
        return responses;
      });
    }
  }

  for (const [name, method] of [['get', 'GET'], ['head', 'HEAD'], ['post', 'POST'], ['put', 'PUT'], ['delete', 'DELETE'],
    ['connect', 'CONNECT'], ['options', 'OPTIONS'], ['trace', 'TRACE'], ['patch', 'PATCH']]) {
    const async = 'async' + name[0].toUpperCase() + name.slice(1);
    Object.defineProperty(Httpx.prototype, name, {
      value: ({ [name](url, body, params) { return this.request(method, url, body, params); } })[name],
      writable: true, configurable: true,
    });
    Object.defineProperty(Httpx.prototype, async, {
      value: ({ [async](url, body, params) { return this.asyncRequest(method, url, body, params); } })[async],
      writable: true, configurable: true,
    });
  }

  return Object.assign({ Httpx, Request }, verbs);
})`;

let script: vm.Script | undefined;

/** The module's exports (`Httpx`, `Request`, `Get`, `Post`, …), classes of the script realm `context`. */
export function createHttpxModule(context: vm.Context, env: HttpxEnv): Record<string, unknown> {
  script ??= new vm.Script(SOURCE, { filename: 'https://jslib.k6.io/httpx/index.js' });
  const make = script.runInContext(context) as (
    http: HttpxHttp,
    after: (value: unknown, then: (v: unknown) => unknown) => unknown,
  ) => Record<string, unknown>;
  const after = (value: unknown, then: (v: unknown) => unknown): unknown =>
    isThenable(value) ? env.block(Promise.resolve(value).then(then)) : then(value);
  return make(env.http, after);
}
