// Script-realm source of the aws jslib's core (see aws-module.ts): errors, AWSConfig, Endpoint,
// SignatureV4 and the base client every service client extends. Written from k6's docs of
// grafana/k6-jslib-aws and AWS's Signature Version 4 specification. The code is a fragment of the
// function aws-module.ts evaluates: `http` (the VU's k6/http), `host` (aws-host.ts helpers) and
// `env()` (__ENV) are in scope.

export const AWS_CORE_SOURCE = String.raw`
  const AMZ_CONTENT_SHA256_HEADER = 'x-amz-content-sha256';
  const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
  const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
  const ALGORITHM = 'AWS4-HMAC-SHA256';
  const MAX_PRESIGNED_TTL = 7 * 24 * 60 * 60;
  const ALWAYS_UNSIGNABLE = new Set(['authorization', 'cache-control', 'connection', 'expect', 'from', 'keep-alive',
    'max-forwards', 'pragma', 'referer', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'user-agent', 'x-amzn-trace-id']);
  const GENERATED = new Set(['authorization', 'x-amz-date', 'date']);

  class AWSError extends Error {
    constructor(message, code) {
      super(message);
      this.name = 'AWSError';
      this.code = code;
    }
  }
  class InvalidSignatureError extends AWSError {
    constructor(message, code) { super(message, code); this.name = 'InvalidSignatureError'; }
  }
  class InvalidAWSConfigError extends Error {
    constructor(message) { super(message); this.name = 'InvalidAWSConfigError'; }
  }
  // A service's error: AWS answered the operation with an error code and message.
  function serviceError(name) {
    return ({ [name]: class extends AWSError {
      constructor(message, code, operation) { super(message, code); this.name = name; this.operation = operation; }
    } })[name];
  }

  // k6/http's error codes (k6 docs, "Error codes") as the jslib's network error classes.
  const NETWORK_ERRORS = {
    1000: 'A generic error that isn’t any of the ones listed below',
    1010: 'A non-TCP network error - this is a placeholder and there is no error currently known to trigger it',
    1020: 'An invalid URL was specified',
    1050: 'The HTTP request has timed out',
    1100: 'A generic DNS error that isn’t any of the ones listed below',
    1101: 'No IP for the provided host was found',
    1110: 'Blacklisted IP was resolved or a connection to such was tried to be established',
    1111: 'Blacklisted hostname using The Block Hostnames option',
    1200: 'A generic TCP error that isn’t any of the ones listed below',
    1201: 'A “broken pipe” on write - the other side has likely closed the connection',
    1202: 'An unknown TCP error - We got an error that we don’t recognize but it is from the operating system and has errno set on it. The message in error includes the operation(write,read) and the errno, the OS, and the original message of the error',
    1210: 'General TCP dial error',
    1211: 'Dial timeout error - the timeout for the dial was reached',
    1212: 'Dial connection refused - the connection was refused by the other party on dial',
    1213: 'Dial unknown error',
    1220: 'Reset by peer - the connection was reset by the other party, most likely a server',
    1300: 'General TLS error',
    1310: 'Unknown authority - the certificate issuer is unknown',
    1311: 'The certificate doesn’t match the hostname',
    1600: 'A generic HTTP/2 error that isn’t any of the ones listed below',
    1610: 'A general HTTP/2 GoAway error',
  };
  class NetworkError extends Error {
    constructor(name, code) {
      super(NETWORK_ERRORS[code] || 'An unknown error occurred');
      this.name = name;
      this.code = code;
    }
  }
  class GeneralError extends NetworkError { constructor(code) { super('GeneralError', code); } }
  class DNSError extends NetworkError { constructor(code) { super('DNSError', code); } }
  class TCPError extends NetworkError { constructor(code) { super('TCPError', code); } }
  class TLSError extends NetworkError { constructor(code) { super('TLSError', code); } }
  class HTTP2Error extends NetworkError { constructor(code) { super('HTTP2Error', code); } }
  function networkError(code) {
    if (!Object.hasOwn(NETWORK_ERRORS, code)) return undefined;
    if (code < 1100) return new GeneralError(code);
    if (code < 1200) return new DNSError(code);
    if (code < 1300) return new TCPError(code);
    if (code < 1600) return new TLSError(code);
    return new HTTP2Error(code);
  }

  // '{scheme}://{hostname}[:{port}]', the scheme defaulting to https; a path is ignored.
  class Endpoint {
    #protocol;
    #hostname;
    #port;
    constructor(url) {
      this.href = String(url);
    }
    copy() { return new Endpoint(this.href); }
    get protocol() { return this.#protocol; }
    set protocol(v) { this.#protocol = String(v).replace(/:$/, ''); }
    get hostname() { return this.#hostname; }
    set hostname(v) { this.#hostname = String(v); }
    get port() { return this.#port; }
    set port(v) { this.#port = v === undefined || v === null || v === '' ? undefined : Number(v); }
    get host() { return this.#port === undefined ? this.#hostname : this.#hostname + ':' + this.#port; }
    set host(v) {
      const m = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(String(v));
      this.#hostname = m ? m[1] : String(v);
      this.port = m ? m[2] : undefined;
    }
    get href() { return this.#protocol + '://' + this.host; }
    set href(v) {
      const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(v);
      this.#protocol = m ? m[1].toLowerCase() : 'https';
      const rest = m ? v.slice(m[0].length) : v;
      this.host = rest.split(/[/?#]/)[0];
    }
    toString() { return this.href; }
  }

  class AWSConfig {
    constructor(options) {
      const o = options || {};
      if (!o.region) {
        throw new InvalidAWSConfigError('invalid AWS region; reason: expected a valid AWS region name (e.g. "us-east-1"), got ' + '\u0060' + o.region + '\u0060');
      }
      if (!o.accessKeyId) {
        throw new InvalidAWSConfigError('invalid AWS access key ID; reason: expected a non empty string, got ' + '\u0060' + o.accessKeyId + '\u0060');
      }
      if (o.accessKeyId.length < 16 || o.accessKeyId.length > 128) {
        throw new InvalidAWSConfigError('invalid AWS access key ID; reason: size should be between 16 and 128 characters, got ' + o.accessKeyId.length);
      }
      if (!o.secretAccessKey) {
        throw new InvalidAWSConfigError('invalid AWS secret access key; reason: expected a non empty string, got ' + '\u0060' + o.secretAccessKey + '\u0060');
      }
      this.region = o.region;
      this.accessKeyId = o.accessKeyId;
      this.secretAccessKey = o.secretAccessKey;
      if (o.sessionToken !== undefined) this.sessionToken = o.sessionToken;
      if (o.endpoint !== undefined) this.endpoint = typeof o.endpoint === 'string' ? new Endpoint(o.endpoint) : o.endpoint;
    }
    // AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN from __ENV.
    static fromEnvironment(options) {
      const e = env();
      return new AWSConfig({
        region: e.AWS_REGION,
        accessKeyId: e.AWS_ACCESS_KEY_ID,
        secretAccessKey: e.AWS_SECRET_ACCESS_KEY,
        sessionToken: e.AWS_SESSION_TOKEN,
        endpoint: options ? options.endpoint : undefined,
      });
    }
  }

  // RFC 3986 percent-encoding: everything but A-Z a-z 0-9 - _ . ~ (SigV4's UriEncode).
  function escapeURI(s) {
    return encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
  }
  function escapePath(path) {
    return path.split('/').map(escapeURI).join('/');
  }
  function serializeQuery(query) {
    const parts = [];
    for (const key of Object.keys(query).sort()) {
      const value = query[key];
      if (value === undefined || value === null) continue;
      const values = Array.isArray(value) ? value.slice().map(String).sort() : [String(value)];
      for (const v of values) parts.push(escapeURI(key) + '=' + escapeURI(v));
    }
    return parts.join('&');
  }
  function toDate(time) {
    if (time instanceof Date) return time;
    if (typeof time === 'number') return new Date(time * 1000);
    if (typeof time === 'string' && Number(time)) return new Date(Number(time) * 1000);
    return new Date(time);
  }
  function dates(signingDate) {
    const longDate = toDate(signingDate === undefined ? new Date() : signingDate).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
    return { longDate, shortDate: longDate.slice(0, 8) };
  }
  function findHeader(headers, name) {
    for (const key of Object.keys(headers)) if (key.toLowerCase() === name) return key;
    return undefined;
  }
  function isBinary(body) {
    return body instanceof ArrayBuffer || ArrayBuffer.isView(body) || Object.prototype.toString.call(body) === '[object ArrayBuffer]';
  }

  class SignatureV4 {
    #service;
    #region;
    #credentials;
    #uriEscapePath;
    #applyChecksum;
    constructor(options) {
      const o = options || {};
      this.#service = o.service;
      this.#region = o.region;
      this.#credentials = o.credentials || {};
      this.#uriEscapePath = typeof o.uriEscapePath === 'boolean' ? o.uriEscapePath : true;
      this.#applyChecksum = typeof o.applyChecksum === 'boolean' ? o.applyChecksum : true;
    }

    // The request with host, x-amz-date, x-amz-security-token, x-amz-content-sha256 (applyChecksum) and
    // authorization headers, and its url.
    sign(original, options) {
      const request = withEndpoint(original);
      const o = options || {};
      const { longDate, shortDate } = dates(o.signingDate);
      const service = o.signingService || this.#service;
      const region = o.signingRegion || this.#region;
      const scope = shortDate + '/' + region + '/' + service + '/aws4_request';
      const headers = Object.assign({}, request.headers);
      for (const name of Object.keys(headers)) if (GENERATED.has(name.toLowerCase())) delete headers[name];
      if (findHeader(headers, 'host') === undefined) headers.host = request.endpoint.host;
      headers['x-amz-date'] = longDate;
      if (this.#credentials.sessionToken) headers['x-amz-security-token'] = this.#credentials.sessionToken;
      let body = request.body;
      if (ArrayBuffer.isView(body)) body = body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength);
      if (body === undefined || body === null) body = '';
      const payloadHash = this.#payloadHash(headers, body);
      if (this.#applyChecksum && findHeader(headers, AMZ_CONTENT_SHA256_HEADER) === undefined) headers[AMZ_CONTENT_SHA256_HEADER] = payloadHash;
      const query = Object.assign({}, request.query);
      const canonical = this.#canonicalHeaders(headers, o.unsignableHeaders, o.signableHeaders);
      const signedHeaders = Object.keys(canonical).sort().join(';');
      const signature = this.#signature(request.method, request.path, query, canonical, payloadHash, longDate, scope, shortDate, region, service);
      headers.authorization = ALGORITHM + ' Credential=' + this.#credentials.accessKeyId + '/' + scope
        + ', SignedHeaders=' + signedHeaders + ', Signature=' + signature;
      return Object.assign({}, request, { url: url(request.endpoint, request.path, request.query === undefined ? undefined : query), headers, body, query: request.query === undefined ? undefined : query });
    }

    // A pre-signed request: x-amz-* headers (but unhoistableHeaders) and the signature in the query.
    presign(original, options) {
      const request = withEndpoint(original);
      const o = options || {};
      const expiresIn = o.expiresIn === undefined ? 3600 : o.expiresIn;
      if (expiresIn > MAX_PRESIGNED_TTL) {
        throw new InvalidSignatureError("Signature version 4 presigned URLs can't be valid for more than 7 days");
      }
      const { longDate, shortDate } = dates(o.signingDate);
      const service = o.signingService || this.#service;
      const region = o.signingRegion || this.#region;
      const scope = shortDate + '/' + region + '/' + service + '/aws4_request';
      const headers = Object.assign({}, request.headers);
      const query = Object.assign({}, request.query);
      const payloadHash = this.#payloadHash(headers, request.body);
      for (const name of Object.keys(headers)) {
        const lower = name.toLowerCase();
        if (lower.startsWith('x-amz-') && !(o.unhoistableHeaders && o.unhoistableHeaders.has(lower))) {
          query[name] = headers[name];
          delete headers[name];
        }
      }
      if (findHeader(headers, 'host') === undefined) headers.host = request.endpoint.host;
      if (this.#credentials.sessionToken) query['X-Amz-Security-Token'] = this.#credentials.sessionToken;
      query['X-Amz-Algorithm'] = ALGORITHM;
      query['X-Amz-Credential'] = this.#credentials.accessKeyId + '/' + scope;
      query['X-Amz-Date'] = longDate;
      query['X-Amz-Expires'] = String(expiresIn);
      const canonical = this.#canonicalHeaders(headers, o.unsignableHeaders, o.signableHeaders);
      query['X-Amz-SignedHeaders'] = Object.keys(canonical).sort().join(';');
      query['X-Amz-Signature'] = this.#signature(request.method, request.path, query, canonical, payloadHash, longDate, scope, shortDate, region, service);
      return Object.assign({}, request, { url: url(request.endpoint, request.path, query), headers, query });
    }

    #payloadHash(headers, body) {
      const declared = findHeader(headers, AMZ_CONTENT_SHA256_HEADER);
      if (declared !== undefined) return headers[declared];
      if (body === undefined || body === null) return EMPTY_SHA256;
      if (typeof body === 'string' || isBinary(body)) return host.sha256Hex(body);
      return UNSIGNED_PAYLOAD;
    }

    #canonicalHeaders(headers, unsignable, signable) {
      const out = {};
      for (const name of Object.keys(headers).sort()) {
        const value = headers[name];
        if (value === undefined || value === null) continue;
        const lower = name.toLowerCase();
        if ((ALWAYS_UNSIGNABLE.has(lower) || (unsignable && unsignable.has(lower))) && !(signable && signable.has(lower))) continue;
        const v = String(value).trim().replace(/\s+/g, ' ');
        out[lower] = Object.hasOwn(out, lower) ? out[lower] + ',' + v : v;
      }
      return out;
    }

    #canonicalURI(path) {
      const p = path || '/';
      if (!this.#uriEscapePath) return p;
      const segments = [];
      for (const s of p.split('/')) {
        if (s === '' || s === '.') continue;
        if (s === '..') segments.pop();
        else segments.push(s);
      }
      const trailing = segments.length > 0 && p.endsWith('/') ? '/' : '';
      return escapePath('/' + segments.join('/') + trailing);
    }

    #signature(method, path, query, canonical, payloadHash, longDate, scope, shortDate, region, service) {
      const names = Object.keys(canonical).sort();
      const q = Object.assign({}, query);
      delete q['X-Amz-Signature'];
      const canonicalRequest = [
        method,
        this.#canonicalURI(path),
        serializeQuery(q),
        names.map((n) => n + ':' + canonical[n]).join('\n') + '\n',
        names.join(';'),
        payloadHash,
      ].join('\n');
      const stringToSign = [ALGORITHM, longDate, scope, host.sha256Hex(canonicalRequest)].join('\n');
      return host.sigV4Signature(this.#credentials.secretAccessKey, shortDate, region, service, stringToSign);
    }
  }

  // The request's endpoint; a request written for the jslib's early versions names protocol, hostname
  // and port instead (as k6's http-authentication example does).
  function withEndpoint(request) {
    if (request.endpoint !== undefined || typeof request.hostname !== 'string') return request;
    const port = request.port === undefined || request.port === null || request.port === '' ? '' : ':' + request.port;
    return Object.assign({}, request, { endpoint: new Endpoint((request.protocol || 'https').replace(/:$/, '') + '://' + request.hostname + port) });
  }

  function url(endpoint, path, query) {
    let out = endpoint.href;
    if (path) {
      if (!out.endsWith('/') && !path.startsWith('/')) out += '/';
      out += path;
    }
    if (query !== undefined) {
      const q = serializeQuery(query);
      if (q !== '' || Object.keys(query).length > 0) out += '?' + q;
    }
    return out;
  }

  function headerValue(res, name) {
    const lower = name.toLowerCase();
    for (const key of Object.keys(res.headers || {})) if (key.toLowerCase() === lower) return res.headers[key];
    return undefined;
  }

  // What every service client shares: the config, the endpoint (https://{service}.{region}.amazonaws.com
  // unless the config names one), a signer and the request through k6/http.
  class AWSClient {
    #endpoint;
    constructor(awsConfig, serviceName, signerOptions) {
      this.awsConfig = awsConfig;
      this.serviceName = serviceName;
      if (awsConfig.endpoint !== undefined) this.#endpoint = awsConfig.endpoint;
      this.signature = new SignatureV4(Object.assign({
        service: serviceName,
        region: awsConfig.region,
        credentials: {
          accessKeyId: awsConfig.accessKeyId,
          secretAccessKey: awsConfig.secretAccessKey,
          sessionToken: awsConfig.sessionToken,
        },
      }, signerOptions));
    }
    get endpoint() {
      if (this.#endpoint === undefined) this.#endpoint = new Endpoint('https://' + this.serviceName + '.' + this.awsConfig.region + '.amazonaws.com');
      return this.#endpoint;
    }
    set endpoint(e) { this.#endpoint = e; }

    // Signs and sends one request; a transport error throws its network error class, any answer
    // (also an error status) resolves to the Response for the service to judge.
    async _send(method, path, options) {
      const o = options || {};
      const signed = this.signature.sign({ method, endpoint: this.endpoint, path, query: o.query, headers: o.headers || {}, body: o.body });
      const body = o.body === undefined || o.body === null ? null : signed.body;
      const res = await http.asyncRequest(method, signed.url, body, { headers: signed.headers, responseType: o.responseType || 'text' });
      if (res.error_code) {
        const e = networkError(res.error_code);
        if (e !== undefined && (res.status === 0 || res.status === undefined)) throw e;
      }
      return res;
    }
  }

  const ok = (res) => res.status >= 200 && res.status < 300;

  // A JSON protocol error body: __type (maybe 'namespace#Code'), message or Message.
  function jsonError(res) {
    let parsed = {};
    try { parsed = JSON.parse(res.body) || {}; } catch (_) { parsed = {}; }
    let code = headerValue(res, 'X-Amzn-Errortype') || parsed.__type || parsed.code || parsed.Code || '';
    code = String(code).split(':')[0];
    if (code.includes('#')) code = code.slice(code.lastIndexOf('#') + 1);
    const message = parsed.Message || parsed.message || code || (res.error || 'An error occurred on the server side');
    return { code, message };
  }
  const SIGNATURE_CODES = new Set(['InvalidSignatureException', 'SignatureDoesNotMatch', 'IncompleteSignature',
    'IncompleteSignatureException', 'AuthorizationHeaderMalformed', 'InvalidAccessKeyId', 'UnrecognizedClientException', 'InvalidClientTokenId']);
`;
