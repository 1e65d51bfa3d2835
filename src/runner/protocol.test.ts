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

  it('drops a line past maxLineBytes as it comes, holding none of it, and reads the next line', () => {
    // A script holding its runner's `process` writes to the runner's stdout without ever ending a line:
    // the server must not keep what it sends (128 MiB here, held in full before).
    const overlong: number[] = [];
    const lines: string[] = [];
    const split = lineSplitter((l) => lines.push(l), { maxLineBytes: 1024 * 1024, onOverlong: (n) => overlong.push(n) });
    const chunk = Buffer.alloc(65536, 0x41);
    const before = process.memoryUsage().arrayBuffers;
    for (let i = 0; i < 2048; i++) split(chunk);
    const held = process.memoryUsage().arrayBuffers - before;
    split('tail\n{"ok":1}\nshort');
    split(' line\n');
    expect(held).toBeLessThan(16 * 1024 * 1024);
    expect(overlong).toEqual([2048 * 65536 + 4]);
    expect(lines).toEqual(['{"ok":1}', 'short line']);
  });
});
