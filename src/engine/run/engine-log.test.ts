import { describe, expect, it } from 'vitest';
import { EngineLog, logLine } from './engine-log.ts';

function lines(colors: boolean, write: (log: EngineLog) => void): string[] {
  const out: string[] = [];
  const log = new EngineLog({ write: (s) => void out.push(s) }, { colors, now: () => Date.UTC(2026, 0, 2, 3, 4, 5, 600) });
  write(log);
  return out;
}

describe('the engine log, in the layouts of k6\'s logrus text formatter', () => {
  it('off a terminal: logfmt with time, level, msg (Go-quoted when needed, left out when empty) and sorted fields', () => {
    const got = lines(false, (log) => {
      log.write('info', 'hello', { source: 'console' });
      log.write('warn', 'Request Failed', { error: 'GET "x": timeout' });
      log.write('error', 'Error: boom\n\tat default (x.js:1:2)', { source: 'stacktrace', executor: 'shared-iterations' });
      log.write('info', '', { source: 'console' });
      log.write('debug', 'hidden');
    });
    const time = /^time="(\d{4}-\d\d-\d\dT\d\d:\d\d:05(?:Z|[+-]\d\d:\d\d))" /;
    expect(got.every((l) => time.test(l))).toBe(true);
    expect(got.map((l) => l.replace(time, ''))).toEqual([
      'level=info msg=hello source=console\n',
      'level=warning msg="Request Failed" error="GET \\"x\\": timeout"\n',
      'level=error msg="Error: boom\\n\\tat default (x.js:1:2)" executor=shared-iterations source=stacktrace\n',
      'level=info source=console\n',
    ]);
  });

  it('on a terminal: coloured level, seconds since the start, message padded to 44', () => {
    expect(lines(true, (log) => log.write('info', 'hi', { source: 'console' }))).toEqual([`\x1b[36mINFO\x1b[0m[0000] ${'hi'.padEnd(44)}  source=console\n`]);
    expect(logLine('error', 'bad options', false)).toMatch(/^time="[^"]+" level=error msg="bad options"\n$/);
  });

  it('logLine writes every level, debug too: its callers (the REST API\'s request lines) show those with -v', () => {
    expect(logLine('debug', 'PATCH /v1/status', false, { status: '200' })).toMatch(/^time="[^"]+" level=debug msg="PATCH \/v1\/status" status=200\n$/);
  });
});

describe('the engine log in k6\'s other --log-format layouts', () => {
  const at = Date.UTC(2026, 0, 2, 3, 4, 5, 600);
  it('json: logrus JSONFormatter, sorted keys, HTML-safe escaping, clashing fields kept as fields.*', () => {
    const out: string[] = [];
    const log = new EngineLog({ write: (s) => void out.push(s) }, { format: 'json', colors: true, now: () => at });
    log.write('warn', 'a <b> & "c"\n', { source: 'console', msg: 'x', zz: 'last' });
    log.write('debug', 'hidden');
    expect(out).toHaveLength(1);
    const line = out[0] ?? '';
    expect(line.endsWith('}\n')).toBe(true);
    expect(line).toContain('"msg":"a \\u003cb\\u003e \\u0026 \\"c\\"\\n"');
    const parsed = JSON.parse(line) as Record<string, string>;
    expect(Object.keys(parsed)).toEqual(['fields.msg', 'level', 'msg', 'source', 'time', 'zz']);
    expect(parsed).toMatchObject({ level: 'warning', msg: 'a <b> & "c"\n', source: 'console', 'fields.msg': 'x' });
    expect(parsed.time).toMatch(/^2026-01-0\dT\d\d:04:05(Z|[+-]\d\d:\d\d)$/);
  });

  it('raw: the message alone; console lines can go to a file of their own, without the source field', () => {
    const out: string[] = [];
    const file: string[] = [];
    const log = new EngineLog({ write: (s) => void out.push(s) }, { format: 'raw', now: () => at });
    log.write('info', 'before', { source: 'console' });
    log.redirectConsole({ write: (s) => void file.push(s) });
    log.write('info', 'after', { source: 'console' });
    log.write('error', 'engine problem');
    expect(out).toEqual(['before\n', 'engine problem\n']);
    expect(file).toEqual(['after\n']);

    const text: string[] = [];
    const tty = new EngineLog({ write: () => undefined }, { colors: true, now: () => at });
    tty.redirectConsole({ write: (s) => void text.push(s) });
    tty.write('info', 'to file', { source: 'console' });
    // The file never gets colours, and loses the source field (k6 newFileConsole).
    expect(text[0]).toMatch(/^time="[^"]+" level=info msg="to file"\n$/);
    expect(logLine('info', 'x', false, undefined, 'json')).toMatch(/^\{"level":"info","msg":"x","time":"[^"]+"\}\n$/);
  });

  it('hands every line to a host that keeps logs as an entry (time, level, mapped message, fields) and formats nothing', () => {
    const out: string[] = [];
    const entries: unknown[] = [];
    const log = new EngineLog({ write: (s) => void out.push(s) }, { now: () => 1_700_000_000_123, mapText: (t) => t.replace('factory.js:9:1', 'script.js:3:5'), entries: { write: (e) => void entries.push(e) } });
    log.write('warn', 'at factory.js:9:1', { source: 'console' });
    log.write('debug', 'below the level');
    expect(out).toEqual([]);
    expect(entries).toEqual([{ time: 1_700_000_000_123, level: 'warn', msg: 'at script.js:3:5', fields: { source: 'console' } }]);
  });
});

describe('engine log entries with tee (a logrus hook of k6\'s)', () => {
  it('sees each entry written, after the level filter, console lines redirected to a file too, and the lines are still written', () => {
    const seen: string[] = [];
    const out: string[] = [];
    const consoleFile: string[] = [];
    const log = new EngineLog({ write: (s) => void out.push(s) }, { entries: { tee: true, write: ({ level, msg, fields }) => void seen.push(`${level} ${msg} ${JSON.stringify(fields)}`) } });
    log.redirectConsole({ write: (s) => void consoleFile.push(s) });
    log.write('debug', 'hidden');
    log.write('info', 'hello', { source: 'console' });
    log.write('warn', 'careful');
    expect(seen).toEqual(['info hello {"source":"console"}', 'warn careful {}']);
    expect(out).toHaveLength(1);
    expect(out[0]).toContain('msg=careful');
    expect(consoleFile).toHaveLength(1);
  });
});
