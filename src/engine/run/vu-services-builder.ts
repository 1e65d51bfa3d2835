// Assembles VuServices for one thread (a worker, or the main thread's options and service VUs).
import type { MetricRegistry } from '../metrics/metric-registry.ts';
import { SharedArrayStore } from '../modules/data-module.ts';
import { rateLimited, type LogSink } from '../vu/log-sink.ts';
import { ScriptRealm } from '../vu/script-realm.ts';
import { optionalModulesIn } from '../vu/vu-modules.ts';
import type { KeyLogSink, SampleSink, VuOptions } from '../vu/vu-host.ts';
import type { ExecutionFacts, FileSource, StopFlag, VuServices } from '../vu/vu-services.ts';
import { RequestRateLimit } from '../http/request-rate-limit.ts';
import type { SecretStore } from '../modules/secret-store.ts';
import { notOpenedError, openReadError, type FailedOpen } from '../vu/open-errors.ts';

/** Iteration exceptions logged per second per thread before lines are suppressed. */
const ERROR_LINES_PER_SECOND = 10;

export interface ServicesInput {
  factorySource: string;
  filename: string;
  scriptDir: string;
  trackRejections?: boolean;
  /** The instance's `rps` slot (http/request-rate-limit.ts), shared by every thread. */
  rateBuffer?: SharedArrayBuffer;
  options: VuOptions;
  env: Readonly<Record<string, string>>;
  /** k6's `freeze-env` feature is on. */
  freezeEnv?: boolean;
  runTags: Readonly<Record<string, string>>;
  samples: SampleSink;
  metrics: MetricRegistry;
  log: LogSink;
  files: FileSource;
  execution: ExecutionFacts;
  stop: StopFlag;
  secrets?: SecretStore;
  /** k6's "extended" compatibility mode (the default): `global` is an alias of `globalThis`. */
  globalAlias?: boolean;
  /** `SSLKEYLOGFILE`: where TLS connections log their session keys. */
  keyLog?: KeyLogSink;
  /** The system environment's K6_BROWSER_* variables (k6/browser). */
  browserEnv?: Readonly<Record<string, string>>;
}

export function buildVuServices(input: ServicesInput): VuServices {
  const realm = new ScriptRealm(input.globalAlias !== false);
  return {
    realm,
    factory: realm.instantiate(input.factorySource, input.filename),
    optionalModules: optionalModulesIn(input.factorySource),
    options: input.options,
    runTags: input.runTags,
    env: input.env,
    freezeEnv: input.freezeEnv === true,
    samples: input.samples,
    metrics: input.metrics,
    log: input.log,
    errorLog: rateLimited(input.log, ERROR_LINES_PER_SECOND),
    files: input.files,
    scriptDir: input.scriptDir,
    sharedArrays: new SharedArrayStore(realm),
    execution: input.execution,
    stop: input.stop,
    trackRejections: input.trackRejections === true,
    requestRate: RequestRateLimit.of(input.options.rps, input.rateBuffer),
    now: Date.now,
    ...(input.secrets !== undefined ? { secrets: input.secrets } : {}),
    ...(input.keyLog !== undefined ? { keyLog: input.keyLog } : {}),
    ...(input.browserEnv !== undefined ? { browserEnv: input.browserEnv } : {}),
  };
}

/** Files from a map only: what later VUs may open, k6's allowOnlyOpenedFiles rule; paths VU 0 failed to open fail the same way. */
export function lockedFiles(files: ReadonlyMap<string, Uint8Array>, failed: ReadonlyMap<string, FailedOpen> = new Map()): FileSource {
  return {
    read(path) {
      const bytes = files.get(path);
      if (bytes === undefined) {
        const code = failed.get(path);
        throw code !== undefined ? openReadError(path, { code }) : notOpenedError(path);
      }
      return bytes;
    },
  };
}
