// Where `stampede run`'s logs go and how they look: k6's `--log-output` / K6_LOG_OUTPUT and
// `--log-format` / K6_LOG_FORMAT (internal/cmd/root.go setupLoggers, internal/log/file.go). A problem
// is k6's error, without an exit code (255).
import * as path from 'node:path';
import { existsSync } from 'node:fs';
import { EngineError, EXIT_CODES, logLine, type EngineIo } from '../engine/index.ts';
import { appendingFile } from './process-io.ts';

export type LogLevelName = 'debug' | 'info' | 'warn' | 'error';
export type LogFormatName = 'text' | 'json' | 'raw';

export interface LogSetup {
  readonly out: { write(s: string): void; isTTY: boolean };
  readonly format: LogFormatName;
  /** `file=…,level=L`: the least severe level written. */
  readonly level?: LogLevelName;
}

const fail = (message: string): never => {
  throw new EngineError(EXIT_CODES.noExitCode, message);
};

/** logrus.ParseLevel, folded onto the four levels the engine logs at. */
function levelOf(text: string): LogLevelName {
  switch (text.toLowerCase()) {
    case 'panic':
    case 'fatal':
    case 'error':
      return 'error';
    case 'warn':
    case 'warning':
      return 'warn';
    case 'info':
      return 'info';
    case 'debug':
    case 'trace':
      return 'debug';
    default:
      return fail(`unknown log level ${text}`);
  }
}

/** k6 internal/lib/strvals Parse, for `key=value,key=value` (no arrays). */
function configTokens(line: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let i = 0;
  while (i < line.length) {
    const start = i;
    let key: string | undefined;
    for (; i < line.length; i++) {
      if (line[i] === '=' && i !== line.length - 1) {
        key = line.slice(start, i);
        i++;
        break;
      }
      if (line[i] === ',') fail(`error while parsing logfile configuration key \`${line.slice(start, i)}\` with no value`);
    }
    if (key === undefined) return fail(`error while parsing logfile configuration key \`${line.slice(start)}\` with no value`);
    const comma = line.indexOf(',', i);
    out.push([key, comma < 0 ? line.slice(i) : line.slice(i, comma)]);
    i = comma < 0 ? line.length : comma + 1;
  }
  return out;
}

function fileOutput(line: string, cwd: string): { out: LogSetup['out']; level?: LogLevelName } {
  if (line.split('=')[0] !== 'file') fail(`logfile configuration should be in the form \`file=path-to-local-file\` but is \`${line}\``);
  let file = '';
  let level: LogLevelName | undefined;
  for (const [key, value] of configTokens(line)) {
    if (key === 'file') file = value;
    else if (key === 'level') level = levelOf(value);
    else fail(`unknown logfile config key ${key}`);
  }
  if (file === '') fail('filepath must not be empty');
  const abs = path.resolve(cwd, file);
  if (!existsSync(path.dirname(abs))) fail(`provided directory '${path.dirname(abs)}' does not exist`);
  let out: { write(s: string): void };
  try {
    out = appendingFile(abs, 0o600);
  } catch (e) {
    return fail(`failed to open logfile ${abs}: ${(e as Error).message}`);
  }
  return { out: { write: (s) => out.write(s), isTTY: false }, ...(level === undefined ? {} : { level }) };
}

/**
 * The log setup of a command, or the exit code when it cannot be made: k6 reports a logger it cannot set
 * up through the default one (stderr).
 */
export function openLogSetup(o: { logOutput?: string; logFormat?: string }, io: EngineIo): LogSetup | number {
  try {
    return logSetup(o, io);
  } catch (e) {
    if (!(e instanceof EngineError)) throw e;
    io.stderr.write(logLine('error', e.message, io.stderr.isTTY));
    return e.exitCode;
  }
}

/** The log destination and format for these flags (each falls back to its K6_* variable). */
export function logSetup(o: { logOutput?: string; logFormat?: string }, io: EngineIo): LogSetup {
  const line = o.logOutput ?? io.env.K6_LOG_OUTPUT ?? 'stderr';
  const formatText = o.logFormat ?? io.env.K6_LOG_FORMAT ?? '';
  const format: LogFormatName = formatText === 'json' || formatText === 'raw' ? formatText : 'text';
  if (line === 'stderr') return { out: io.stderr, format };
  if (line === 'stdout') return { out: io.stdout, format };
  if (line === 'none') return { out: { write: () => undefined, isTTY: false }, format };
  if (line.startsWith('loki')) fail(`unsupported log output '${line}': Stampede does not push logs to Loki (use file=PATH, stdout or stderr)`);
  if (line.startsWith('file')) return { ...fileOutput(line, io.cwd), format };
  return fail(`unsupported log output '${line}'`);
}

const RANK: Record<LogLevelName, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** Writes one of the CLI's own log lines (before and around the run) as the engine log would. */
export function writeLog(setup: LogSetup, level: LogLevelName, msg: string, colors: boolean, fields?: Readonly<Record<string, string>>, time?: number): void {
  if (RANK[level] < RANK[setup.level ?? 'debug']) return;
  setup.out.write(logLine(level, msg, colors && setup.out.isTTY, fields, setup.format, time));
}
