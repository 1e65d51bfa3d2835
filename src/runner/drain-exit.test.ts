import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { exitWhenDrained } from './drain-exit.ts';

/** A pipe whose reader takes `perChunkMs` for each chunk, or never reads when `perChunkMs` is null. */
function slowPipe(perChunkMs: number | null): Writable & { received: number } {
  const pipe = Object.assign(new Writable({
    highWaterMark: 1,
    write(chunk: Buffer, _enc, done) {
      if (perChunkMs === null) return;
      setTimeout(() => {
        pipe.received += chunk.length;
        done();
      }, perChunkMs);
    },
  }), { received: 0 });
  return pipe;
}

function exited(out: Writable, stallMs: number): Promise<number> {
  const started = Date.now();
  return new Promise((res) => exitWhenDrained(out, () => res(Date.now() - started), stallMs));
}

describe('exitWhenDrained', () => {
  it('waits for a slow reader that keeps reading, past the stall limit, until the last line is out', async () => {
    const pipe = slowPipe(15);
    for (let i = 0; i < 20; i++) pipe.write(`metrics ${i}\n`);
    pipe.write('finished\n');
    const after = await exited(pipe, 100);
    expect(pipe.received).toBe(20 * 'metrics 0\n'.length + 10 + 'finished\n'.length);
    expect(after).toBeGreaterThan(100);
  });

  it('gives up once nobody has read for the stall limit', async () => {
    const pipe = slowPipe(null);
    pipe.write('metrics\n');
    const after = await exited(pipe, 100);
    expect(after).toBeGreaterThanOrEqual(100);
    expect(after).toBeLessThan(2000);
  });
});
