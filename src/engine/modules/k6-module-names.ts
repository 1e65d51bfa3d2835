// The names a script may import as k6 modules ('k6', 'k6/…'): those Stampede provides, and the
// others k6 v2.2 registers (internal/js/jsmodules.go). Names only, so the compiler can tell an
// unknown module before any module is created (vu/vu-modules.ts creates them).

/** The k6 modules Stampede provides (vu/vu-modules.ts has a factory for each). */
export const PROVIDED_MODULES = [
  'k6',
  'k6/browser',
  'k6/crypto',
  'k6/crypto/x509',
  'k6/data',
  'k6/encoding',
  'k6/execution',
  'k6/experimental/csv',
  'k6/experimental/fs',
  'k6/experimental/streams',
  'k6/experimental/websockets',
  'k6/html',
  'k6/http',
  'k6/metrics',
  'k6/net/grpc',
  'k6/secrets',
  'k6/timers',
  'k6/websockets',
  'k6/ws',
  'k6/x/dns',
  'k6/x/faker',
  'k6/x/mqtt',
  'k6/x/redis',
  'k6/x/sql',
  'k6/x/sql/driver/mysql',
  'k6/x/sql/driver/postgres',
  'k6/x/sql/driver/sqlite3',
  'k6/x/tcp',
  'k6/x/tls',
] as const;

export type ProvidedModule = (typeof PROVIDED_MODULES)[number];

/**
 * Modules k6 v2.2 still registers only to refuse them (newRemovedModule): importing one throws its
 * message as a GoError, which fails the init like any script exception.
 */
export const REMOVED_MODULES: Readonly<Record<string, string>> = {
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

const PROVIDED: ReadonlySet<string> = new Set(PROVIDED_MODULES);

/** Whether k6 v2.2 (without extensions) knows the module: anything else is one of its "unknown modules". */
export function isK6BuiltinModule(name: string): boolean {
  return PROVIDED.has(name) || Object.hasOwn(REMOVED_MODULES, name);
}

/** The provided modules, sorted (for messages). */
export function providedModuleList(): string[] {
  return [...PROVIDED_MODULES].sort();
}
