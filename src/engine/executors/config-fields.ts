// Typed reads of JSON option values with k6's decoding rules (null.v3 / types.NullDuration): every bad
// value becomes a problem string instead of an exception, so callers can list all problems at once.
import { parseDuration } from '../../core/index.ts';

export type JsonObject = Record<string, unknown>;

/**
 * `obj` with its keys matched to `fields` as Go's encoding/json matches struct fields: an exact name
 * first, else ignoring case (`startvus` is `startVUs`); a later key for the same field wins. Other
 * keys are kept as given.
 */
export function foldFieldNames(obj: JsonObject, fields: Iterable<string>): JsonObject {
  const exact = new Set(fields);
  const folded = new Map<string, string>();
  for (const f of exact) if (!folded.has(f.toLowerCase())) folded.set(f.toLowerCase(), f);
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(obj)) {
    const name = exact.has(k) ? k : folded.get(k.toLowerCase()) ?? k;
    if (Object.hasOwn(out, name)) delete out[name];
    out[name] = v;
  }
  return out;
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the string ${JSON.stringify(v)}`;
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}

/** Collects problems under a path prefix ("scenarios.load.vus"). */
export class ProblemList {
  readonly items: string[] = [];
  add(path: string, message: string): void {
    this.items.push(path === '' ? message : `${path}: ${message}`);
  }
}

/** An integer: a JSON number without a fraction, or a numeric string (null.v3 accepts both). */
export function readInt(v: unknown, path: string, problems: ProblemList): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string' && /^[+-]?\d+$/.test(v)) return Number(v);
  if (typeof v === 'string' && v === '') return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    problems.add(path, `expected an integer, got ${describe(v)}`);
    return undefined;
  }
  return v;
}

export function readBool(v: unknown, path: string, problems: ProblemList): boolean | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') {
    problems.add(path, `expected a boolean, got ${describe(v)}`);
    return undefined;
  }
  return v;
}

export function readString(v: unknown, path: string, problems: ProblemList): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') {
    problems.add(path, `expected a string, got ${describe(v)}`);
    return undefined;
  }
  return v;
}

/** A k6 duration (Go-style string or number of milliseconds), in milliseconds. */
export function readDuration(v: unknown, path: string, problems: ProblemList): number | undefined {
  if (v === undefined || v === null) return undefined;
  try {
    return parseDuration(v);
  } catch (err) {
    problems.add(path, (err as Error).message);
    return undefined;
  }
}

export function readStringMap(v: unknown, path: string, problems: ProblemList): Record<string, string> | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) {
    problems.add(path, `expected an object of strings, got ${describe(v)}`);
    return undefined;
  }
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (typeof val !== 'string') problems.add(`${path}.${k}`, `expected a string, got ${describe(val)}`);
    else out[k] = val;
  }
  return out;
}

export function readStringList(v: unknown, path: string, problems: ProblemList): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) {
    problems.add(path, `expected an array of strings, got ${describe(v)}`);
    return undefined;
  }
  const out: string[] = [];
  v.forEach((item, i) => {
    if (typeof item !== 'string') problems.add(`${path}[${i}]`, `expected a string, got ${describe(item)}`);
    else out.push(item);
  });
  return out;
}

/** A stage as written; either field may be missing (validation reports that per executor). */
export interface StageInput {
  readonly duration?: number;
  readonly target?: number;
}

/**
 * `ignoreUnknown`: the top-level `stages` option, whose k6 type (lib.Stage) decodes itself with a plain
 * json.Unmarshal, so an unknown key in a stage (`durtaion`) is dropped without an error or warning;
 * a scenario's stages are decoded strictly (`json: unknown field`).
 */
export function readStages(v: unknown, path: string, problems: ProblemList, ignoreUnknown = false): StageInput[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) {
    problems.add(path, `expected an array of {duration, target}, got ${describe(v)}`);
    return undefined;
  }
  return v.map((item, i) => {
    const p = `${path}[${i}]`;
    if (!isObject(item)) {
      problems.add(p, `expected {duration, target}, got ${describe(item)}`);
      return {};
    }
    item = foldFieldNames(item, ['duration', 'target']);
    if (!ignoreUnknown) for (const k of Object.keys(item)) if (k !== 'duration' && k !== 'target') problems.add(p, `unknown field "${k}"`);
    const duration = readDuration(item.duration, `${p}.duration`, problems);
    const target = readInt(item.target, `${p}.target`, problems);
    return { ...(duration === undefined ? {} : { duration }), ...(target === undefined ? {} : { target }) };
  });
}
