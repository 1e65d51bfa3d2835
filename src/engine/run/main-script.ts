// The script on the main thread: the options VU (VU 0, whose init reads `options` and is the only one
// allowed to open new files) and the service VUs that run setup, teardown and handleSummary.
import * as path from 'node:path/posix';
import type { CompiledScript } from '../compile/compile-script.ts';
import type { MetricRegistry } from '../metrics/metric-registry.ts';
import type { LogSink } from '../vu/log-sink.ts';
import type { KeyLogSink, SampleSink, VuOptions } from '../vu/vu-host.ts';
import type { ExecutionFacts, FileSource, StopFlag } from '../vu/vu-services.ts';
import { Vu } from '../vu/vu.ts';
import { notOpenedError, openReadError, type FailedOpen } from '../vu/open-errors.ts';
import type { VuServices } from '../vu/vu-services.ts';
import { buildVuServices } from './vu-services-builder.ts';
import type { SecretStore } from '../modules/secret-store.ts';

/**
 * open() through the engine io while VU 0 initialises, then only what was read (k6 allowOnlyOpenedFiles).
 * Paths VU 0 found missing, or directories, are remembered too: k6's cache-on-read file system lets
 * later VUs look again at every path VU 0 requested, so they get the same not-found error (and
 * k6/experimental/fs its NotFoundError), not the one for paths never requested.
 */
export class RecordingFiles implements FileSource {
  readonly opened = new Map<string, Uint8Array>();
  readonly failed = new Map<string, FailedOpen>();
  #locked = false;
  readonly #readFile: (p: string) => Promise<Uint8Array>;
  readonly #known: ReadonlyMap<string, Uint8Array>;

  constructor(readFile: (p: string) => Promise<Uint8Array>, known: ReadonlyMap<string, Uint8Array>) {
    this.#readFile = readFile;
    this.#known = known;
  }

  lock(): void {
    this.#locked = true;
  }

  get recording(): boolean {
    return !this.#locked;
  }

  read(abs: string): Uint8Array | Promise<Uint8Array> {
    const have = this.opened.get(abs) ?? this.#known.get(abs);
    if (have !== undefined) {
      this.opened.set(abs, have);
      return have;
    }
    const failed = this.failed.get(abs);
    if (failed !== undefined) throw openReadError(abs, { code: failed });
    if (this.#locked) {
      throw notOpenedError(abs);
    }
    return this.#readFile(abs).then(
      (bytes) => {
        this.opened.set(abs, bytes);
        return bytes;
      },
      (e: unknown) => {
        const err = openReadError(abs, e);
        if (err.code === 'ENOENT' || err.code === 'EISDIR') this.failed.set(abs, err.code);
        throw err;
      },
    );
  }
}

export interface MainScriptInput {
  compiled: CompiledScript;
  readFile(p: string): Promise<Uint8Array>;
  env: Readonly<Record<string, string>>;
  samples: SampleSink;
  metrics: MetricRegistry;
  log: LogSink;
  execution: ExecutionFacts;
  stop: StopFlag;
  /** The instance's `rps` bucket, shared with the workers. */
  rateBuffer: SharedArrayBuffer;
  secrets?: SecretStore;
  /** k6's "extended" compatibility mode: `global` is an alias of `globalThis`. */
  globalAlias: boolean;
  /** k6's `freeze-env` feature: `__ENV` is frozen. */
  freezeEnv?: boolean;
  /** `SSLKEYLOGFILE`: where the service VUs' TLS connections log their session keys. */
  keyLog?: KeyLogSink;
}

export class MainScript {
  readonly files: RecordingFiles;
  readonly scriptDir: string;
  #svc: VuServices;
  #input: MainScriptInput;
  #configured: { options: VuOptions; runTags: Readonly<Record<string, string>> } = { options: {}, runTags: {} };

  constructor(input: MainScriptInput) {
    this.#input = input;
    this.files = new RecordingFiles(input.readFile, input.compiled.files);
    this.scriptDir = /^https?:\/\//i.test(input.compiled.mainPath) ? new URL('.', input.compiled.mainPath).href : path.dirname(input.compiled.mainPath);
    this.#svc = this.#services({}, {});
  }

  /** Runs VU 0's init and returns it (its exports carry `options`); files are locked afterwards. */
  async initOptionsVu(): Promise<Vu> {
    const vu = new Vu(this.#svc, 0, 0);
    try {
      await vu.init();
    } finally {
      this.files.lock();
    }
    return vu;
  }

  /** Consolidated options and run tags are known: later service VUs see them. */
  configure(options: VuOptions, runTags: Readonly<Record<string, string>>): void {
    this.#configured = { options, runTags };
    this.#svc = this.#services(options, runTags);
  }

  /** Variables a host adds (RunHooks.env), under the run's own: setup and teardown see them as the workers' VUs do. */
  addHostEnv(env: Readonly<Record<string, string>>): void {
    this.#input = { ...this.#input, env: { ...env, ...this.#input.env } };
    this.#svc = this.#services(this.#configured.options, this.#configured.runTags);
  }

  async serviceVu(): Promise<Vu> {
    const vu = new Vu(this.#svc, 0, 0);
    await vu.init();
    return vu;
  }

  #services(options: VuOptions, runTags: Readonly<Record<string, string>>): VuServices {
    const i = this.#input;
    return buildVuServices({
      factorySource: i.compiled.factorySource,
      filename: i.compiled.filename,
      trackRejections: i.compiled.usesPromises,
      rateBuffer: i.rateBuffer,
      scriptDir: this.scriptDir,
      options,
      env: i.env,
      runTags,
      samples: i.samples,
      metrics: i.metrics,
      log: i.log,
      files: this.files,
      execution: i.execution,
      stop: i.stop,
      ...(i.secrets !== undefined ? { secrets: i.secrets } : {}),
      ...(i.keyLog !== undefined ? { keyLog: i.keyLog } : {}),
      globalAlias: i.globalAlias,
      freezeEnv: i.freezeEnv === true,
    });
  }
}
