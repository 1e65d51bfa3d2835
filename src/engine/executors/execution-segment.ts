// Execution segments (k6 lib/execution_segment.go): a segment is the half-open share (from, to] of the
// whole test that one instance (here: one worker thread) runs. Integers such as VU counts are split with
// k6's striping algorithm so that per-segment values always add up to the global value and only grow
// as the global value grows; iteration indexes are striped the same way, so segments never overlap.
import { ONE, ZERO, add, cmp, mul, parseRational, rat, ratString, sub, toNumber, type Rational } from './rational.ts';

export class ExecutionSegment {
  readonly from: Rational;
  readonly to: Rational;
  readonly length: Rational;

  constructor(from: Rational, to: Rational) {
    if (cmp(from, ZERO) < 0) throw new RangeError(`segment start value must be at least 0 but was ${toNumber(from).toFixed(2)}`);
    if (cmp(from, to) >= 0) {
      throw new RangeError(`segment start(${toNumber(from).toFixed(2)}) must be less than its end(${toNumber(to).toFixed(2)})`);
    }
    if (cmp(to, ONE) > 0) throw new RangeError(`segment end value can't be more than 1 but was ${toNumber(to).toFixed(2)}`);
    this.from = from;
    this.to = to;
    this.length = sub(to, from);
  }

  equals(other: ExecutionSegment): boolean {
    return cmp(this.from, other.from) === 0 && cmp(this.to, other.to) === 0;
  }

  toString(): string {
    return `${ratString(this.from)}:${ratString(this.to)}`;
  }
}

export const FULL_SEGMENT = new ExecutionSegment(ZERO, ONE);

function parsePoint(text: string): Rational {
  if (text.endsWith('%')) {
    const body = text.slice(0, -1);
    if (!/^[+-]?\d+$/.test(body)) throw new RangeError(`'${text}' is not a valid percentage`);
    return rat(BigInt(body), 100n);
  }
  const r = parseRational(text);
  if (r === undefined) throw new RangeError(`'${text}' is not a valid percentage, decimal, fraction or interval value`);
  return r;
}

/**
 * Parses "1/4:1/2", "25%:50%", "0.25:0.5", or a single value meaning "0:value" ("" means the whole test).
 */
export function parseExecutionSegment(text: string): ExecutionSegment {
  let from = ZERO;
  let toText = text === '' ? '1' : text;
  const colon = toText.indexOf(':');
  if (colon >= 0) {
    from = parsePoint(toText.slice(0, colon));
    toText = toText.slice(colon + 1);
  }
  return new ExecutionSegment(from, parsePoint(toText));
}

/** Parses "0,1/4,1/2,1" into consecutive segments; "" gives an empty sequence. */
export function parseExecutionSegmentSequence(text: string): ExecutionSegment[] {
  if (text === '') return [];
  const points = text.split(',');
  if (points.length < 2) throw new RangeError(`at least 2 points are needed for an execution segment sequence, ${points.length} given`);
  const rats = points.map(parsePoint);
  const out: ExecutionSegment[] = [];
  for (let i = 1; i < rats.length; i++) out.push(new ExecutionSegment(rats[i - 1] as Rational, rats[i] as Rational));
  return out;
}

export function sequenceToString(seq: readonly ExecutionSegment[]): string {
  if (seq.length === 0) return '';
  return [ratString((seq[0] as ExecutionSegment).from), ...seq.map((s) => ratString(s.to))].join(',');
}

/** k6 GetFilledExecutionSegmentSequence: fills the gaps before and after so the sequence covers 0..1. */
export function fillSequence(seq: readonly ExecutionSegment[], fallback?: ExecutionSegment): ExecutionSegment[] {
  let result: ExecutionSegment[];
  if (seq.length === 0) {
    if (fallback === undefined || cmp(fallback.length, ONE) === 0) return [FULL_SEGMENT];
    result = [fallback];
  } else {
    for (let i = 1; i < seq.length; i++) {
      const prev = seq[i - 1] as ExecutionSegment;
      const cur = seq[i] as ExecutionSegment;
      if (cmp(prev.to, cur.from) !== 0) {
        throw new RangeError(
          `the start value ${ratString(cur.from)} of segment #${i} must be equal to the end value of the previous one, but it is ${ratString(prev.to)}`,
        );
      }
    }
    result = [...seq];
  }
  const first = result[0] as ExecutionSegment;
  if (cmp(first.from, ZERO) !== 0) result.unshift(new ExecutionSegment(ZERO, first.from));
  const last = result[result.length - 1] as ExecutionSegment;
  if (cmp(last.to, ONE) !== 0) result.push(new ExecutionSegment(last.to, ONE));
  return result;
}

function gcdNum(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/**
 * A full sequence with its precomputed stripes. `offsets[i]` is [start, d1, d2, …]: segment i owns
 * index `start`, then `start+d1`, … within each LCD-sized block, repeating every `lcd` indexes.
 */
export class SegmentSequence {
  readonly segments: readonly ExecutionSegment[];
  readonly lcd: number;
  private readonly offsets: number[][];

  constructor(segments: readonly ExecutionSegment[]) {
    const first = segments[0];
    const last = segments[segments.length - 1];
    if (!first || !last || cmp(first.from, ZERO) !== 0 || cmp(last.to, ONE) !== 0) {
      throw new RangeError(`cannot wrap around a non-full execution segment sequence '${sequenceToString(segments)}'`);
    }
    this.segments = segments;
    let lcd = 1;
    for (const s of segments) {
      const d = Number(s.length.den);
      lcd = (lcd / gcdNum(lcd, d)) * d;
    }
    this.lcd = lcd;
    // Striping: walk the LCD block; each index goes to the first segment (largest first, stable)
    // whose picks so far, spaced by 1/length, have reached it — spreading each segment's picks apart.
    const sorted = segments
      .map((s, originalIndex) => ({ norm: Number(s.length.num) * (lcd / Number(s.length.den)), originalIndex }))
      .sort((a, b) => b.norm - a.norm);
    const offsets: number[][] = segments.map(() => []);
    const prev = segments.map(() => 0);
    const chosen = sorted.map(() => 0);
    for (let i = 0; i < lcd; i++) {
      for (let si = 0; si < sorted.length; si++) {
        const entry = sorted[si] as { norm: number; originalIndex: number };
        const num = (chosen[si] as number) * lcd;
        const denom = entry.norm;
        const q = Math.floor(num / denom);
        if (i > q || (i === q && num % denom === 0)) {
          chosen[si] = (chosen[si] as number) + 1;
          const idx = entry.originalIndex;
          const list = offsets[idx] as number[];
          list.push(i - (prev[idx] as number));
          prev[idx] = i;
          if (list.length === denom) list.push((list[0] as number) + lcd - i);
          break;
        }
      }
    }
    this.offsets = offsets;
  }

  stripedOffsets(index: number): { start: number; offsets: number[]; lcd: number } {
    const o = this.offsets[index] as number[];
    return { start: o[0] as number, offsets: o.slice(1), lcd: this.lcd };
  }

  scaleInt64(index: number, value: number): number {
    const o = this.offsets[index] as number[];
    const per = o.length - 1;
    let result = Math.floor(value / this.lcd) * per;
    const rest = value % this.lcd;
    for (let gi = 0, i = o[0] as number; i < rest; i += o[gi + 1] as number, gi++) result++;
    return result;
  }

  indexOf(segment: ExecutionSegment): number {
    const i = this.segments.findIndex((s) => s.equals(segment));
    if (i < 0) throw new RangeError(`couldn't find segment ${segment.toString()} in sequence ${sequenceToString(this.segments)}`);
    return i;
  }
}

/** One segment of a sequence: what a worker needs to scale VUs and stripe iterations. */
export class ExecutionTuple {
  readonly sequence: SegmentSequence;
  readonly index: number;

  constructor(sequence: SegmentSequence, index: number) {
    this.sequence = sequence;
    this.index = index;
  }

  get segment(): ExecutionSegment {
    return this.sequence.segments[this.index] as ExecutionSegment;
  }

  /** k6 NewExecutionTuple: the segment (default: whole test) inside its (filled) sequence. */
  static of(segment: ExecutionSegment = FULL_SEGMENT, sequence: readonly ExecutionSegment[] = []): ExecutionTuple {
    const seq = new SegmentSequence(fillSequence(sequence, segment));
    return new ExecutionTuple(seq, seq.indexOf(segment));
  }

  /** Worker i of n as segment i/n:(i+1)/n of the sequence 0,1/n,…,1. */
  static forWorker(i: number, n: number): ExecutionTuple {
    const segs: ExecutionSegment[] = [];
    for (let k = 0; k < n; k++) segs.push(new ExecutionSegment(rat(k, n), rat(k + 1, n)));
    return new ExecutionTuple(new SegmentSequence(segs), i);
  }

  /**
   * Worker i of n inside this tuple's segment. A whole-test instance's workers are the segments
   * i/n:(i+1)/n. A segment's workers split the instance's own share — worker i takes the instance's
   * stripes i, i+n, … (NestedTuple) — so the instance runs exactly k6's share of its segment
   * whatever its worker count: the instances of a distributed run (one per load zone, each with the
   * worker count its own share allows) still add up to the whole test and never overlap.
   */
  forWorkerIn(i: number, n: number): ExecutionTuple {
    if (n === 1) return this;
    const worker = ExecutionTuple.forWorker(i, n);
    return this.isFull ? worker : new NestedTuple(this, worker);
  }

  get isFull(): boolean {
    return this.sequence.segments.length === 1;
  }

  scaleInt64(value: number): number {
    if (this.isFull) return value;
    return this.sequence.scaleInt64(this.index, value);
  }

  stripedOffsets(): { start: number; offsets: number[]; lcd: number } {
    return this.sequence.stripedOffsets(this.index);
  }

  /**
   * k6 GetNewExecutionTupleFromValue: re-splits the sequence so each segment's length is its share of
   * `value` (used to split iterations the same way VUs were split). Undefined when this segment gets none.
   */
  fromValue(value: number): ExecutionTuple | undefined {
    if (value < 1) return undefined;
    if (value % this.sequence.lcd === 0) return this;
    const segs: ExecutionSegment[] = [];
    let newIndex = -1;
    let prev = 0;
    this.sequence.segments.forEach((_, i) => {
      const v = this.sequence.scaleInt64(i, value);
      if (v === 0) return;
      if (i === this.index) newIndex = segs.length;
      segs.push(new ExecutionSegment(rat(prev, value), rat(prev + v, value)));
      prev += v;
    });
    if (newIndex < 0) return undefined;
    return new ExecutionTuple(new SegmentSequence(segs), newIndex);
  }
}

/**
 * k6 SegmentedIndex: iterates this segment's indexes, returning both the local (scaled) count and the
 * global (unscaled) one; both are 1-based.
 */
export class SegmentedIndex {
  private readonly start: number;
  private readonly offsets: number[];
  private readonly lcd: number;
  scaled = 0;
  unscaled = 0;

  constructor(tuple: ExecutionTuple) {
    const s = tuple.stripedOffsets();
    this.start = s.start;
    this.offsets = s.offsets;
    this.lcd = s.lcd;
  }

  next(): { scaled: number; unscaled: number } {
    if (this.scaled === 0) this.unscaled += this.start + 1;
    else this.unscaled += this.offsets[(this.scaled - 1) % this.offsets.length] as number;
    this.scaled++;
    return { scaled: this.scaled, unscaled: this.unscaled };
  }

  prev(): { scaled: number; unscaled: number } {
    if (this.scaled === 1) this.unscaled -= this.start + 1;
    else this.unscaled -= this.offsets[(this.scaled - 2) % this.offsets.length] as number;
    this.scaled--;
    return { scaled: this.scaled, unscaled: this.unscaled };
  }

  /** The `scaled`-th (1-based) index of the segment, as the `scaled`-th call of next() gives it; no move. */
  at(scaled: number): { scaled: number; unscaled: number } {
    if (scaled <= 0) return { scaled: 0, unscaled: 0 };
    const m = scaled - 1;
    let unscaled = this.start + 1 + Math.floor(m / this.offsets.length) * this.lcd;
    for (let i = 0; i < m % this.offsets.length; i++) unscaled += this.offsets[i] as number;
    return { scaled, unscaled };
  }

  /** Moves to the largest local index whose global index is ≤ value. */
  goTo(value: number): { scaled: number; unscaled: number } {
    const whole = Math.floor(value / this.lcd);
    this.scaled = whole * this.offsets.length;
    this.unscaled = whole * this.lcd + this.start + 1;
    let gi = 0;
    for (let i = this.start; i < value % this.lcd; i += this.offsets[gi] as number, gi++) {
      this.scaled++;
      this.unscaled += this.offsets[gi] as number;
    }
    if (gi > 0) this.unscaled -= this.offsets[gi - 1] as number;
    else if (this.scaled > 0) this.unscaled -= this.offsets[this.offsets.length - 1] as number;
    if (this.scaled === 0) this.unscaled = 0;
    return { scaled: this.scaled, unscaled: this.unscaled };
  }
}

function gcdInt(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/**
 * The part `inner` of the indexes an `outer` tuple owns: `inner` stripes the outer's local indexes
 * (its 1st, 2nd, … index), so every figure is the inner share of the outer share
 * (scaleInt64(v) = inner.scaleInt64(outer.scaleInt64(v))) and the global indexes owned are those of
 * the outer tuple at the inner tuple's local positions.
 */
class NestedTuple extends ExecutionTuple {
  readonly outer: ExecutionTuple;
  readonly inner: ExecutionTuple;
  #stripes: { start: number; offsets: number[]; lcd: number } | undefined;

  constructor(outer: ExecutionTuple, inner: ExecutionTuple) {
    super(outer.sequence, outer.index);
    this.outer = outer;
    this.inner = inner;
  }

  override get segment(): ExecutionSegment {
    const o = this.outer.segment;
    const i = this.inner.segment;
    return new ExecutionSegment(add(o.from, mul(o.length, i.from)), add(o.from, mul(o.length, i.to)));
  }

  override get isFull(): boolean {
    return false;
  }

  override scaleInt64(value: number): number {
    return this.inner.scaleInt64(this.outer.scaleInt64(value));
  }

  override stripedOffsets(): { start: number; offsets: number[]; lcd: number } {
    if (this.#stripes !== undefined) return this.#stripes;
    const o = this.outer.stripedOffsets();
    const inner = this.inner.stripedOffsets();
    // The outer's positions within its period, and which local positions the inner owns.
    const outerAt = [o.start];
    for (const d of o.offsets.slice(0, -1)) outerAt.push((outerAt.at(-1) as number) + d);
    const innerOwns = new Array<boolean>(inner.lcd).fill(false);
    for (let at = inner.start, k = 0; at < inner.lcd; at += inner.offsets[k] as number, k++) innerOwns[at] = true;
    // Both patterns repeat together after lcm(outer count, inner period) local indexes.
    const perOuter = outerAt.length;
    const locals = (perOuter / gcdInt(perOuter, inner.lcd)) * inner.lcd;
    const lcd = (locals / perOuter) * o.lcd;
    const owned: number[] = [];
    for (let l = 0; l < locals; l++) {
      if (innerOwns[l % inner.lcd]) owned.push(Math.floor(l / perOuter) * o.lcd + (outerAt[l % perOuter] as number));
    }
    const first = owned[0] as number;
    const offsets = owned.slice(1).map((g, k) => g - (owned[k] as number));
    offsets.push(first + lcd - (owned.at(-1) as number));
    this.#stripes = { start: first, offsets, lcd };
    return this.#stripes;
  }

  override fromValue(value: number): ExecutionTuple | undefined {
    if (value < 1) return undefined;
    const outer = this.outer.fromValue(value);
    const inner = outer === undefined ? undefined : this.inner.fromValue(this.outer.scaleInt64(value));
    return outer === undefined || inner === undefined ? undefined : new NestedTuple(outer, inner);
  }
}
