import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EngineIo } from '../engine/index.ts';
import { configFileFlag } from './config-file-path.ts';
import { logSetup, writeLog } from './log-output.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'stampede-log-output-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function io(env: Record<string, string> = {}): EngineIo {
  const sink = { write: () => undefined, isTTY: false };
  return { cwd: dir, env, readFile: () => Promise.reject(new Error('no')), writeFile: () => Promise.resolve(), stdout: { ...sink }, stderr: { ...sink } };
}

const problem = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    expect((e as { exitCode?: number }).exitCode).toBe(255);
    return (e as Error).message;
  }
  throw new Error('expected a problem');
};

describe('--log-output and --log-format (k6 root.go setupLoggers)', () => {
  it('stderr by default, stdout, none; K6_LOG_OUTPUT/K6_LOG_FORMAT stand in for the flags; unknown formats are text', () => {
    const i = io({ K6_LOG_FORMAT: 'json' });
    expect(logSetup({}, i)).toMatchObject({ out: i.stderr, format: 'json' });
    expect(logSetup({ logOutput: 'stdout', logFormat: 'xml' }, i)).toMatchObject({ out: i.stdout, format: 'text' });
    expect(logSetup({}, io({ K6_LOG_OUTPUT: 'stdout' })).format).toBe('text');
    const none = logSetup({ logOutput: 'none', logFormat: 'raw' }, i);
    expect(none.out).not.toBe(i.stderr);
    expect(none.out).not.toBe(i.stdout);
  });

  it('file=PATH,level=L appends to the file (relative to the working directory) only lines at least that severe', () => {
    const setup = logSetup({ logOutput: 'file=k6.log,level=warning', logFormat: 'raw' }, io());
    writeLog(setup, 'info', 'not this', false);
    writeLog(setup, 'warn', 'careful', false);
    writeLog(setup, 'error', 'broken', false);
    expect(setup.level).toBe('warn');
    expect(readFileSync(path.join(dir, 'k6.log'), 'utf8')).toBe('careful\nbroken\n');
  });

  it("problems are k6's errors, exit 255", () => {
    expect(problem(() => logSetup({ logOutput: 'syslog' }, io()))).toBe("unsupported log output 'syslog'");
    expect(problem(() => logSetup({ logOutput: 'file' }, io()))).toBe('error while parsing logfile configuration key `file` with no value');
    expect(problem(() => logSetup({ logOutput: 'filex=a.log' }, io()))).toBe('logfile configuration should be in the form `file=path-to-local-file` but is `filex=a.log`');
    expect(problem(() => logSetup({ logOutput: 'file=a.log,level=loud' }, io()))).toBe('unknown log level loud');
    expect(problem(() => logSetup({ logOutput: 'file=a.log,size=1' }, io()))).toBe('unknown logfile config key size');
    expect(problem(() => logSetup({ logOutput: 'file=missing/a.log' }, io()))).toBe(`provided directory '${path.join(dir, 'missing')}' does not exist`);
    expect(problem(() => logSetup({ logOutput: 'loki=localhost:3100' }, io()))).toContain('Stampede does not push logs to Loki');
  });
});

describe('the config file path (k6 cmd/state getFlags)', () => {
  it('-c, else K6_CONFIG, else the default under the user config dir, which alone may be missing', () => {
    const env = { HOME: '/home/u', K6_CONFIG: '/etc/k6.json' };
    expect(configFileFlag('mine.json', env)).toEqual({ path: 'mine.json', optional: false });
    expect(configFileFlag(undefined, env)).toEqual({ path: '/etc/k6.json', optional: false });
    expect(configFileFlag(undefined, { HOME: '/home/u' })).toEqual({ path: '/home/u/.config/k6/config.json', optional: true });
    expect(configFileFlag(undefined, { HOME: '/home/u', XDG_CONFIG_HOME: '/xdg' })).toEqual({ path: '/xdg/k6/config.json', optional: true });
    expect(configFileFlag('/home/u/.config/k6/config.json', { HOME: '/home/u' })?.optional).toBe(true);
    expect(configFileFlag(undefined, {})).toBeUndefined();
  });
});
