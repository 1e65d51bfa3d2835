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
});
