// The k6 modules a script may import, each created once per VU on first `require`.
import { createK6Module } from '../modules/k6-module.ts';
import { createExecutionModule } from '../modules/k6-execution-module.ts';
import { createTimersModule } from '../modules/timers-module.ts';
import { createMetricsModule } from '../modules/metrics-module.ts';
import { createEncodingModule } from '../modules/encoding-module.ts';
import { createCryptoModule } from '../modules/crypto-module.ts';
import { createX509Module } from '../modules/x509-module.ts';
import { createSecretsModule } from '../modules/secrets-module.ts';
import { createStreamsModule } from '../modules/streams-module.ts';
import { SecretStore } from '../modules/secret-store.ts';
import { createDataModule } from '../modules/data-module.ts';
import { createHtmlModule } from '../modules/html/html-module.ts';
import { createFsModule } from '../modules/fs-module.ts';
import { createCsvModule } from '../modules/csv-module.ts';
import { createHttpModule } from '../http/http-module.ts';
import { createWsModule } from '../ws/ws-module.ts';
import { createWebSocketsModule } from '../ws/websockets-module.ts';
import { createGrpcModule } from '../grpc/grpc-module.ts';
import { createBrowserModule } from '../browser/browser-module.ts';
import { createRedisModule } from '../extensions/redis/redis-module.ts';
import { createSqlDriverModule, createSqlModule } from '../extensions/sql/sql-module.ts';
import type { CookieJar } from '../http/cookie-jar.ts';
import { createDnsModule } from '../extensions/dns/dns-module.ts';
import { createTcpModule } from '../extensions/tcp/tcp-module.ts';
import { createTlsModule } from '../extensions/tls/tls-module.ts';
import { createMqttModule } from '../extensions/mqtt/mqtt-module.ts';
import { createJslibModule } from '../jslib/jslib-modules.ts';
import { createFakerModule } from '../extensions/faker/faker-module.ts';
import type { Vu } from './vu.ts';
import { goError } from './go-error.ts';
import type { VuServices } from './vu-services.ts';
import { providedModuleList, REMOVED_MODULES, type ProvidedModule } from '../modules/k6-module-names.ts';

type ModuleFactory = (vu: Vu, svc: VuServices) => unknown;

const MODULES: Readonly<Record<ProvidedModule, ModuleFactory>> = {
  k6: (vu) => createK6Module(vu.host, vu),
  'k6/execution': (vu, svc) => createExecutionModule(vu.host, vu, svc.execution, (json) => svc.realm.parseJson(json)),
  'k6/timers': (vu) => createTimersModule(vu.loop),
  'k6/metrics': (vu) => createMetricsModule(vu.host),
  'k6/encoding': (vu, svc) => createEncodingModule(vu.host, svc.realm),
  'k6/crypto': (vu, svc) => createCryptoModule(vu.host, svc.realm),
  'k6/crypto/x509': (_vu, svc) => createX509Module(svc.realm),
  'k6/data': (vu, svc) => createDataModule(vu.host, svc.sharedArrays),
  'k6/http': (vu, svc) => createHttpModule(vu.host, svc.realm),
  'k6/html': () => createHtmlModule(),
  'k6/secrets': (vu, svc) => createSecretsModule(svc.secrets ?? NO_SECRETS, vu.loop, svc.realm),
  'k6/experimental/fs': (vu, svc) => createFsModule(vu.host, svc),
  'k6/experimental/csv': (vu, svc) => createCsvModule(vu.host, svc.sharedArrays),
  'k6/experimental/streams': (_vu, svc) => createStreamsModule(svc.realm.context),
  'k6/ws': (vu, svc) => createWsModule(vu.host, {
    buffers: svc.realm,
    vuJar: () => vuCookieJar(vu),
  }),
  'k6/websockets': (vu, svc) => createWebSocketsModule(vu.host, vu.loop, websocketsDeps(vu, svc)),
  'k6/net/grpc': (vu, svc) => createGrpcModule(vu.host, vu.loop, {
    parseJson: (text) => svc.realm.parseJson(text),
    readFile: (path) => svc.files.read(path),
    scriptDir: svc.scriptDir,
  }),
  'k6/browser': (vu, svc) => createBrowserModule(vu.host, vu.loop, {
    realm: svc.realm,
    env: svc.browserEnv ?? {},
    abortTest: (reason) => svc.execution.abortTest(reason),
  }),
  'k6/x/dns': (vu, svc) => createDnsModule(vu.host, vu.loop, svc.realm),
  'k6/x/faker': (_vu, svc) => createFakerModule(svc.env),
  'k6/x/redis': (vu, svc) => createRedisModule(vu.host, vu.loop, svc.realm),
  'k6/x/sql': (vu) => createSqlModule(vu.host),
  'k6/x/sql/driver/mysql': () => createSqlDriverModule('mysql'),
  'k6/x/sql/driver/postgres': () => createSqlDriverModule('postgres'),
  'k6/x/sql/driver/sqlite3': () => createSqlDriverModule('sqlite3'),
  'k6/x/tcp': (vu, svc) => createTcpModule(vu.host, vu.loop, svc.realm),
  'k6/x/tls': (vu, svc) => createTlsModule(vu.host, vu.loop, svc.realm),
  'k6/x/mqtt': (vu, svc) => createMqttModule(vu.host, vu.loop, svc.realm),
  'k6/experimental/websockets': (vu, svc) => {
    warnDeprecatedOnce(vu, svc, 'k6/experimental/websockets is deprecated and will be removed in a future release. Please use k6/websockets instead.');
    return createWebSocketsModule(vu.host, vu.loop, websocketsDeps(vu, svc));
  },
};

/** k6/websockets' dependencies: the script realm's buffers and streams (Blob.stream()), the VU's jar. */
function websocketsDeps(vu: Vu, svc: VuServices): Parameters<typeof createWebSocketsModule>[2] {
  return {
    buffers: svc.realm,
    vuJar: () => vuCookieJar(vu),
    readableStream: (source) => {
      const ReadableStream = createStreamsModule(svc.realm.context).ReadableStream as new (s: object) => unknown;
      return new ReadableStream(source);
    },
  };
}

/** No `--secret-source` (the runner's sandboxed runs): every get() rejects as in k6 without sources. */
const NO_SECRETS = new SecretStore(new Map(), () => undefined);

/** Keyed by the run's log: the service VUs before and after configure() have services of their own. */
const warned = new WeakMap<object, Set<string>>();

/** k6 warns once per test: here from the VUs that read the options (id 0), once per run. */
function warnDeprecatedOnce(vu: Vu, svc: VuServices, message: string): void {
  if (vu.host.state.id !== 0) return;
  // k6 warns once per process (sync.Once); one run's service VUs share its log.
  let done = warned.get(svc.log);
  if (done === undefined) warned.set(svc.log, (done = new Set()));
  if (done.has(message)) return;
  done.add(message);
  vu.host.log.warn(message);
}

/** The VU's cookie jar, the one http.cookieJar() returns (a new one each iteration): k6 dials WebSockets with it. */
function vuCookieJar(vu: Vu): CookieJar {
  return (vu.require('k6/http') as { cookieJar(): CookieJar }).cookieJar();
}

export function supportedModules(): string[] {
  return providedModuleList();
}

function isProvided(name: string): name is ProvidedModule {
  return Object.hasOwn(MODULES, name);
}

export function createVuModule(name: string, vu: Vu, svc: VuServices): unknown {
  const factory = isProvided(name) ? MODULES[name] : undefined;
  if (factory !== undefined) return factory(vu, svc);
  const jslib = createJslibModule(name, vu, svc); // built-in https://jslib.k6.io modules
  if (jslib !== undefined) return jslib;
  const removed = REMOVED_MODULES[name];
  if (removed !== undefined) throw goError(removed);
  return undefined;
}
