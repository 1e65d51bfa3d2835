import { describe, expect, it, vi } from 'vitest';
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
    // A busy run's metrics second is megabytes of JSON; the quadratic reader re-scanned and
    // re-flattened everything it held for each chunk (seconds per line), fell behind the runner, and
    // the run ended as aborted with its last seconds unread. What is measured is the work, not the
    // time: the bytes the reader scans and copies, which a loaded machine does not change.
    const size = 16 * 1024 * 1024;
    const line = Buffer.alloc(size + 1, 0x78);
    line[size] = 0x0a;
    const lines: number[] = [];
    const split = lineSplitter((l) => lines.push(l.length));
    let work = 0;
    const indexOf = Buffer.prototype.indexOf;
    const concat = Buffer.concat;
    const scans = vi.spyOn(Buffer.prototype, 'indexOf').mockImplementation(function (this: Buffer, ...args: unknown[]) {
      const at = indexOf.apply(this, args as Parameters<Buffer['indexOf']>);
      const from = typeof args[1] === 'number' ? args[1] : 0;
      work += (at < 0 ? this.length : at + 1) - from;
      return at;
    });
    const copies = vi.spyOn(Buffer, 'concat').mockImplementation((list, total) => {
      const out = concat(list, total);
      work += out.length;
      return out;
    });
    try {
      for (let i = 0; i < line.length; i += 65536) split(line.subarray(i, i + 65536));
    } finally {
      scans.mockRestore();
      copies.mockRestore();
    }
    expect(lines).toEqual([size]);
    // Each byte scanned once and copied once or twice (a quadratic reader: ~128 × size).
    expect(work).toBeLessThan(4 * size);
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
