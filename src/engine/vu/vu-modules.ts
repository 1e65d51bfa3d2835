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
import type { CookieJar } from '../http/cookie-jar.ts';
import { createJslibModule } from '../jslib/jslib-modules.ts';
import type { Vu } from './vu.ts';
import { goError } from './go-error.ts';
import type { VuServices } from './vu-services.ts';

type ModuleFactory = (vu: Vu, svc: VuServices) => unknown;

const MODULES: Readonly<Record<string, ModuleFactory>> = {
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
  'k6/websockets': (vu, svc) => createWebSocketsModule(vu.host, vu.loop, { buffers: svc.realm, vuJar: () => vuCookieJar(vu) }),
  'k6/net/grpc': (vu, svc) => createGrpcModule(vu.host, vu.loop, {
    parseJson: (text) => svc.realm.parseJson(text),
    readFile: (path) => svc.files.read(path),
    scriptDir: svc.scriptDir,
  }),
  'k6/experimental/websockets': (vu, svc) => {
    warnDeprecatedOnce(vu, svc, 'k6/experimental/websockets is deprecated and will be removed in a future release. Please use k6/websockets instead.');
    return createWebSocketsModule(vu.host, vu.loop, { buffers: svc.realm, vuJar: () => vuCookieJar(vu) });
  },
};

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

/**
 * Modules k6 v2.2 still registers only to refuse them (internal/js/jsmodules.go, newRemovedModule):
 * importing one throws its message as a GoError, which fails the init like any script exception.
 */
const REMOVED: Readonly<Record<string, string>> = {
  'k6/experimental/redis': 'k6/experimental/redis has been removed.'
    + " Please migrate to the new version by changing your import to 'k6/x/redis'."
    + ' Read more here: https://grafana.com/docs/k6/latest/javascript-api/k6-x-redis',
  // k6's text lacks the space after "instead.": kept as k6 prints it.
  'k6/experimental/browser': 'k6/experimental/browser has been graduated, please use k6/browser instead.'
    + 'Please update your imports to use k6/browser instead of k6/experimental/browser,'
    + ' For more information, see the migration guide at the link:'
    + ' https://grafana.com/docs/k6/latest/using-k6-browser/migrating-to-k6-v0-52/',
  'k6/experimental/grpc': 'k6/experimental/grpc has been graduated, please use k6/net/grpc instead.'
    + ' See https://grafana.com/docs/k6/latest/javascript-api/k6-net-grpc/ for more information.',
  'k6/experimental/timers': "k6/experimental/timers has been graduated, and it's now globally available as defined by standard WebAPIs."
    + ' You just need to remove the import.',
  'k6/experimental/tracing': 'k6/experimental/tracing has been removed. All of it functionality is available as pure JavaScript module.'
    + ' More info available at the docs:'
    + ' https://grafana.com/docs/k6/latest/javascript-api/jslib/http-instrumentation-tempo',
  'k6/experimental/webcrypto': "k6/experimental/webcrypto has been graduated and it's now globally available as defined by standard WebAPIs."
    + ' You just need to remove the import.',
};

export function supportedModules(): string[] {
  return Object.keys(MODULES).sort();
}

export function createVuModule(name: string, vu: Vu, svc: VuServices): unknown {
  const factory = MODULES[name];
  if (factory !== undefined) return factory(vu, svc);
  const jslib = createJslibModule(name, vu, svc); // built-in https://jslib.k6.io modules
  if (jslib !== undefined) return jslib;
  const removed = REMOVED[name];
  if (removed !== undefined) throw goError(removed);
  return undefined;
}
