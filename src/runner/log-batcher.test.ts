import { describe, expect, it } from 'vitest';
import { LogBatcher } from './log-batcher.ts';
import type { FromRunner } from './protocol.ts';

describe('log batcher', () => {
  it('gathers writes into one message per stream and caps a flood, saying how much was dropped', () => {
    const sent: FromRunner[] = [];
    const logs = new LogBatcher((m) => sent.push(m), { intervalMs: 10_000, maxBytes: 10 });
    logs.write('stdout', 'abc\n');
    logs.write('stdout', 'def\n');
    logs.write('stderr', '0123456789xyz');
    expect(sent).toEqual([]);
    logs.flush();
    expect(sent).toEqual([
      { type: 'log', stream: 'stdout', text: 'abc\ndef\n' },
      { type: 'log', stream: 'stderr', text: '0123456789\n[3 characters of output dropped]\n' },
    ]);
  });

  it('sends engine log lines as entries with logrus level names, caps them per interval and cuts long messages', () => {
    const sent: FromRunner[] = [];
    const logs = new LogBatcher((m) => sent.push(m), { intervalMs: 10_000, maxLines: 2, maxLineBytes: 5 });
    logs.entry({ time: 1_000, level: 'info', msg: 'hi', fields: { source: 'console' } });
    logs.entry({ time: 1_001, level: 'warn', msg: 'too long here', fields: {} });
    logs.entry({ time: 1_002, level: 'error', msg: 'dropped', fields: {} });
    logs.flush();
    expect(sent).toEqual([{
      type: 'logLines',
      lines: [
        { time: 1_000, level: 'info', msg: 'hi', fields: { source: 'console' } },
        { time: 1_001, level: 'warning', msg: 'too l… [8 characters cut]', fields: {} },
      ],
      dropped: 1,
    }]);
    logs.flush();
    expect(sent).toHaveLength(1);
  });
});
