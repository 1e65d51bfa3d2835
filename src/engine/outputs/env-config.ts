// How k6's outputs read their K6_* variables (mstoykov/envconfig into guregu null types): a text
// that is empty (or "null" for bools, ints, durations) leaves the value unset; a text that does not
// convert fails with envconfig's message. Also Go's JSON decoding errors for `collectors.<output>`.
import { parseDuration } from '../../core/index.ts';

export type EnvKind = 'string' | 'bool' | 'int' | 'duration' | 'list';

/** [variable, config key, kind, Go struct field]. */
export type EnvSpec<K extends string> = readonly [string, K, EnvKind, string];

const GO_TYPES: Readonly<Record<EnvKind, string>> = { string: 'null.String', bool: 'null.Bool', int: 'null.Int', duration: 'types.NullDuration', list: '[]string' };

/** Go's strconv.Atoi / ParseInt error text. */
export function goInt(text: string, fn = 'Atoi'): number {
  if (!/^[+-]?\d+$/.test(text)) throw new Error(`strconv.${fn}: parsing ${JSON.stringify(text)}: invalid syntax`);
  return Number(text);
}

/** k6's types.NullDuration from text, in ms: a Go duration, or a bare number of milliseconds. */
export function goDuration(text: string): number {
  try {
    return parseDuration(text);
  } catch {
    throw new Error(`time: invalid duration ${JSON.stringify(text)}`);
  }
}

/** guregu null.v3's Bool.UnmarshalText ("true"/"false"; undefined for "" and "null"). */
export function nullBool(text: string): boolean | undefined {
  if (text === '' || text === 'null') return undefined;
  if (text === 'true' || text === 'false') return text === 'true';
  throw new Error(`invalid input:${text}`);
}

/** The variables of `specs` that are set, converted; throws envconfig's error for one that does not convert. */
export function readEnv<K extends string>(env: Readonly<Record<string, string>>, specs: readonly EnvSpec<K>[]): Partial<Record<K, unknown>> {
  const c: Partial<Record<K, unknown>> = {};
  for (const [name, key, kind, field] of specs) {
    const v = env[name];
    if (v === undefined) continue;
    try {
      if (kind === 'string') {
        if (v !== '') c[key] = v;
      } else if (kind === 'list') {
        if (v !== '') c[key] = v.split(',');
      } else if (kind === 'bool') {
        const b = nullBool(v);
        if (b !== undefined) c[key] = b;
      } else if (v === '' || v === 'null') {
        continue;
      } else if (kind === 'int') {
        c[key] = goInt(v, 'ParseInt');
      } else {
        c[key] = goDuration(v);
      }
    } catch (e) {
      throw new Error(`envconfig.Process: assigning ${name} to ${field}: converting '${v}' to type ${GO_TYPES[kind]}. details: ${(e as Error).message}`);
    }
  }
  return c;
}

/** The JSON kinds a `collectors.<output>` field may have. */
export type JsonKind = EnvKind | 'map';

/** A `collectors.<output>` object read as Go's json.Unmarshal into the output's Config struct; throws its errors. */
export function readJson<K extends string>(json: unknown, goType: string, specs: readonly (readonly [string, K, JsonKind])[]): Partial<Record<K, unknown>> {
  if (json === undefined || json === null) return {};
  if (typeof json !== 'object' || Array.isArray(json)) {
    throw new Error(`json: cannot unmarshal ${jsType(json)} into Go value of type ${goType}`);
  }
  const src = json as Record<string, unknown>;
  const c: Partial<Record<K, unknown>> = {};
  const wrong = (key: string, v: unknown, type: string): never => {
    throw new Error(`json: cannot unmarshal ${jsType(v)} into Go struct field Config.${key} of type ${type}`);
  };
  for (const [jsonKey, key, kind] of specs) {
    const v = src[jsonKey];
    if (v === undefined || v === null) continue;
    if (kind === 'string') c[key] = typeof v === 'string' ? v : wrong(jsonKey, v, 'string');
    else if (kind === 'bool') c[key] = typeof v === 'boolean' ? v : wrong(jsonKey, v, 'bool');
    else if (kind === 'int') c[key] = typeof v === 'number' && Number.isInteger(v) ? v : wrong(jsonKey, v, 'int64');
    else if (kind === 'list') c[key] = Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : wrong(jsonKey, v, '[]string');
    else if (kind === 'map') {
      const ok = typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');
      c[key] = ok ? v : wrong(jsonKey, v, 'map[string]string');
    } else if (typeof v === 'string') c[key] = goDuration(v);
    // types.NullDuration from a JSON number: nanoseconds.
    else if (typeof v === 'number') c[key] = v / 1e6;
    else wrong(jsonKey, v, 'types.NullDuration');
  }
  return c;
}

function jsType(v: unknown): string {
  return Array.isArray(v) ? 'array' : typeof v;
}
