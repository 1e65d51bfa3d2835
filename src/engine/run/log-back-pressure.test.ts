import { describe, expect, it } from 'vitest';
import { Worker } from 'node:worker_threads';
import { LogLineGate, logLineWritten, newLogBackPressureBuffer } from './log-back-pressure.ts';

describe('log back-pressure between a worker and the main thread', () => {
  it('lets lines through while the main thread keeps up', () => {
    const buffer = newLogBackPressureBuffer();
    const gate = new LogLineGate(buffer, 3);
    const started = Date.now();
    for (let i = 0; i < 100; i++) {
      gate.beforePost();
      logLineWritten(buffer);
    }
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(new Int32Array(buffer)[0]).toBe(0);
  });

  it('holds a worker that is `limit` lines ahead until the main thread has written half of them', async () => {
    const buffer = newLogBackPressureBuffer();
    const gate = new LogLineGate(buffer, 4);
    for (let i = 0; i < 4; i++) gate.beforePost();
    // Another thread plays the main thread: it writes two lines (half of the limit), 300 ms from now.
    const writer = new Worker(
      `const { workerData } = require('node:worker_threads');
       const pending = new Int32Array(workerData);
       setTimeout(() => { for (let i = 0; i < 2; i++) { Atomics.sub(pending, 0, 1); Atomics.notify(pending, 0); } }, 300);`,
      { eval: true, workerData: buffer },
    );
    const started = Date.now();
    gate.beforePost();
    const waited = Date.now() - started;
    await writer.terminate();
    expect(waited).toBeGreaterThanOrEqual(250);
    expect(waited).toBeLessThan(4_000);
    expect(new Int32Array(buffer)[0]).toBe(3);
  });
});
