import { IpPool } from '../options/ip-pool.ts';
import type { VuHost } from '../vu/vu-host.ts';
import { batchArgumentError, runBatch, type BatchPrepareFailure, type BatchSender } from './batch.ts';
import { goError } from '../vu/go-error.ts';
import { CookieJar } from './cookie-jar.ts';
import { DEFAULT_RESPONSE_CALLBACK, expectedStatuses, toResponseCallback } from './expected-statuses.ts';
import { toHttpDebugMode } from './http-debug.ts';
import { httpUrl } from './http-url.ts';
import { FileData } from './request-body.ts';
import { HOST_BUFFERS, type BufferRealm } from '../modules/binary-input.ts';
import { unsentResponse, type Response } from './response.ts';
import { VuHttpClient, settingsFromOptions, type PreparedRequest } from './vu-http-client.ts';
import { VuConnections, type ConnectionSettings, type TlsClientCert } from './vu-connections.ts';
import { dnsResolverFor } from './dns-resolver.ts';
import { opensslCiphers } from './tls-cipher-suites.ts';
import type { DnsOptions } from '../options/k6-options.ts';

// `import http from 'k6/http'`: one instance per VU. Connections and the cookie jar live as long as
// the VU; lifecycle hooks reset the jar per iteration, emit data_sent/data_received, and close idle
// connections for noVUConnectionReuse.

const BUILTIN_METRICS = [
  ['http_reqs', 'counter', 'default'],
  ['http_req_duration', 'trend', 'time'],
  ['http_req_blocked', 'trend', 'time'],
  ['http_req_connecting', 'trend', 'time'],
  ['http_req_tls_handshaking', 'trend', 'time'],
  ['http_req_sending', 'trend', 'time'],
  ['http_req_waiting', 'trend', 'time'],
  ['http_req_receiving', 'trend', 'time'],
  ['http_req_failed', 'rate', 'default'],
  ['data_sent', 'counter', 'data'],
  ['data_received', 'counter', 'data'],
] as const;

const CONSTANTS = {
  TLS_1_0: 'tls1.0',
  TLS_1_1: 'tls1.1',
  TLS_1_2: 'tls1.2',
  TLS_1_3: 'tls1.3',
  OCSP_STATUS_GOOD: 'good',
  OCSP_STATUS_REVOKED: 'revoked',
  OCSP_STATUS_SERVER_FAILED: 'server_failed',
  OCSP_STATUS_UNKNOWN: 'unknown',
  OCSP_REASON_UNSPECIFIED: 'unspecified',
  OCSP_REASON_KEY_COMPROMISE: 'key_compromise',
  OCSP_REASON_CA_COMPROMISE: 'ca_compromise',
  OCSP_REASON_AFFILIATION_CHANGED: 'affiliation_changed',
  OCSP_REASON_SUPERSEDED: 'superseded',
  OCSP_REASON_CESSATION_OF_OPERATION: 'cessation_of_operation',
  OCSP_REASON_CERTIFICATE_HOLD: 'certificate_hold',
  OCSP_REASON_REMOVE_FROM_CRL: 'remove_from_crl',
  OCSP_REASON_PRIVILEGE_WITHDRAWN: 'privilege_withdrawn',
  OCSP_REASON_AA_COMPROMISE: 'aa_compromise',
} as const;
/**
 * Added to each VU's module object one by one, after its methods: every VU's object then takes the
 * same map transitions and ends with one shared map. (Spreading them into the literal made V8 give
 * the objects of different VUs different maps, so the script's `http.get` load went megamorphic.)
 */
const CONSTANT_ENTRIES = Object.entries(CONSTANTS);

function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function tlsVersionRange(v: unknown): { min?: string; max?: string } | undefined {
  if (typeof v === 'string') return { min: v, max: v };
  if (v !== null && typeof v === 'object') {
    const { min, max } = v as { min?: unknown; max?: unknown };
    const out: { min?: string; max?: string } = {};
    if (typeof min === 'string') out.min = min;
    if (typeof max === 'string') out.max = max;
    return out;
  }
  return undefined;
}

function tlsAuthEntries(v: unknown): TlsClientCert[] {
  if (!Array.isArray(v)) return [];
  const out: TlsClientCert[] = [];
  for (const e of v as unknown[]) {
    if (e === null || typeof e !== 'object') continue;
    const { domains, cert, key, password } = e as Record<string, unknown>;
    if (typeof cert !== 'string' || typeof key !== 'string') continue;
    out.push({
      cert,
      key,
      ...(Array.isArray(domains) ? { domains: stringList(domains) } : {}),
      ...(typeof password === 'string' ? { password } : {}),
    });
  }
  return out;
}

/** The consolidated `dns` object (the same object for every VU of a thread: one resolver each). */
function dnsOf(v: unknown): DnsOptions | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as DnsOptions) : undefined;
}

/**
 * The local address VU `vuId` dials from under the `localIPs` option (k6 runner.go newVU), or
 * undefined without the option (or with a value consolidation would have rejected).
 */
function localAddressOf(localIPs: unknown, vuId: number): string | undefined {
  if (typeof localIPs !== 'string' || localIPs === '') return undefined;
  try {
    return IpPool.parse(localIPs).addressForVu(vuId);
  } catch {
    return undefined;
  }
}

/** The connection options of VU `vuId` (also what its WebSockets dial with); `keyLog`: SSLKEYLOGFILE. */
export function connectionSettings(options: VuHost['options'], vuId = 0, keyLog?: VuHost['keyLog']): ConnectionSettings {
  const tlsVersion = tlsVersionRange(options.tlsVersion);
  const localAddress = localAddressOf(options.localIPs, vuId);
  const ciphers = opensslCiphers(stringList(options.tlsCipherSuites));
  return {
    ...(localAddress !== undefined ? { localAddress } : {}),
    insecureSkipTLSVerify: options.insecureSkipTLSVerify === true,
    hosts: options.hosts ?? {},
    ...(tlsVersion !== undefined ? { tlsVersion } : {}),
    ...(ciphers !== undefined ? { ciphers } : {}),
    tlsAuth: tlsAuthEntries(options.tlsAuth),
    blockHostnames: stringList(options.blockHostnames),
    blacklistIPs: stringList(options.blacklistIPs),
    maxIdlePerHost: typeof options.batchPerHost === 'number' ? options.batchPerHost : 6,
    // Go's transport speaks h2 only with keep-alive on; k6's DisableKeepAlives keeps it on HTTP/1.1.
    allowH2: options.noConnectionReuse !== true,
    lookup: dnsResolverFor(dnsOf(options.dns)).lookup,
    ...(keyLog !== undefined ? { keyLog } : {}),
  };
}

/** `buffers` makes binary response bodies: the script realm's when a VU creates the module. */
export function createHttpModule(host: VuHost, buffers: BufferRealm = HOST_BUFFERS): Record<string, unknown> {
  const options = host.options;
  for (const [name, type, contains] of BUILTIN_METRICS) {
    if (host.metrics.get(name) === undefined) host.metrics.define(name, type, contains);
  }
  const connections = new VuConnections(connectionSettings(options, host.state.id, host.keyLog));
  const client = new VuHttpClient(
    host,
    connections,
    settingsFromOptions(options, toHttpDebugMode(options.httpDebug), host.requestRate),
    DEFAULT_RESPONSE_CALLBACK,
    buffers,
  );
  const batchLimits = {
    batch: typeof options.batch === 'number' ? options.batch : 20,
    batchPerHost: typeof options.batchPerHost === 'number' ? options.batchPerHost : 6,
  };

  const batchPrepare: BatchPrepareFailure = {
    unsent: (error, errorCode) => unsentResponse('', '', error, errorCode),
    report: (message) => {
      if (options.throw === true) throw goError(message);
      host.log.warn('A batch request failed', { error: message });
    },
  };

  // The VU emits the call's data_sent/data_received pair once every module counted its bytes.
  const countBytes = (): void => {
    connections.takeBytes();
    host.countBytes(connections.takenSent, connections.takenReceived);
  };
  if (options.noCookiesReset !== true) {
    host.lifecycle.onIterationStart(() => {
      client.jar = new CookieJar();
    });
  }
  const noVuReuse = options.noVUConnectionReuse === true;
  host.lifecycle.onIterationEnd(() => {
    if (!noVuReuse) {
      countBytes();
      return undefined;
    }
    return connections.closeIdle().then(countBytes);
  });
  // Calls outside iterations (setup, teardown) move bytes too: whatever is left is emitted at close.
  host.lifecycle.onClose(() => {
    countBytes();
    return connections.destroyAll();
  });

  // Every Response gets this VU's request function, for res.submitForm()/res.clickLink(). Method
  // shorthand, for the reason given below.
  const navigation = {
    navigate(method: string, url: string, body: unknown, params: unknown): Promise<Response> {
      return client.requestBlocking(method, url, body, params);
    },
  };
  client.requester = navigation.navigate;
  const send = (method: unknown, url: unknown, body: unknown, params: unknown): Promise<Response> => client.request(method, url, body, params);
  const batchSender: BatchSender<PreparedRequest> = {
    prepareAll: (entries) => client.prepareAll(entries),
    send: (prepared) => client.sendPrepared(prepared),
  };

  const extraArgs = (name: string, given: number): void => {
    if (host.state.phase === 'init') return;
    host.log.warn(`http.${name} only accepts a url and a params argument (2 arguments), but ${given} were given`);
  };

  // Method shorthand rather than arrow properties: under tsx (keepNames) every named arrow gets a
  // defineProperty('name') call and a property backing store, ~250 bytes per function per VU.
  const http: Record<string, unknown> = {
    request(method: unknown, url: unknown, body?: unknown, params?: unknown): Promise<unknown> {
      return client.requestBlocking(method, url, body, params);
    },
    get(url: unknown, params?: unknown) {
      // A body argument is a common slip (http.get(url, null, params)): k6 warns and uses the second.
      if (arguments.length > 2) extraArgs('get', arguments.length);
      return client.requestBlocking('GET', url, null, params);
    },
    head(url: unknown, params?: unknown) {
      if (arguments.length > 2) extraArgs('head', arguments.length);
      return client.requestBlocking('HEAD', url, null, params);
    },
    post(url: unknown, body?: unknown, params?: unknown) {
      return client.requestBlocking('POST', url, body, params);
    },
    put(url: unknown, body?: unknown, params?: unknown) {
      return client.requestBlocking('PUT', url, body, params);
    },
    patch(url: unknown, body?: unknown, params?: unknown) {
      return client.requestBlocking('PATCH', url, body, params);
    },
    del(url: unknown, body?: unknown, params?: unknown) {
      return client.requestBlocking('DELETE', url, body, params);
    },
    options(url: unknown, body?: unknown, params?: unknown) {
      return client.requestBlocking('OPTIONS', url, body, params);
    },
    asyncRequest(method: unknown, url: unknown, body?: unknown, params?: unknown): Promise<unknown> {
      // Its callbacks run as k6 runs them: not while the VU is inside a blocking call (http.get, sleep).
      return host.settleOnLoop(send(method, url, body, params));
    },
    batch(...args: unknown[]) {
      const bad = batchArgumentError(args);
      if (bad !== undefined) throw goError(bad);
      return host.blockCancellable(runBatch(args[0] as object, batchSender, batchLimits, batchPrepare));
    },
    file(data: unknown, ...args: unknown[]) {
      return new FileData(data, ...args);
    },
    cookieJar() {
      return client.jar;
    },
    CookieJar,
    expectedStatuses,
    setResponseCallback(cb: unknown) {
      client.responseCallback = toResponseCallback(cb, 'setResponseCallback');
    },
    url: httpUrl,
  };
  for (const [name, value] of CONSTANT_ENTRIES) http[name] = value;
  http.default = http;
  return http;
}
