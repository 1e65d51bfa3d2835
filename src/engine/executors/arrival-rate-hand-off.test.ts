import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { ArrivalRateHandOff, createHandOffBuffer, handOffShares } from './arrival-rate-hand-off.ts';
import { ExecutionTuple } from './execution-segment.ts';
import type { ConstantArrivalRateConfig } from './executor-config.ts';

const ticket = (n: number): { iterationInScenario: number; iterationInTest: number } => ({ iterationInScenario: n, iterationInTest: 10 * n });

function workers(shares: number[]): ArrivalRateHandOff[] {
  const buffer = createHandOffBuffer(shares);
  if (buffer === undefined) throw new Error('no buffer');
  return shares.map((_, i) => new ArrivalRateHandOff(buffer, i));
}

describe('arrival-rate hand-off', () => {
  it('needs two workers with VUs of the scenario', () => {
    expect(createHandOffBuffer([4])).toBeUndefined();
    expect(createHandOffBuffer([3, 0, 0])).toBeUndefined();
    expect(createHandOffBuffer([1, 0, 1])).toBeInstanceOf(SharedArrayBuffer);
  });

  it('shares are each worker\'s max VUs, none for a worker without a stripe', () => {
    const config = { maxVUs: 3, preAllocatedVUs: 1 } as ConstantArrivalRateConfig;
    expect(handOffShares(config, [0, 1, 2, 3].map((i) => ExecutionTuple.forWorker(i, 4)))).toEqual([1, 1, 1, 0]);
  });

  it('another worker reserves only VUs that are idle, each once, and never one its worker took', () => {
    const [a, b, c] = workers([2, 2, 2]);
    if (!a || !b || !c) throw new Error('workers');
    a.publish(2);
    expect(a.takeOwn()).toBe(true);
    expect(b.reserveElsewhere()).toBe(0);
    // a's second VU is reserved for b: neither a nor c gets it.
    expect(a.takeOwn()).toBe(false);
    expect(c.reserveElsewhere()).toBe(-1);
    a.publish(1);
    expect(c.reserveElsewhere()).toBe(0);
    expect(b.reserveElsewhere()).toBe(-1);
  });

  it('delivers tickets in order, with their numbers, and wakes the receiver', async () => {
    const [a, b] = workers([3, 1]);
    if (!a || !b) throw new Error('workers');
    a.publish(3);
    const seen = a.wakes();
    expect(a.receive()).toBeUndefined();
    const woken = a.waitFor(seen);
    for (let n = 0; n < 3; n++) {
      expect(b.reserveElsewhere()).toBe(0);
      b.send(0, ticket(n));
    }
    await woken;
    expect([a.receive(), a.receive(), a.receive(), a.receive()]).toEqual([ticket(0), ticket(1), ticket(2), undefined]);
    // The ring is reused once its tickets were taken.
    a.publish(3);
    for (let n = 3; n < 6; n++) {
      expect(b.reserveElsewhere()).toBe(0);
      b.send(0, ticket(n));
    }
    expect([a.receive(), a.receive(), a.receive()]).toEqual([ticket(3), ticket(4), ticket(5)]);
  });

  it('once closed takes no reservations and is drained when the tickets reserved before are in', () => {
    const [a, b] = workers([2, 2]);
    if (!a || !b) throw new Error('workers');
    a.publish(2);
    expect(b.reserveElsewhere()).toBe(0);
    a.close(2);
    expect(b.reserveElsewhere()).toBe(-1);
    expect(a.drained()).toBe(false);
    b.send(0, ticket(7));
    expect(a.receive()).toEqual(ticket(7));
    expect(a.drained()).toBe(true);
    // A VU coming back after the close is not offered again.
    a.publish(1);
    expect(b.reserveElsewhere()).toBe(-1);
  });

  it('everyone has left the schedule once the last worker with VUs leaves, which wakes the others', async () => {
    const [a, idle, b] = workers([1, 0, 1]);
    if (!a || !idle || !b) throw new Error('workers');
    const seen = a.wakes();
    a.leaveSchedule();
    a.leaveSchedule();
    expect(a.everyoneLeft()).toBe(false);
    const woken = a.waitFor(seen);
    b.leaveSchedule();
    await woken;
    expect(a.everyoneLeft()).toBe(true);
  });

  it('kick wakes the worker\'s own wait', async () => {
    const [a] = workers([1, 1]);
    if (!a) throw new Error('workers');
    const woken = a.waitFor(a.wakes());
    a.kick();
    await expect(woken).resolves.toBeUndefined();
  });

  it('threads racing for one worker\'s VUs get each exactly once, that worker\'s own takes included', async () => {
    const vus = 20_000;
    const buffer = createHandOffBuffer([vus, 1, 1, 1]);
    if (buffer === undefined) throw new Error('no buffer');
    const go = new SharedArrayBuffer(8);
    // Thread 0 takes its own VUs, threads 1-3 reserve them and send each a ticket, all at once.
    const source = `
      const { workerData, parentPort } = require('node:worker_threads');
      (async () => {
        const { register } = await import('tsx/esm/api');
        register();
        const { ArrivalRateHandOff } = await import(workerData.module);
        const h = new ArrivalRateHandOff(workerData.buffer, workerData.self);
        const go = new Int32Array(workerData.go);
        Atomics.add(go, 1, 1);
        Atomics.wait(go, 0, 0);
        let n = 0;
        if (workerData.self === 0) while (h.takeOwn()) n++;
        else for (let to = h.reserveElsewhere(); to >= 0; to = h.reserveElsewhere()) h.send(to, { iterationInScenario: workerData.self, iterationInTest: n++ });
        parentPort.postMessage(n);
      })();`;
    const module = new URL('./arrival-rate-hand-off.ts', import.meta.url).pathname;
    const publisher = new ArrivalRateHandOff(buffer, 0);
    publisher.publish(vus);
    const threads = [0, 1, 2, 3].map((self) => new Worker(source, { eval: true, workerData: { buffer, go, self, module } }));
    const counts = threads.map((t) => new Promise<number>((resolve, reject) => {
      t.once('message', resolve);
      t.once('error', reject);
    }));
    const flags = new Int32Array(go);
    while (Atomics.load(flags, 1) < threads.length) await new Promise((r) => setTimeout(r, 5));
    Atomics.store(flags, 0, 1);
    Atomics.notify(flags, 0);
    const [own = 0, ...reserved] = await Promise.all(counts);
    await Promise.all(threads.map((t) => t.terminate()));
    expect(own + reserved.reduce((a, b) => a + b, 0)).toBe(vus);
    // Every reservation's ticket arrived once, in a place of its own.
    const tickets: string[] = [];
    for (let t = publisher.receive(); t !== undefined; t = publisher.receive()) tickets.push(`${t.iterationInScenario}:${t.iterationInTest}`);
    expect(tickets).toHaveLength(vus - own);
    expect(new Set(tickets).size).toBe(tickets.length);
  }, 30_000);
});
