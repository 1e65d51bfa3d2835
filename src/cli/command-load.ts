// Loading a test for a command that does not run it (`archive`, `inspect`): k6's global flags that
// apply to any load (-v, --no-color, -c, --log-output, --log-format), the load's warnings logged, and
// an engine error logged with its k6 exit code, which is then the command's.
import { EngineError, loadTest, warningLogEntry, type EngineIo, type LoadedTest, type RunFlags, type TestInput } from '../engine/index.ts';
import { configFileFlag } from './config-file-path.ts';
import { openLogSetup, writeLog, type LogLevelName } from './log-output.ts';

/** The global flags a load honours, as commander gives them (`optsWithGlobals`). */
export interface LoadGlobalOptions {
  config?: string;
  logOutput?: string;
  logFormat?: string;
  verbose?: boolean;
  color?: boolean;
}

export interface CommandLoad<T> {
  readonly value: T;
  /** The EngineIo with the command's log destination. */
  readonly io: EngineIo;
  /** Writes a line to the command's log, as the engine's lines are. */
  log(level: LogLevelName, msg: string): void;
}

/**
 * Loads `file` (a path, or a test read from stdin) with the flags `flagsOf` gives (it may throw an EngineError for a bad flag) plus the
 * global ones, and hands the test to `use`; an EngineError from any step is logged and its exit code
 * returned.
 */
export async function withLoadedTest<T>(
  file: string | TestInput, o: LoadGlobalOptions, given: EngineIo,
  flagsOf: (io: EngineIo) => RunFlags, use: (test: LoadedTest) => T | Promise<T>,
): Promise<CommandLoad<T> | number> {
  const setup = openLogSetup(o, given);
  if (typeof setup === 'number') return setup;
  const io: EngineIo = { ...given, log: setup.out };
  const colors = o.color !== false && (io.env.K6_NO_COLOR ?? '') === '' && io.env.NO_COLOR === undefined;
  const log = (level: LogLevelName, msg: string): void => writeLog(setup, level, msg, colors);
  try {
    const flags = flagsOf(io);
    if (o.verbose === true) flags.verbose = true;
    if (o.color === false) flags.noColor = true;
    const config = configFileFlag(o.config, io.env);
    if (config !== undefined) flags.config = config;
    flags.logFormat = setup.format;
    if (setup.level !== undefined) flags.logLevel = setup.level;
    const test = await loadTest(typeof file === 'string' ? { path: file } : file, flags, io);
    for (const w of test.warnings) {
      const entry = warningLogEntry(w);
      writeLog(setup, 'warn', entry.msg, colors, entry.fields);
    }
    return { value: await use(test), io, log };
  } catch (e) {
    if (!(e instanceof EngineError)) throw e;
    log('error', e.message);
    return e.exitCode;
  }
}
