import { describe, expect, it } from 'vitest';
import { lineSplitter } from './protocol.ts';

function collect(chunks: readonly (Buffer | string)[]): string[] {
  const lines: string[] = [];
  const split = lineSplitter((line) => lines.push(line));
  for (const c of chunks) split(c);
  return lines;
}

describe('lineSplitter', () => {
  it('gives whole lines across chunk boundaries, a UTF-8 character split between chunks included', () => {
    const bytes = Buffer.from('{"a":"é€"}\r\n\n{"b":2}\n{"c":', 'utf8');
    const chunks = [bytes.subarray(0, 8), bytes.subarray(8, 9), bytes.subarray(9)];
    expect(collect(chunks)).toEqual(['{"a":"é€"}', '{"b":2}']);
    expect(collect([...chunks, '3}\n'])).toEqual(['{"a":"é€"}', '{"b":2}', '{"c":3}']);
  });

  it('reads a line of megabytes arriving in 64 KiB chunks in linear time', () => {
    // A busy run's metrics second is megabytes of JSON; the quadratic reader took seconds per line,
    // fell behind the runner, and the run ended as aborted with its last seconds unread.
    const line = Buffer.from(`${'x'.repeat(16 * 1024 * 1024)}\n`);
    const lines: number[] = [];
    const split = lineSplitter((l) => lines.push(l.length));
    const started = performance.now();
    for (let i = 0; i < line.length; i += 65536) split(line.subarray(i, i + 65536));
    expect(lines).toEqual([16 * 1024 * 1024]);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
