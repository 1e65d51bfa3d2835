// The non-retrying matchers of the jslib k6-testing (grafana/k6-jslib-testing 0.6.x): what each one
// tests and what its failure shows (see k6-testing-render.ts for the layout). Values are shown as the
// jslib shows them: a string as is, anything else as JSON (`undefined` for what JSON cannot show).
import { types } from 'node:util';
import type { Color, Failure, Line, Paint } from './k6-testing-render.ts';

/** Errors of the script realm, so the script's `instanceof Error` holds for what a matcher throws. */
export interface RealmErrors {
  Error: new (message: string) => Error;
  TypeError: new (message: string) => Error;
  /**
   * The engine's own class for one of the script realm's builtin classes (`Object`, `Array`, …): what
   * k6 modules make (a response, `res.json()`) comes from the engine's realm, where k6 has one realm.
   */
  hostClass(ctor: unknown): unknown;
}

/** A matcher's outcome: whether the value matched, and what a failure shows (computed on failure only). */
export interface Outcome {
  pass: boolean;
  failure: (negated: boolean) => Failure;
}

type Matcher = (received: unknown, errors: RealmErrors, ...args: unknown[]) => Outcome;

export function shown(value: unknown): string {
  return typeof value === 'string' ? value : String(JSON.stringify(value));
}

/** Deep equality as the jslib has it: same own enumerable keys, recursively, with `===` at the leaves. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => kb.includes(k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/**
 * The value at `a.b[0].c` (or at the keys of an array, `['a', 'b', '0', 'c']`); throws when a step is
 * missing (own properties only, indexes in bounds).
 */
export function propertyAt(obj: object, path: string | readonly unknown[]): unknown {
  if (Array.isArray(path)) return follow(obj, path.map(String), path.join('.'));
  if (path === '') throw new Error('Invalid path: empty string');
  const segments: string[] = [];
  let current = '';
  let bracket = false;
  for (const ch of path) {
    if (ch === '.' && !bracket) {
      if (current !== '') segments.push(current);
      current = '';
    } else if (ch === '[') {
      if (current !== '') segments.push(current);
      current = '';
      bracket = true;
    } else if (ch === ']') {
      if (!bracket) throw new Error(`Invalid path: ${path}`);
      segments.push(current);
      current = '';
      bracket = false;
    } else {
      current += ch;
    }
  }
  if (current !== '') segments.push(current);
  return follow(obj, segments, path as string);
}

function follow(obj: object, segments: readonly string[], path: string): unknown {
  let value: unknown = obj;
  for (const seg of segments) {
    if (value === null || value === undefined) throw new Error(`Property ${path} does not exist`);
    if (!Number.isNaN(Number(seg))) {
      if (!Array.isArray(value) || Number(seg) >= value.length) throw new Error(`No index ${seg}`);
      value = value[Number(seg)];
    } else {
      if (typeof value !== 'object' || !Object.prototype.hasOwnProperty.call(value, seg)) throw new Error(`No property ${seg}`);
      value = (value as Record<string, unknown>)[seg];
    }
  }
  return value;
}

const EXPECTED: readonly (readonly [string, Color])[] = [['expected', 'green']];

function receivedOnly(matcher: string, pass: boolean, received: unknown): Outcome {
  return {
    pass,
    failure: () => ({ matcher, args: [], lines: (p) => [{ label: 'Received', value: p(shown(JSON.stringify(received)), 'red'), group: 2 }] }),
  };
}

function labelled(matcher: string, pass: boolean, lines: (p: Paint, negated: boolean) => Line[], args = EXPECTED): Outcome {
  return { pass, failure: (negated) => ({ matcher, args, lines: (p) => lines(p, negated) }) };
}

// "Both values must be numbers, or the assertion will fail" (the docs; 0.6.x compared anything).
function comparison(matcher: string, op: string, test: (r: number, e: number) => boolean): Matcher {
  return (received, _errors, expected) => labelled(matcher, isNumeric(received) && test(received as number, expected as number), (p) => [
    { label: 'Expected', value: `${op} ${p(shown(expected), 'green')}`, group: 3 },
    { label: 'Received', value: p(shown(received), 'red'), group: 3 },
  ]);
}

function isNumeric(value: unknown): boolean {
  return typeof value === 'number' || typeof value === 'bigint';
}

function collectionKind(received: unknown): 'string' | 'array' | 'set' | undefined {
  if (typeof received === 'string') return 'string';
  if (Array.isArray(received)) return 'array';
  if (types.isSet(received)) return 'set';
  return undefined;
}

export const MATCHERS: Readonly<Record<string, Matcher>> = {
  toBe: (received, _errors, expected) => ({
    pass: Object.is(received, expected),
    failure: () => ({
      matcher: 'toBe',
      args: EXPECTED,
      filenameGroup: 3,
      lines: (p) => [
        { label: 'Expected', value: p(shown(expected), 'green'), group: 2 },
        { label: 'Received', value: p(shown(received), 'red'), group: 2 },
      ],
    }),
  }),

  toBeCloseTo: (received, _errors, expected, precision = 2) => {
    const r = received as number;
    const e = expected as number;
    const digits = precision as number;
    // The docs' formula (and the jslib's after 0.6.x); 0.6.x itself scaled it by max(|r|, |e|).
    const tolerance = 10 ** -digits / 2;
    const difference = Math.abs(r - e);
    return labelled('toBeCloseTo', difference < tolerance, (p) => [
      { label: 'Expected precision', value: p(String(digits), 'green'), group: 3 },
      { label: 'Expected difference', value: `< ${p(String(tolerance), 'green')}`, group: 3 },
      { label: 'Received difference', value: p(String(difference), 'red'), group: 3 },
    ], [['expected', 'green'], ['precision', 'white']]);
  },

  toBeDefined: (received) => receivedOnly('toBeDefined', received !== undefined, received),
  toBeFalsy: (received) => receivedOnly('toBeFalsy', !received, received),
  toBeTruthy: (received) => receivedOnly('toBeTruthy', !!received, received),
  // Number.isNaN, as documented (0.6.x coerced: isNaN('abc') passed).
  toBeNaN: (received) => receivedOnly('toBeNaN', Number.isNaN(received), received),
  toBeNull: (received) => receivedOnly('toBeNull', received === null, received),
  toBeUndefined: (received) => receivedOnly('toBeUndefined', received === undefined, received),

  toBeGreaterThan: comparison('toBeGreaterThan', '>', (r, e) => r > e),
  toBeGreaterThanOrEqual: comparison('toBeGreaterThanOrEqual', '>=', (r, e) => r >= e),
  toBeLessThan: comparison('toBeLessThan', '<', (r, e) => r < e),
  toBeLessThanOrEqual: comparison('toBeLessThanOrEqual', '<=', (r, e) => r <= e),

  toBeInstanceOf: (received, errors, expected) => {
    if (received === null || received === undefined) throw new errors.TypeError(`Cannot read property 'constructor' of ${String(received)}`);
    if (typeof expected !== 'function') throw new errors.TypeError('Right-hand side of \'instanceof\' is not callable');
    const receivedName = String((received as { constructor?: { name?: unknown } }).constructor?.name);
    const host = errors.hostClass(expected);
    const pass = received instanceof (expected as new () => unknown) || (typeof host === 'function' && received instanceof host);
    return labelled('toBeInstanceOf', pass, (p) => [
      { label: 'Expected constructor', value: p(String(expected.name), 'green'), group: 3 },
      { label: 'Received constructor', value: p(receivedName, 'red'), group: 3 },
    ]);
  },

  toEqual: (received, _errors, expected) => labelled('toEqual', deepEqual(received, expected), (p) => [
    { label: 'Expected', value: p(shown(JSON.stringify(expected)), 'green'), group: 3 },
    { label: 'Received', value: p(shown(JSON.stringify(received)), 'red'), group: 3 },
  ]),

  toHaveLength: (received, errors, expected) => {
    if (received === null || received === undefined) throw new errors.TypeError(`Cannot read property 'length' of ${String(received)}`);
    const length = (received as { length?: unknown }).length;
    return labelled('toHaveLength', length === expected, (p) => [
      { label: 'Expected length', value: p(String(expected), 'green'), group: 3 },
      { label: 'Received length', value: p(String(length), 'red'), group: 3 },
      // The jslib prints this line without ever filling it in.
      { label: 'Received array', value: p('undefined', 'red'), group: 3 },
    ]);
  },

  toContain: (received, errors, expected) => {
    const kind = collectionKind(received);
    if (kind === undefined) throw new errors.Error('toContain is only supported for strings, arrays, and sets');
    let pass: boolean;
    if (kind === 'string') pass = (received as string).includes(expected as string);
    else if (kind === 'array') pass = (received as unknown[]).includes(expected);
    else pass = Array.from(received as Set<unknown>).includes(expected);
    return labelled('toContain', pass, (p, negated) => [
      { label: negated ? 'Expected not to contain' : 'Expected to contain', value: p(shown(expected), 'green'), group: 3 },
      { label: `Received ${kind}`, value: p(shown(received), 'red'), group: 3 },
    ]);
  },

  toContainEqual: (received, errors, expected) => {
    const kind = collectionKind(received);
    if (kind === undefined || kind === 'string') throw new errors.Error('toContainEqual is only supported for arrays and sets');
    const items = kind === 'array' ? (received as unknown[]) : Array.from(received as Set<unknown>);
    return labelled('toContainEqual', items.some((item) => deepEqual(item, expected)), (p, negated) => [
      { label: negated ? 'Expected not to contain equal' : 'Expected to contain equal', value: p(shown(expected), 'green'), group: 3 },
      { label: `Received ${kind}`, value: p(shown(received), 'red'), group: 3 },
    ]);
  },

  toHaveProperty: (received, errors, keyPath, expected) => {
    if (typeof received !== 'object' || received === null) throw new errors.Error('toHaveProperty is only supported for objects');
    const path = Array.isArray(keyPath) ? keyPath.join('.') : String(keyPath);
    let pass: boolean;
    try {
      const value = propertyAt(received, Array.isArray(keyPath) ? keyPath : path);
      pass = expected === undefined || deepEqual(value, expected);
    } catch {
      pass = false;
    }
    return labelled('toHaveProperty', pass, (p, negated) => [
      { label: 'Property path', value: p(path, 'white'), group: 3 },
      expected === undefined
        ? { label: negated ? 'Expected property not to exist' : 'Expected property to exist', value: '', group: 3 }
        : { label: negated ? 'Expected property not to equal' : 'Expected property to equal', value: p(shown(expected), 'green'), group: 3 },
      { label: 'Received object', value: p(shown(received), 'red'), group: 3 },
    ], [['keyPath', 'white'], ['expected?', 'green']]);
  },
};

/** The jslib's retrying matchers: they poll k6/browser locators and pages (k6-testing-retrying.ts). */
export const BROWSER_MATCHERS = [
  'toBeChecked', 'toBeDisabled', 'toBeEditable', 'toBeEmpty', 'toBeEnabled', 'toBeHidden', 'toBeVisible',
  'toContainText', 'toHaveAttribute', 'toHaveText', 'toHaveTitle', 'toHaveValue',
] as const;
