// One arrival-rate scenario's VUs as one pool across the instance's worker threads (k6 runs every
// iteration on any free VU of its one process): each worker starts the ticks of its stripe on its own
// VUs, and when none of them is idle it reserves an idle VU of another worker and hands it the tick as
// a ticket, so an iteration is dropped only when no VU of the instance is idle.
//
// One SharedArrayBuffer per scenario, made by the main thread. Int32 slots:
//   [0] participants whose tick loop still runs, [1] workers,
//   then per worker: [idle, wake, tail, capacity, first flag slot, first ticket slot],
//   then each worker's ring of `capacity` ticket flags (1: a ticket is ready in that place);
// then, 8-byte aligned, two Float64 per ring place: the ticket's iteration numbers.
// `idle` counts the worker's VUs that are idle and not reserved: the worker decrements it on a local
// take and increments it when a VU comes back; other workers only ever decrement it, by compare-and-swap
// while it is positive, so two workers never reserve the same VU. A reserved VU stays in its worker's
// idle list until the ticket arrives, so (idle list) − `idle` = tickets not yet taken, never more than
// the worker's VUs: a ring of that many places never overflows. The receiver waits for tickets with
// Atomics.waitAsync on `wake`, which keeps no thread alive.
import { arrivalRateVus } from './constant-arrival-rate.ts';
import type { ExecutionTuple } from './execution-segment.ts';
import type { ConstantArrivalRateConfig, RampingArrivalRateConfig } from './executor-config.ts';

const HEADER = 2;
const PER_WORKER = 6;
const IDLE = 0;
const WAKE = 1;
const TAIL = 2;
const CAPACITY = 3;
const FLAGS_AT = 4;
const TICKETS_AT = 5;
/** `idle` of a worker that takes no more tickets (the scenario ended there, or it has no VUs). */
const CLOSED = -0x40000000;

/** The numbers an iteration runs with, given by the worker whose tick it is (its striped index). */
export interface HandOffTicket {
  readonly iterationInScenario: number;
  readonly iterationInTest: number;
}

/** Each worker's max VUs of the scenario (0: it has none, so no stripe of the schedule either). */
export function handOffShares(config: ConstantArrivalRateConfig | RampingArrivalRateConfig, workers: readonly ExecutionTuple[]): number[] {
  return workers.map((t) => (t.fromValue(config.maxVUs) === undefined ? 0 : arrivalRateVus(config, t).max));
}

function ringSize(vus: number): number {
  let size = 1;
  while (size < vus) size *= 2;
  return size;
}

/** The scenario's buffer for workers with these shares; undefined when fewer than two have VUs (nothing to hand off). */
export function createHandOffBuffer(shares: readonly number[]): SharedArrayBuffer | undefined {
  const participants = shares.filter((s) => s > 0).length;
  if (participants < 2) return undefined;
  const rings = shares.map((s) => (s > 0 ? ringSize(s) : 0));
  const places = rings.reduce((a, b) => a + b, 0);
  const ints = HEADER + PER_WORKER * shares.length + places;
  const floatsAt = Math.ceil((4 * ints) / 8);
  const buffer = new SharedArrayBuffer(8 * (floatsAt + 2 * places));
  const i32 = new Int32Array(buffer);
  i32[0] = participants;
  i32[1] = shares.length;
  let flag = HEADER + PER_WORKER * shares.length;
  let ticket = floatsAt;
  rings.forEach((size, j) => {
    const base = HEADER + PER_WORKER * j;
    i32[base + IDLE] = size > 0 ? 0 : CLOSED;
    i32[base + CAPACITY] = size;
    i32[base + FLAGS_AT] = flag;
    i32[base + TICKETS_AT] = ticket;
    flag += size;
    ticket += 2 * size;
  });
  return buffer;
}

export class ArrivalRateHandOff {
  readonly #i32: Int32Array;
  readonly #f64: Float64Array;
  readonly #workers: number;
  readonly #self: number;
  readonly #idle: number;
  readonly #wake: number;
  /** This worker's ring: its places, where its flags and its tickets start. */
  readonly #ring: { readonly size: number; readonly flags: number; readonly tickets: number };
  #head = 0;
  #next: number;
  #left = false;
  #closed = false;
  /** Once closed: tickets other workers reserved a VU for and this worker has not taken yet. */
  #owed = 0;

  /** `self`: this worker's index. */
  constructor(buffer: SharedArrayBuffer, self: number) {
    this.#i32 = new Int32Array(buffer);
    this.#f64 = new Float64Array(buffer);
    this.#workers = this.#i32[1] ?? 0;
    this.#self = self;
    this.#idle = this.#at(self, IDLE);
    this.#wake = this.#at(self, WAKE);
    this.#next = self + 1;
    this.#ring = { size: this.#field(self, CAPACITY), flags: this.#field(self, FLAGS_AT), tickets: this.#field(self, TICKETS_AT) };
  }

  #at(worker: number, field: number): number {
    return HEADER + PER_WORKER * worker + field;
  }

  #field(worker: number, field: number): number {
    return this.#i32[this.#at(worker, field)] ?? 0;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** `count` VUs of this worker became idle (pre-allocated, initialised, or back from an iteration). */
  publish(count: number): void {
    if (!this.#closed) Atomics.add(this.#i32, this.#idle, count);
  }

  /** Takes one of this worker's idle VUs for its own tick: false when every one is busy or reserved. */
  takeOwn(): boolean {
    if (Atomics.sub(this.#i32, this.#idle, 1) > 0) return true;
    // Other workers only decrement a positive count, so the brief −1 never makes them miss a VU.
    Atomics.add(this.#i32, this.#idle, 1);
    return false;
  }

  /** Reserves an idle VU of another worker, trying each in turn: its index, or −1 when none has one. */
  reserveElsewhere(): number {
    const n = this.#workers;
    for (let k = 0; k < n; k++) {
      const j = (this.#next + k) % n;
      if (j === this.#self) continue;
      const slot = this.#at(j, IDLE);
      let seen = Atomics.load(this.#i32, slot);
      while (seen > 0) {
        const was = Atomics.compareExchange(this.#i32, slot, seen, seen - 1);
        if (was === seen) {
          this.#next = j + 1;
          return j;
        }
        seen = was;
      }
    }
    return -1;
  }

  /** Gives worker `to`, whose VU reserveElsewhere() reserved, the ticket to run on it now. */
  send(to: number, ticket: HandOffTicket): void {
    const size = this.#field(to, CAPACITY);
    const place = Atomics.add(this.#i32, this.#at(to, TAIL), 1) & (size - 1);
    const data = this.#field(to, TICKETS_AT) + 2 * place;
    this.#f64[data] = ticket.iterationInScenario;
    this.#f64[data + 1] = ticket.iterationInTest;
    Atomics.store(this.#i32, this.#field(to, FLAGS_AT) + place, 1);
    this.#wakeUp(to);
  }

  /** The next ticket handed to this worker, in the order they were sent, or undefined. */
  receive(): HandOffTicket | undefined {
    const { size, flags, tickets } = this.#ring;
    if (size === 0) return undefined;
    const place = this.#head & (size - 1);
    const flag = flags + place;
    if (Atomics.load(this.#i32, flag) === 0) return undefined;
    const data = tickets + 2 * place;
    const ticket = { iterationInScenario: this.#f64[data] ?? 0, iterationInTest: this.#f64[data + 1] ?? 0 };
    Atomics.store(this.#i32, flag, 0);
    this.#head = (this.#head + 1) | 0;
    if (this.#closed) this.#owed--;
    return ticket;
  }

  /** The count waitFor() compares with: read it before looking for tickets. */
  wakes(): number {
    return Atomics.load(this.#i32, this.#wake);
  }

  /** Resolves once something happened for this worker since wakes() gave `seen` (a ticket, kick(), the last leaver). */
  async waitFor(seen: number): Promise<void> {
    const r = Atomics.waitAsync(this.#i32, this.#wake, seen);
    if (r.async) await r.value;
  }

  /** Wakes this worker's own waitFor(). */
  kick(): void {
    this.#wakeUp(this.#self);
  }

  #wakeUp(worker: number): void {
    const wake = this.#at(worker, WAKE);
    Atomics.add(this.#i32, wake, 1);
    Atomics.notify(this.#i32, wake);
  }

  /** This worker starts no more ticks of its own; the last to leave wakes every worker. */
  leaveSchedule(): void {
    if (this.#left) return;
    this.#left = true;
    if (Atomics.sub(this.#i32, 0, 1) !== 1) return;
    for (let j = 0; j < this.#workers; j++) this.#wakeUp(j);
  }

  /** No worker starts ticks of its own any more: nobody needs this worker's VUs. */
  everyoneLeft(): boolean {
    return Atomics.load(this.#i32, 0) <= 0;
  }

  /**
   * Takes no more reservations. `idleHere`: this worker's idle list now; the reservations already made
   * on it are the tickets still owed (drained() once they are taken).
   */
  close(idleHere: number): void {
    if (this.#closed) return;
    this.#closed = true;
    const free = Atomics.exchange(this.#i32, this.#idle, CLOSED);
    this.#owed = free < 0 ? 0 : idleHere - free;
  }

  drained(): boolean {
    return this.#closed && this.#owed <= 0;
  }
}
