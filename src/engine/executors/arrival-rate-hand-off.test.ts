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
});
