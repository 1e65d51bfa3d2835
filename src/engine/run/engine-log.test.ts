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
});
