// The k6 modules a script may import, each created once per VU on first `require`. The core modules
// load with the engine; the optional ones (protocols, extensions, jslib) when a thread's script needs them.
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
import type { createWebSocketsModule } from '../ws/websockets-module.ts';
import type { CookieJar } from '../http/cookie-jar.ts';
import { builtinJslib } from '../jslib/jslib-urls.ts';
import type { Vu } from './vu.ts';
import { goError } from './go-error.ts';
import type { VuServices } from './vu-services.ts';
import { providedModuleList, REMOVED_MODULES, type ProvidedModule } from '../modules/k6-module-names.ts';

type ModuleFactory = (vu: Vu, svc: VuServices) => unknown;

/** The modules every script has at hand, loaded with the engine. */
const CORE_MODULES = {
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
} satisfies Partial<Record<ProvidedModule, ModuleFactory>>;

type CoreModule = keyof typeof CORE_MODULES;
type OptionalModule = Exclude<ProvidedModule, CoreModule>;

/**
 * The protocol modules and extensions, with their dependencies a large part of the engine's code:
 * a thread loads one only when the script's code names it (`loadVuModules`), so that a plain HTTP
 * test starts without them (each worker thread loads the engine anew).
 */
const OPTIONAL_MODULES: Readonly<Record<OptionalModule, () => Promise<ModuleFactory>>> = {
  'k6/ws': async () => {
    const { createWsModule } = await import('../ws/ws-module.ts');
    return (vu, svc) => createWsModule(vu.host, { buffers: svc.realm, vuJar: () => vuCookieJar(vu) });
  },
  'k6/websockets': async () => {
    const { createWebSocketsModule } = await import('../ws/websockets-module.ts');
    return (vu, svc) => createWebSocketsModule(vu.host, vu.loop, websocketsDeps(vu, svc));
  },
  'k6/experimental/websockets': async () => {
    const { createWebSocketsModule } = await import('../ws/websockets-module.ts');
    return (vu, svc) => {
      warnDeprecatedOnce(vu, svc, 'k6/experimental/websockets is deprecated and will be removed in a future release. Please use k6/websockets instead.');
      return createWebSocketsModule(vu.host, vu.loop, websocketsDeps(vu, svc));
    };
  },
  'k6/net/grpc': async () => {
    const { createGrpcModule } = await import('../grpc/grpc-module.ts');
    return (vu, svc) => createGrpcModule(vu.host, vu.loop, {
      parseJson: (text) => svc.realm.parseJson(text),
      readFile: (path) => svc.files.read(path),
      scriptDir: svc.scriptDir,
    });
  },
  'k6/browser': async () => {
    const { createBrowserModule } = await import('../browser/browser-module.ts');
    return (vu, svc) => createBrowserModule(vu.host, vu.loop, {
      realm: svc.realm,
      env: svc.browserEnv ?? {},
      abortTest: (reason) => svc.execution.abortTest(reason),
    });
  },
  'k6/x/dns': async () => {
    const { createDnsModule } = await import('../extensions/dns/dns-module.ts');
    return (vu, svc) => createDnsModule(vu.host, vu.loop, svc.realm);
  },
  'k6/x/faker': async () => {
    const { createFakerModule } = await import('../extensions/faker/faker-module.ts');
    return (_vu, svc) => createFakerModule(svc.env);
  },
  'k6/x/redis': async () => {
    const { createRedisModule } = await import('../extensions/redis/redis-module.ts');
    return (vu, svc) => createRedisModule(vu.host, vu.loop, svc.realm);
  },
  'k6/x/sql': async () => {
    const { createSqlModule } = await import('../extensions/sql/sql-module.ts');
    return (vu) => createSqlModule(vu.host);
  },
  'k6/x/sql/driver/mysql': async () => {
    const { createSqlDriverModule } = await import('../extensions/sql/sql-module.ts');
    return () => createSqlDriverModule('mysql');
  },
  'k6/x/sql/driver/postgres': async () => {
    const { createSqlDriverModule } = await import('../extensions/sql/sql-module.ts');
    return () => createSqlDriverModule('postgres');
  },
  'k6/x/sql/driver/sqlite3': async () => {
    const { createSqlDriverModule } = await import('../extensions/sql/sql-module.ts');
    return () => createSqlDriverModule('sqlite3');
  },
  'k6/x/tcp': async () => {
    const { createTcpModule } = await import('../extensions/tcp/tcp-module.ts');
    return (vu, svc) => createTcpModule(vu.host, vu.loop, svc.realm);
  },
  'k6/x/tls': async () => {
    const { createTlsModule } = await import('../extensions/tls/tls-module.ts');
    return (vu, svc) => createTlsModule(vu.host, vu.loop, svc.realm);
  },
  'k6/x/mqtt': async () => {
    const { createMqttModule } = await import('../extensions/mqtt/mqtt-module.ts');
    return (vu, svc) => createMqttModule(vu.host, vu.loop, svc.realm);
  },
};

type JslibFactory = (name: string, vu: Vu, svc: VuServices) => unknown;

/** The optional modules this thread has loaded, and the built-in jslib modules once one was needed. */
const loaded = new Map<string, ModuleFactory>();
let jslibFactory: JslibFactory | undefined;
/** The key of the built-in jslib modules, which load together. */
const JSLIB = 'jslib';

/**
 * The optional modules `source` (a compiled script) may require: those it names anywhere (an import,
 * a `require('k6/x/sql')`, a module name in a string), and the built-in jslib modules when it names a
 * jslib.k6.io or k6-reporter URL. Naming one that is never required only loads it for nothing; a name
 * the code builds at run time is loaded when required (`Vu.require`).
 */
export function optionalModulesIn(source: string): string[] {
  const names: string[] = Object.keys(OPTIONAL_MODULES).filter((name) => source.includes(name));
  if (/jslib\.k6\.io|benc-uk\/k6-reporter/i.test(source)) names.push(JSLIB);
  return names;
}

/** The loading key of a module name: itself for an optional module, JSLIB for a built-in jslib URL. */
function keyOf(name: string): string | undefined {
  if (Object.hasOwn(OPTIONAL_MODULES, name) || name === JSLIB) return name;
  return builtinJslib(name) !== undefined ? JSLIB : undefined;
}

function isLoaded(key: string): boolean {
  return key === JSLIB ? jslibFactory !== undefined : loaded.has(key);
}

async function load(key: string): Promise<void> {
  if (key === JSLIB) {
    jslibFactory = (await import('../jslib/jslib-modules.ts')).createJslibModule;
    return;
  }
  const loader = OPTIONAL_MODULES[key as OptionalModule] as (() => Promise<ModuleFactory>) | undefined;
  if (loader !== undefined) loaded.set(key, await loader());
}

/**
 * Loads the optional modules named (module names, or optionalModulesIn's keys; every one when `names`
 * is undefined) before a VU's init code runs.
 */
export async function loadVuModules(names: readonly string[] | undefined): Promise<void> {
  const keys = names === undefined ? [...Object.keys(OPTIONAL_MODULES), JSLIB] : names.flatMap((n) => keyOf(n) ?? []);
  const missing = [...new Set(keys)].filter((key) => !isLoaded(key));
  if (missing.length > 0) await Promise.all(missing.map(load));
}

/** Whether `require(name)` needs loadVuModules([name]) first (an optional module this thread has not loaded). */
export function needsLoading(name: string): boolean {
  const key = keyOf(name);
  return key !== undefined && !isLoaded(key);
}

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

export function createVuModule(name: string, vu: Vu, svc: VuServices): unknown {
  const core = Object.hasOwn(CORE_MODULES, name) ? CORE_MODULES[name as CoreModule] as ModuleFactory : undefined;
  if (core !== undefined) return core(vu, svc);
  const optional = loaded.get(name);
  if (optional !== undefined) return optional(vu, svc);
  if (jslibFactory !== undefined && builtinJslib(name) !== undefined) return jslibFactory(name, vu, svc); // built-in https://jslib.k6.io modules
  if (needsLoading(name)) throw new Error(`the module "${name}" is not loaded (loadVuModules)`);
  const removed = REMOVED_MODULES[name];
  if (removed !== undefined) throw goError(removed);
  return undefined;
}
