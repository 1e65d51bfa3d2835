// Test support for the contract fuzz: the v6 operations read from the served spec, values built from
// their schemas (valid ones honouring required fields, enums, formats and bounds), and a seeded PRNG so
// that a run's requests are the same every time.
import { loadSpec } from '../openapi/spec.ts';

type Json = Record<string, unknown>;

export interface SpecParameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: Json;
}

export interface SpecOperation {
  method: string;
  template: string;
  parameters: SpecParameter[];
  /** The request body's media type and schema, when the operation takes one. */
  body: { type: string; schema: Json; required: boolean } | null;
  statuses: number[];
}

const doc = loadSpec().document as Json;

/** The schema or parameter a `$ref` points at (refs inside the spec only). */
export function deref(node: Json): Json {
  let current = node;
  for (let i = 0; i < 20 && typeof current['$ref'] === 'string'; i++) {
    const parts = (current['$ref'] as string).replace(/^#\//, '').split('/');
    let target: unknown = doc;
    for (const p of parts) target = (target as Json)[p.replace(/~1/g, '/').replace(/~0/g, '~')];
    current = target as Json;
  }
  return current;
}

/** Every operation under `paths`, in the spec's order. */
export function specOperations(): SpecOperation[] {
  const out: SpecOperation[] = [];
  for (const [template, item] of Object.entries(doc['paths'] as Record<string, Json>)) {
    for (const [method, raw] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const op = raw as Json;
      const parameters = ((op['parameters'] ?? []) as Json[]).map((p) => {
        const r = deref(p);
        return { name: String(r['name']), in: r['in'] as SpecParameter['in'], required: r['required'] === true, schema: deref((r['schema'] ?? {}) as Json) };
      });
      let body: SpecOperation['body'] = null;
      if (op['requestBody']) {
        const rb = deref(op['requestBody'] as Json);
        const [type, media] = Object.entries(rb['content'] as Record<string, Json>)[0] ?? [];
        if (type && media) body = { type, schema: deref((media['schema'] ?? {}) as Json), required: rb['required'] === true };
      }
      const statuses = Object.keys(op['responses'] as Json).map(Number);
      out.push({ method: method.toUpperCase(), template, parameters, body, statuses });
    }
  }
  return out;
}

/** mulberry32: small, fast and good enough to pick test cases repeatably. */
export function prng(seed: number): Rng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T,
    chance: (p) => next() < p,
  };
}

export interface Rng {
  next(): number;
  int(lo: number, hi: number): number;
  pick<T>(xs: readonly T[]): T;
  chance(p: number): boolean;
}

/** Values a valid sample uses for properties naming existing resources (by property name). */
export type Hints = Record<string, unknown>;

/** The object schema a (possibly composed) schema describes, properties and required merged. */
export function objectShape(schema: Json): { properties: Record<string, Json>; required: string[] } | null {
  const s = deref(schema);
  if (Array.isArray(s['allOf'])) {
    const parts = (s['allOf'] as Json[]).map(objectShape).filter((x) => x !== null);
    return { properties: Object.assign({}, ...parts.map((p) => p.properties)), required: parts.flatMap((p) => p.required) };
  }
  if (s['properties'] === undefined) return null;
  const properties: Record<string, Json> = {};
  for (const [k, v] of Object.entries(s['properties'] as Record<string, Json>)) properties[k] = deref(v);
  return { properties, required: (s['required'] ?? []) as string[] };
}

let counter = 0;

/** A value `schema` accepts. `name` is the property it is for (so hints can name real resources). */
export function sample(schema: Json, rng: Rng, hints: Hints = {}, name = '', depth = 0): unknown {
  const s = deref(schema);
  if (name in hints) return hints[name];
  if (s['const'] !== undefined) return s['const'];
  if (Array.isArray(s['enum'])) {
    const options = (s['enum'] as unknown[]).filter((v) => v !== null);
    if (options.length > 0) return rng.pick(options);
  }
  const alternatives = (s['oneOf'] ?? s['anyOf']) as Json[] | undefined;
  if (alternatives) {
    const usable = alternatives.map(deref).filter((a) => a['type'] !== 'null');
    return sample(rng.pick(usable.length > 0 ? usable : alternatives), rng, hints, name, depth);
  }
  const shape = objectShape(s);
  let type = s['type'];
  if (Array.isArray(type)) type = (type as string[]).find((t) => t !== 'null') ?? 'null';
  if (shape && (type === undefined || type === 'object')) {
    const out: Json = {};
    for (const [key, prop] of Object.entries(shape.properties)) {
      if (prop['readOnly'] === true) continue;
      const wanted = shape.required.includes(key) || (depth < 3 && rng.chance(0.5));
      if (wanted) out[key] = sample(prop, rng, hints, key, depth + 1);
    }
    return out;
  }
  switch (type) {
    case 'string': return sampleString(s, rng);
    case 'integer':
    case 'number': {
      const lo = typeof s['minimum'] === 'number' ? s['minimum'] : 1;
      const hi = typeof s['maximum'] === 'number' ? s['maximum'] : lo + 100;
      return rng.int(Math.ceil(lo), Math.floor(Math.min(hi, lo + 100)));
    }
    case 'boolean': return rng.chance(0.5);
    case 'array': {
      const min = typeof s['minItems'] === 'number' ? s['minItems'] : 0;
      const max = Math.min(typeof s['maxItems'] === 'number' ? s['maxItems'] : 2, min + 2);
      const n = rng.int(min, Math.max(min, max));
      const items = (s['items'] ?? {}) as Json;
      const out: unknown[] = [];
      for (let i = 0; i < n; i++) out.push(sample(items, rng, hints, `${name}[]`, depth + 1));
      return s['uniqueItems'] === true ? [...new Map(out.map((v) => [JSON.stringify(v), v])).values()] : out;
    }
    case 'object': return {};
    default: return null;
  }
}

function sampleString(s: Json, rng: Rng): string {
  switch (s['format']) {
    case 'date-time': return new Date(Date.UTC(2026, 0, 1 + rng.int(0, 300))).toISOString();
    case 'date': return '2026-02-03';
    case 'email': return `fuzz${counter++}@example.com`;
    case 'uri': case 'url': return `https://example.com/${counter++}`;
    case 'uuid': return '0b9b4a58-0c47-4a0f-9c3e-6f1f8b2c9a11';
    default: break;
  }
  const min = typeof s['minLength'] === 'number' ? s['minLength'] : 1;
  const max = typeof s['maxLength'] === 'number' ? s['maxLength'] : 40;
  const candidates = [`fuzz_${counter++}_${rng.int(0, 9999)}`, 'a', 'A1', '1', 'fuzz'];
  const pattern = typeof s['pattern'] === 'string' ? new RegExp(s['pattern']) : null;
  for (const c of candidates) {
    const text = c.length < min ? c.padEnd(min, 'x') : c.slice(0, max);
    if (!pattern || pattern.test(text)) return text;
  }
  return 'a'.repeat(min);
}

/** Values of every JSON type and of awkward sizes, for "wrong type" mutations. */
export const HOSTILE_VALUES: readonly unknown[] = [
  null, '', ' ', 0, -1, 1.5, 2 ** 31, 2 ** 53 + 2, -(2 ** 63), 1e308, true, false, [], [null], {}, { nested: { deeper: [1] } },
  'x'.repeat(5000), 'ünïcødé ✓ 𝄞 \u202e', '\u0000', "'; DROP TABLE projects; --", '2026-13-45T25:61:00Z', '$top', '../../etc/passwd',
];

/** Query values no declared parameter accepts, or that sit at or past its bounds. */
export const HOSTILE_QUERY_VALUES: readonly string[] = [
  '', '-1', '0', '1001', 'abc', '1.5', '1e400', '99999999999999999999', '9007199254740993', "name eq 'x'", 'name desc,,', '%00',
  'x'.repeat(3000), '%C3%BC%F0%9D%84%9E', 'true', 'null', '2026-13-01', '-created',
];

/** Path segments that name no resource. */
export const HOSTILE_IDS: readonly string[] = [
  '0', '-1', 'abc', '1.5', '1e3', '999999999', '2147483648', '9007199254740993', '99999999999999999999999', '%20', '%C3%A9', 'x'.repeat(150), '0x10', '+1', '01',
];
