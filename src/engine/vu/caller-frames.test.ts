import { describe, expect, it } from 'vitest';
import { resumed, resumeThrowing } from './caller-frames.ts';

/** A generator waiting at a call site the way the transform writes one: `__RS(yield value, site)`. */
function* waiting(): Generator<unknown, unknown, unknown> {
  return resumed(yield 'blocked', 7);
}

function started(): Generator<unknown, unknown, unknown> {
  const g = waiting();
  g.next();
  return g;
}

describe('caller frames: a rejected wait is thrown at the waiting call site', () => {
  it('gives the resumed value back when the wait succeeded', () => {
    const g = started();
    expect(g.next('value')).toEqual({ value: 'value', done: true });
  });

  it("throws the error there, with the waiting function's frame appended to its stack", () => {
    const e = new Error('boom');
    const before = e.stack ?? '';
    let thrown: unknown;
    try {
      resumeThrowing(started(), e);
    } catch (x) {
      thrown = x;
    }
    expect(thrown).toBe(e);
    const added = (e.stack ?? '').slice(before.length).split('\n');
    expect(added).toHaveLength(2);
    expect(added[1]).toMatch(/^\s+at waiting \(.*caller-frames\.test\.ts:\d+:\d+\)$/);
  });

  it('throws a value without a stack, or a frozen error, as it is', () => {
    expect(() => resumeThrowing(started(), 'plain')).toThrow('plain');
    const frozen = Object.freeze(new Error('frozen'));
    const stack = frozen.stack;
    expect(() => resumeThrowing(started(), frozen)).toThrow(frozen);
    expect(frozen.stack).toBe(stack);
  });

  it('refuses a generator that was not waiting at such a call site', () => {
    const g = (function* plain() {
      yield 1;
    })();
    g.next();
    expect(() => resumeThrowing(g, new Error('x'))).toThrow(/internal: a generator resumed with an error was not waiting at a call site/);
  });
});
