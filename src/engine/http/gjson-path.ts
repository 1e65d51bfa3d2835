// gjson path syntax (github.com/tidwall/gjson), which k6's `Response.json(path)` follows:
//   path     := stage ('|' stage)*
//   stage    := segment ('.' segment)*
//   segment  := key | index | '#' | query | modifier
//   key      := any chars, with '\' escaping the next one ('\.' for a literal dot); unescaped '*'
//               and '?' make it a wildcard matching the first key that fits
//   query    := '#(' [path] [op value] ')' ['#']      op: == != < <= > >= % !%
//   modifier := '@reverse' | '@keys' | '@values' | '@this'
// On an array, a numeric segment indexes it, '#' as the last segment is its length, and '#' followed
// by more segments maps the rest of the path over every element (dropping elements where it is
// missing). `#(…)` is the first element matching the query, `#(…)#` all of them (the rest of the path
// then maps over the matches). A query without an operator matches elements where its path exists.
// '|' applies the next stage to the result as a whole (no mapping over a '#' projection).
// Anything that does not resolve yields undefined.

type Op = '' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '%' | '!%';

interface Query {
  readonly kind: 'query';
  readonly path: string;
  readonly op: Op;
  /** The value to compare with: a string literal unquoted, anything else as written. */
  readonly value: string;
  readonly all: boolean;
}

/** A key with unescaped '*' or '?': the first key matching it, in document order. */
interface Wildcard {
  readonly kind: 'wildcard';
  readonly pattern: string;
}

type Segment = string | Query | Wildcard | { readonly kind: 'modifier'; readonly name: Modifier };

type Modifier = '@reverse' | '@keys' | '@values' | '@this';
const MODIFIERS: ReadonlySet<string> = new Set<Modifier>(['@reverse', '@keys', '@values', '@this']);

type Stages = readonly (readonly Segment[])[];

// Scripts call res.json(path) with the same few paths every iteration: parse each once.
const PARSED = new Map<string, Stages | null>();
const PARSED_MAX = 512;

/** The key segments of a plain dotted path ('\' escapes the next character). */
export function splitGjsonPath(path: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < path.length; i++) {
    const ch = path[i] as string;
    if (ch === '\\' && i + 1 < path.length) {
      cur += path[i + 1];
      i++;
    } else if (ch === '.') {
      out.push(cur);
      cur = '';
    } else {
      cur += ch;
    }
  }
  out.push(cur);
  return out;
}

export function gjsonGet(value: unknown, path: string): unknown {
  if (path === '') return undefined;
  let stages = PARSED.get(path);
  if (stages === undefined) {
    stages = parsePath(path);
    if (PARSED.size >= PARSED_MAX) PARSED.clear();
    PARSED.set(path, stages);
  }
  if (stages === null) return undefined;
  let cur = value;
  for (const segs of stages) {
    cur = walk(cur, segs, 0);
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** The index of the ')' closing the '(' at `open`, skipping quoted strings and escapes; -1 if none. */
function closingParen(path: string, open: number): number {
  let depth = 0;
  for (let i = open; i < path.length; i++) {
    const ch = path[i];
    if (ch === '\\') i++;
    else if (ch === '"') {
      for (i++; i < path.length && path[i] !== '"'; i++) if (path[i] === '\\') i++;
    } else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i;
  }
  return -1;
}

/** The path's stages, or null when it cannot resolve anything (an unclosed or misplaced query). */
function parsePath(path: string): Stages | null {
  const stages: Segment[][] = [];
  let segs: Segment[] = [];
  let cur = '';
  let escaped = false;
  let queryPushed = false;
  let pattern = ''; // cur with its escapes kept, for a wildcard key
  let wild = false;
  const endSegment = (): void => {
    if (queryPushed) queryPushed = false;
    else if (wild) segs.push({ kind: 'wildcard', pattern });
    else segs.push(!escaped && MODIFIERS.has(cur) ? { kind: 'modifier', name: cur as Modifier } : cur);
    cur = '';
    pattern = '';
    escaped = false;
    wild = false;
  };
  for (let i = 0; i < path.length; i++) {
    const ch = path[i] as string;
    if (ch === '\\' && i + 1 < path.length) {
      cur += path[i + 1];
      pattern += `\\${path[i + 1]}`;
      escaped = true;
      i++;
    } else if (ch === '#' && cur === '' && !escaped && path[i + 1] === '(') {
      const close = closingParen(path, i + 1);
      if (close < 0) return null;
      const all = path[close + 1] === '#';
      const end = all ? close + 1 : close;
      // A query is a whole segment.
      if (end + 1 < path.length && path[end + 1] !== '.' && path[end + 1] !== '|') return null;
      segs.push(parseQuery(path.slice(i + 2, close), all));
      queryPushed = true;
      i = end;
    } else if (ch === '.') {
      endSegment();
    } else if (ch === '|') {
      endSegment();
      stages.push(segs);
      segs = [];
    } else {
      if (ch === '*' || ch === '?') wild = true;
      cur += ch;
      pattern += ch;
    }
  }
  endSegment();
  stages.push(segs);
  return stages;
}

const OPS: readonly Op[] = ['==', '!=', '<=', '>=', '!%', '<', '>', '%'];

function parseQuery(text: string, all: boolean): Query {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '\\') {
      i++;
      continue;
    }
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (depth === 0 && '=!<>%'.includes(ch)) {
      const rest = text.slice(i);
      // gjson also accepts a single '=' for equality.
      const op = OPS.find((o) => rest.startsWith(o)) ?? (ch === '=' ? '==' : undefined);
      if (op === undefined) continue;
      const width = rest.startsWith(op) ? op.length : 1;
      return { kind: 'query', path: text.slice(0, i).trim(), op, value: literal(text.slice(i + width).trim()), all };
    }
  }
  return { kind: 'query', path: text.trim(), op: '', value: '', all };
}

function literal(raw: string): string {
  if (raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"')) {
    try {
      return JSON.parse(raw) as string;
    } catch {
      return raw.slice(1, -1);
    }
  }
  return raw;
}

function walk(value: unknown, segs: readonly Segment[], i: number): unknown {
  if (i === segs.length) return value;
  const seg = segs[i] as Segment;
  if (typeof seg !== 'string') {
    if (seg.kind === 'modifier') return walk(applyModifier(value, seg.name), segs, i + 1);
    if (seg.kind === 'wildcard') {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
      const key = Object.keys(value).find((k) => like(k, seg.pattern));
      return key === undefined ? undefined : walk((value as Record<string, unknown>)[key], segs, i + 1);
    }
    if (!Array.isArray(value)) return undefined;
    if (!seg.all) {
      const hit = value.find((el) => matches(seg, el));
      return hit === undefined ? undefined : walk(hit, segs, i + 1);
    }
    return mapRest(value.filter((el) => matches(seg, el)), segs, i + 1);
  }
  if (Array.isArray(value)) {
    if (seg === '#') return i === segs.length - 1 ? value.length : mapRest(value, segs, i + 1);
    if (!/^\d+$/.test(seg)) return undefined;
    const idx = Number(seg);
    return idx < value.length ? walk(value[idx], segs, i + 1) : undefined;
  }
  if (value !== null && typeof value === 'object') {
    if (!Object.prototype.hasOwnProperty.call(value, seg)) return undefined;
    return walk((value as Record<string, unknown>)[seg], segs, i + 1);
  }
  return undefined;
}

function mapRest(items: readonly unknown[], segs: readonly Segment[], i: number): unknown[] {
  if (i === segs.length) return items.slice();
  const mapped: unknown[] = [];
  for (const el of items) {
    const r = walk(el, segs, i);
    if (r !== undefined) mapped.push(r);
  }
  return mapped;
}

function applyModifier(value: unknown, name: Modifier): unknown {
  const isObject = value !== null && typeof value === 'object' && !Array.isArray(value);
  switch (name) {
    case '@this':
      return value;
    case '@reverse':
      if (Array.isArray(value)) return value.slice().reverse();
      return isObject ? Object.fromEntries(Object.entries(value).reverse()) : value;
    case '@keys':
      return isObject ? Object.keys(value) : [];
    case '@values':
      if (Array.isArray(value)) return value;
      return isObject ? Object.values(value) : [];
  }
}

function matches(q: Query, el: unknown): boolean {
  const v = q.path === '' ? el : gjsonGet(el, q.path);
  if (v === undefined) return false;
  if (q.op === '') return true;
  const want = q.value;
  if (typeof v === 'string') {
    switch (q.op) {
      case '==': return v === want;
      case '!=': return v !== want;
      case '<': return v < want;
      case '<=': return v <= want;
      case '>': return v > want;
      case '>=': return v >= want;
      case '%': return like(v, want);
      case '!%': return !like(v, want);
    }
  }
  if (typeof v === 'number') {
    const n = Number(want);
    switch (q.op) {
      case '==': return v === n;
      case '!=': return v !== n;
      case '<': return v < n;
      case '<=': return v <= n;
      case '>': return v > n;
      case '>=': return v >= n;
      default: return false;
    }
  }
  if (typeof v === 'boolean') {
    // gjson orders false before true.
    const w = want === 'true' ? 1 : want === 'false' ? 0 : NaN;
    if (Number.isNaN(w)) return q.op === '!=';
    const b = v ? 1 : 0;
    switch (q.op) {
      case '==': return b === w;
      case '!=': return b !== w;
      case '<': return b < w;
      case '<=': return b <= w;
      case '>': return b > w;
      case '>=': return b >= w;
      default: return false;
    }
  }
  return false;
}

const LIKE_CACHE = new Map<string, RegExp>();

/** gjson's '%' match: '*' is any run of characters, '?' any one character, '\' escapes. */
function like(s: string, pattern: string): boolean {
  let re = LIKE_CACHE.get(pattern);
  if (re === undefined) {
    let src = '';
    for (let i = 0; i < pattern.length; i++) {
      const ch = pattern[i] as string;
      if (ch === '*') src += '[\\s\\S]*';
      else if (ch === '?') src += '[\\s\\S]';
      else {
        const lit = ch === '\\' && i + 1 < pattern.length ? (pattern[++i] as string) : ch;
        src += lit.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      }
    }
    re = new RegExp(`^${src}$`, 'u');
    if (LIKE_CACHE.size >= PARSED_MAX) LIKE_CACHE.clear();
    LIKE_CACHE.set(pattern, re);
  }
  return re.test(s);
}
