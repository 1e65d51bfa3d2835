// Test support for the bad-input sweep: for one operation of the spec, every malformed request its own
// schema suggests (path ids, query values, bodies, content types, sizes), each with what the answer
// must be. Unlike the seeded contract fuzz, nothing is sampled: the sweep sends all of them.
// Whether a body is bad is decided by the spec itself (the server's reading of it, `createSpecValidator`),
// so a body the spec forbids must be refused and one it allows may succeed.
import { createSpecValidator } from '../openapi/schema-validator.ts';
import { deref, objectShape, sample, prng } from './spec-fuzz.ts';
import type { Hints, SpecOperation } from './spec-fuzz.ts';
import { multipartBody, script } from './api-harness.ts';
import type { CallOptions } from './api-harness.ts';

type Json = Record<string, unknown>;

/** What the answer to a case must be: one of `statuses`, or any documented status below 500. */
export type Expectation = { statuses: number[] } | 'any';

export interface BadCase {
  what: string;
  url: string;
  opts: CallOptions;
  expect: Expectation;
}

/** The real resources a valid request names. */
export interface PathValues {
  values(template: string, name: string): string;
  hints: Hints;
}

const validator = createSpecValidator();

/**
 * Path segments that are no positive integer id, or name nothing (after URL decoding). `..` is not
 * among them: a client resolves it in the URL (RFC 3986 §5.2.4) before sending, so it reaches another path.
 */
export const BAD_IDS: readonly string[] = [
  '0', '-1', '-9007199254740993', 'abc', '1.5', '1e3', '0x10', '+1', '01', '%201', '1%20', 'null', 'undefined', 'true', '[1]',
  '9007199254740992', '9007199254740993', '9223372036854775807', '9223372036854775808', '18446744073709551616', '9'.repeat(40),
  '%C3%A9', '%F0%9F%98%80', '%E2%80%AE1', '%00', '%01', '%FF', '%E0%A4%A', '%', '%2F', '...', '1;2', "1'%20OR%20'1'='1", '9'.repeat(150), 'x'.repeat(199), 'x'.repeat(5000),
];

/** Label keys (a string path parameter) that name no label. */
export const BAD_KEYS: readonly string[] = ['nokey', '%00', '%C3%A9%F0%9F%98%80', 'x'.repeat(5000), '%2F', '...', "'", '%20', '%FF'];

/** Ten megabytes and a bit: past the default body limit (10 MiB). */
export const OVERSIZED = 10 * 1024 * 1024 + 1024;

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Whether `body` matches the operation's JSON request body schema, as the server reads the spec. */
export function bodyIsValid(op: SpecOperation, body: unknown): boolean {
  const fn = validator.compile(`#/paths/${escapePointer(op.template)}/${op.method.toLowerCase()}/requestBody/content/application~1json/schema`);
  return fn(body) === true;
}

function fill(template: string, values: (name: string) => string): string {
  return template.replace(/\{([^}]+)\}/g, (_m, name: string) => values(name));
}

function qs(pairs: readonly [string, string][]): string {
  // Values starting with % are sent as they are (already encoded, or deliberately broken).
  return pairs.length === 0 ? '' : `?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${v.startsWith('%') ? v : encodeURIComponent(v)}`).join('&')}`;
}

/** A valid JSON body for the operation (required fields and some optional ones, real resources named). */
export function validJsonBody(op: SpecOperation, p: PathValues): unknown {
  if (op.body?.type !== 'application/json') return undefined;
  // A fixed seed per operation: the same body every run.
  const rng = prng(op.template.length * 31 + op.method.length);
  for (let i = 0; i < 50; i++) {
    const body = sample(op.body.schema, rng, p.hints);
    if (bodyIsValid(op, body)) return body;
  }
  throw new Error(`no valid body found for ${op.method} ${op.template}`);
}

/** Values of a query parameter its schema refuses (as a query string value). */
function badQueryValues(schema: Json): string[] {
  const s = deref(schema);
  const type = Array.isArray(s['type']) ? (s['type'] as string[]).find((t) => t !== 'null') : s['type'];
  const out: string[] = [];
  if (type === 'integer' || type === 'number') {
    out.push('abc', '1.5', '1e400', '', ' ', 'NaN', 'Infinity', '0x10', '99999999999999999999', '9007199254740993', '-9223372036854775809', 'true', '%00');
    const min = typeof s['minimum'] === 'number' ? s['minimum'] : 0;
    out.push(String(min - 1), '-1');
    if (typeof s['maximum'] === 'number') out.push(String(s['maximum'] + 1), '100000');
  } else if (type === 'boolean') {
    out.push('maybe', '2', '', 'yes', 'tru', '%00');
  } else if (type === 'array') {
    out.push('a,b', '-1', '0', '1.5', '1,,x', Array.from({ length: 31 }, (_, i) => i + 1).join(','), '99999999999999999999');
  } else if (Array.isArray(s['enum'])) {
    out.push('nope', '', 'FORWARDS', '%00');
  } else if (s['format'] === 'date-time') {
    out.push('yesterday', '2026-13-45', '2026-02-30T00:00:00Z', '2026-01-01T25:00:00Z', '', '1e400', '%00', '-271821-04-20T00:00:00Z', '+275760-09-13T00:00:01Z');
  } else if (typeof s['maxLength'] === 'number') {
    out.push('x'.repeat(s['maxLength'] + 1));
  }
  return [...new Set(out)];
}

/** Values a free-text query parameter must survive (it may match nothing, or be refused). */
const ODD_TEXT: readonly string[] = ['', '%00', '%C3%A9%F0%9F%98%80', '%ED%A0%80', '%FF%FE', 'x'.repeat(3000), "' OR 1=1 --", '%25', 'a%2Cb', '[]', '*'];

/** `$orderby` values no list accepts. */
const BAD_ORDERBY: readonly string[] = ['nope', 'name sideways', 'name desc desc', 'name,,created', ',', '', ' ', 'name asc,name desc', '-created', 'created%00', 'id; DROP TABLE projects'];

/** Query parameters no operation declares: ignored, never a 5xx. */
const UNKNOWN_QUERY: readonly [string, string][] = [
  ['fuzz', '1'], ['$filter', "name eq 'x' or 1 eq 1"], ['$select', 'id,,name'], ['$expand', '*'], ['$search', '((('], ['%24top', '5'], ['', 'x'], ['__proto__', '1'], ['constructor', 'x'], ['x'.repeat(2000), 'y'],
];

/** The valid path for the operation, filled with real resources. */
export function validPath(op: SpecOperation, p: PathValues): string {
  return fill(op.template, (n) => p.values(op.template, n));
}

function pathCases(op: SpecOperation, p: PathValues, base: CallOptions): BadCase[] {
  const out: BadCase[] = [];
  const notFound: Expectation = op.statuses.includes(404) ? { statuses: [404] } : 'any';
  for (const param of op.parameters.filter((x) => x.in === 'path')) {
    const bad = deref(param.schema)['type'] === 'string' ? BAD_KEYS : BAD_IDS;
    for (const value of bad) {
      const url = fill(op.template, (n) => (n === param.name ? value : p.values(op.template, n)));
      out.push({ what: `path ${param.name}=${value.slice(0, 24)}${value.length > 24 ? `…(${value.length})` : ''}`, url, opts: base, expect: notFound });
    }
  }
  return out;
}

function queryCases(op: SpecOperation, p: PathValues, base: CallOptions): BadCase[] {
  const path = validPath(op, p);
  const out: BadCase[] = [];
  const badRequest: Expectation = op.statuses.includes(400) ? { statuses: [400] } : 'any';
  const required = op.parameters.filter((x) => x.in === 'query' && x.required).map((x): [string, string] => [x.name, String(sample(x.schema, prng(1), p.hints, x.name))]);
  const withParams = (pairs: [string, string][]) => `${path}${qs([...required.filter(([k]) => !pairs.some(([q]) => q === k)), ...pairs])}`;
  for (const param of op.parameters.filter((x) => x.in === 'query')) {
    const type = deref(param.schema)['type'];
    const freeText = type === 'string' && deref(param.schema)['format'] === undefined && deref(param.schema)['enum'] === undefined;
    const values = param.name === '$orderby' ? BAD_ORDERBY : badQueryValues(param.schema);
    for (const v of values) out.push({ what: `query ${param.name}=${v.slice(0, 24)}`, url: withParams([[param.name, v]]), opts: base, expect: badRequest });
    if (freeText && param.name !== '$orderby') for (const v of ODD_TEXT) out.push({ what: `query ${param.name}=${v.slice(0, 24)}`, url: withParams([[param.name, v]]), opts: base, expect: 'any' });
    // Given twice: a list parameter takes both (clients that explode lists send it so); others refuse.
    const one = param.name === '$orderby' ? 'created' : String(sample(param.schema, prng(2), p.hints, param.name));
    out.push({ what: `query ${param.name} twice`, url: withParams([[param.name, one], [param.name, one]]), opts: base, expect: type === 'array' ? 'any' : badRequest });
    if (param.required) out.push({ what: `without query ${param.name}`, url: `${path}${qs(required.filter(([k]) => k !== param.name))}`, opts: base, expect: badRequest });
  }
  const declared = new Set(op.parameters.map((x) => x.name));
  // Unknown parameters all at once (each is ignored, so one request tells), and the OData paging
  // parameters where the operation does not declare them: ignored or refused, never a 5xx.
  out.push({ what: 'unknown query parameters', url: withParams(UNKNOWN_QUERY.filter(([k]) => !declared.has(k))), opts: base, expect: 'any' });
  const odata = ([['$top', '-1'], ['$top', '100000'], ['$skip', 'abc'], ['$orderby', 'name desc'], ['$count', 'maybe']] as [string, string][]).filter(([k]) => !declared.has(k));
  for (const pair of odata) out.push({ what: `undeclared ${pair.join('=')}`, url: withParams([pair]), opts: base, expect: 'any' });
  out.push({ what: 'a query string of 20000 parameters', url: `${path}?${Array.from({ length: 20000 }, (_, i) => `p${i}=${i}`).join('&')}`, opts: base, expect: 'any' });
  out.push({ what: 'a malformed query string', url: `${path}?=&&=%&%%&a==b&%E0%A4%A=1`, opts: base, expect: 'any' });
  return out;
}

/** JSON values of every type, for "wrong type" bodies and fields. */
const VALUES: readonly unknown[] = [
  null, true, false, 0, -1, 1.5, 2 ** 31, 2 ** 53 + 2, -(2 ** 63), 1e308, '', ' ', 'x', '1', 'x'.repeat(100_000), 'ünï 𝄞 \u202e', '2026-13-45T25:61:00Z',
  [], [null], [1, 'a'], {}, { nested: { deeper: [1] } },
];

/** Every place inside a JSON value a field can be replaced: [holder, key, dotted path]. */
function slots(value: unknown, path = ''): [Json | unknown[], string, string][] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]): [Json | unknown[], string, string][] => [[value as Json, k, path ? `${path}.${k}` : k], ...slots(v, path ? `${path}.${k}` : k)]);
}

function set(body: unknown, path: string, value: unknown, remove = false): unknown {
  const copy = structuredClone(body) as Json;
  const keys = path.split('.');
  let holder: Json = copy;
  for (const k of keys.slice(0, -1)) holder = holder[k] as Json;
  const last = keys[keys.length - 1] ?? '';
  if (remove) {
    if (Array.isArray(holder)) holder.splice(Number(last), 1);
    else delete holder[last];
  } else holder[last] = value;
  return copy;
}

function jsonCases(op: SpecOperation, p: PathValues, base: CallOptions): BadCase[] {
  const url = validPath(op, p);
  const body = validJsonBody(op, p);
  const out: BadCase[] = [];
  const refuse: Expectation = { statuses: [400] };
  const judged = (candidate: unknown): Expectation => (bodyIsValid(op, candidate) ? 'any' : refuse);
  const asJson = (what: string, value: unknown) => out.push({ what, url, opts: { ...base, body: value }, expect: judged(value) });
  const raw = (what: string, payload: string | Buffer, type: string | null, expect: Expectation) =>
    out.push({ what, url, opts: { ...base, payload, headers: type === null ? {} : { 'content-type': type } }, expect });

  asJson('the valid body', body);
  for (const text of ['{', '{"name":}', "{'name':'x'}", '{"a":1,}', '[1,]', 'nul', 'NaN', '{"a":01}', '{"a":"\\x"}', '{"a":1}{"b":2}', '{"a":"\u0000"}', '{"a":"\\ud800"}', '{"\\u0000":1}', '{"a":1e400}', '{"a":-1e400}', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{"x":1}}}']) {
    raw(`JSON text ${JSON.stringify(text).slice(0, 30)}`, text, 'application/json', refuse);
  }
  raw('the valid body after a byte order mark', `\uFEFF${JSON.stringify(body)}`, 'application/json', 'any');
  for (const value of [null, [], [body], 1, 'text', true]) raw(`a JSON ${JSON.stringify(value)?.slice(0, 20)} body`, JSON.stringify(value), 'application/json', judged(value));
  raw('an empty JSON body', '', 'application/json', op.body?.required ? refuse : judged(null));
  raw('whitespace as the JSON body', ' \n\t ', 'application/json', op.body?.required ? refuse : judged(null));
  raw('JSON nested 100000 levels', `{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`, 'application/json', refuse);
  raw('JSON nested 65 objects deep', `${'{"a":'.repeat(65)}1${'}'.repeat(65)}`, 'application/json', refuse);
  raw('a 10 MB JSON body', JSON.stringify({ ...(body as Json), fuzz: 'x'.repeat(OVERSIZED) }), 'application/json', refuse);
  raw('a JSON body of one 10 MB array', `[${'0,'.repeat(OVERSIZED / 2)}0]`, 'application/json', refuse);

  const text = JSON.stringify(body);
  for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'application/octet-stream', 'application/vnd.api+json', 'json', 'multipart/form-data']) {
    raw(`the valid body as ${type}`, text, type, refuse);
  }
  raw('the valid body without a Content-Type', text, null, refuse);
  const form = multipartBody(Object.fromEntries(Object.entries(body as Json).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])));
  raw('the body as multipart/form-data', form.payload, form.contentType, refuse);
  raw('a multipart body with a script file', multipartBody({ name: 'x', script: { filename: 'a.js', data: Buffer.from(script()) } }).payload, 'multipart/form-data; boundary=nope', refuse);
  for (const type of ['application/json; charset=utf-8', 'Application/JSON', 'application/json;charset=UTF-8']) raw(`the valid body as ${type}`, text, type, 'any');
  raw('the valid body as application/json; charset=utf-16', text, 'application/json; charset=utf-16', 'any');
  raw('the valid body in latin-1 bytes with a non-ASCII name', Buffer.from(JSON.stringify(setStrings(body, 'caf\u00e9')), 'latin1'), 'application/json', 'any');

  const shape = objectShape(op.body?.schema ?? {});
  if (shape) {
    for (const field of shape.required) asJson(`without required ${field}`, set(body, field, undefined, true));
    for (const field of Object.keys(shape.properties)) {
      if (shape.properties[field]?.['readOnly'] === true) continue;
      const maxLength = deref(shape.properties[field] ?? {})['maxLength'];
      if (typeof maxLength === 'number') asJson(`${field} one past maxLength ${maxLength}`, set(body, field, 'x'.repeat(maxLength + 1)));
    }
    asJson('an extra field', { ...(body as Json), fuzz_extra: 'x' });
    asJson('the read-only fields', { ...(body as Json), id: 1, created: '2020-01-01T00:00:00Z', updated: null });
    asJson('an empty object', {});
  }
  // Every field at every depth of the valid body, replaced by values of every type, and removed.
  for (const [, , path] of slots(body)) {
    for (const value of VALUES) asJson(`${path}=${JSON.stringify(value).slice(0, 24)}`, set(body, path, value));
    asJson(`${path} removed`, set(body, path, undefined, true));
  }
  return out;
}

/** Every string in a JSON value replaced by `text` (keys kept). */
function setStrings(value: unknown, text: string): unknown {
  if (typeof value === 'string') return text;
  if (Array.isArray(value)) return value.map((v) => setStrings(v, text));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, setStrings(v, text)]));
  return value;
}

function multipartCases(op: SpecOperation, p: PathValues, base: CallOptions): BadCase[] {
  const url = validPath(op, p);
  const refuse: Expectation = { statuses: [400] };
  const out: BadCase[] = [];
  const form = (what: string, fields: Parameters<typeof multipartBody>[0], expect: Expectation) => {
    const f = multipartBody(fields);
    out.push({ what, url, opts: { ...base, payload: f.payload, headers: { 'content-type': f.contentType } }, expect });
  };
  const raw = (what: string, payload: string | Buffer, type: string | null, expect: Expectation) =>
    out.push({ what, url, opts: { ...base, payload, headers: type === null ? {} : { 'content-type': type } }, expect });
  const file = (data: string | Buffer) => ({ filename: 'test.js', data: Buffer.isBuffer(data) ? data : Buffer.from(data) });

  form('without name', { script: file(script()) }, refuse);
  form('an empty name', { name: '', script: file(script()) }, refuse);
  form('a name of 301 characters', { name: 'x'.repeat(301), script: file(script()) }, refuse);
  form('a name with a NUL', { name: 'a\u0000b', script: file(script()) }, refuse);
  form('a name of invalid UTF-8', { name: Buffer.from([0x61, 0xff, 0xfe, 0x62]).toString('latin1'), script: file(script()) }, 'any');
  form('k6_version abc', { name: 'kv', script: file(script()), k6_version: 'abc' }, refuse);
  form('k6_version 2^40', { name: 'kv', script: file(script()), k6_version: String(2 ** 40) }, refuse);
  form('k6_version 1.5', { name: 'kv', script: file(script()), k6_version: '1.5' }, refuse);
  form('an unknown field', { name: 'uf', script: file(script()), fuzz: 'x' }, 'any');
  form('a script that does not load', { name: 'se', script: file('SYNTAX_ERROR') }, refuse);
  form('a 10 MB script file', { name: 'big', script: file(Buffer.alloc(OVERSIZED, 0x20)) }, refuse);
  form('a 10 MB name field', { name: 'x'.repeat(OVERSIZED), script: file(script()) }, refuse);
  form('13 parts', Object.fromEntries([['name', 'parts'], ...Array.from({ length: 12 }, (_, i) => [`f${i}`, 'x'])]), refuse);
  form('three files', { name: 'files', script: file(script()), a: file('x'), b: file('y') }, refuse);
  raw('a JSON body', JSON.stringify({ name: 'json', script: script() }), 'application/json', refuse);
  raw('a form-urlencoded body', `name=x&script=${encodeURIComponent(script())}`, 'application/x-www-form-urlencoded', refuse);
  raw('raw script bytes', script(), 'application/octet-stream', refuse);
  raw('no body', '', 'multipart/form-data; boundary=b', refuse);
  raw('a multipart body without a boundary', '--b\r\nContent-Disposition: form-data; name="name"\r\n\r\nx\r\n--b--\r\n', 'multipart/form-data', refuse);
  raw('a truncated multipart body', '--b\r\nContent-Disposition: form-data; name="name"\r\n\r\nx', 'multipart/form-data; boundary=b', refuse);
  raw('a multipart body of garbage', '\u0000\u00ff garbage', 'multipart/form-data; boundary=b', refuse);
  raw('a part without a name', '--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--\r\n', 'multipart/form-data; boundary=b', refuse);
  raw('no Content-Type', script(), null, refuse);
  return out;
}

function scriptPutCases(op: SpecOperation, p: PathValues, base: CallOptions): BadCase[] {
  const url = validPath(op, p);
  const refuse: Expectation = { statuses: [400] };
  const raw = (what: string, payload: string | Buffer, type: string | null, expect: Expectation): BadCase => ({ what, url, opts: { ...base, payload, headers: type === null ? {} : { 'content-type': type } }, expect });
  const form = multipartBody({ name: 'no script here' });
  return [
    raw('an empty body', '', 'application/octet-stream', refuse),
    raw('an empty JSON body', '', 'application/json', refuse),
    raw('a script that does not load', 'SYNTAX_ERROR', 'text/javascript', refuse),
    raw('a 10 MB script', Buffer.alloc(OVERSIZED, 0x20), 'application/octet-stream', refuse),
    raw('a multipart body without a script part', form.payload, form.contentType, refuse),
    raw('a broken multipart body', '--b\r\nContent-Disposition: form-data; name="script"\r\n\r\nx', 'multipart/form-data; boundary=b', refuse),
    raw('a multipart body without a boundary', '--b\r\n\r\n', 'multipart/form-data', refuse),
    raw('the script as JSON text', JSON.stringify(script()), 'application/json', 'any'),
    raw('the script without a Content-Type', script('no type'), null, 'any'),
    raw('the script as text/plain', script('plain'), 'text/plain', 'any'),
    raw('binary garbage', Buffer.from([0, 1, 2, 0xff, 0xfe]), 'application/octet-stream', 'any'),
  ];
}

/** Bodies sent to an operation that takes none: drained unread, never a 5xx. */
function ignoredBodyCases(op: SpecOperation, p: PathValues, base: CallOptions): BadCase[] {
  const url = validPath(op, p);
  const raw = (what: string, payload: string | Buffer, type: string): BadCase => ({ what, url, opts: { ...base, payload, headers: { 'content-type': type } }, expect: 'any' });
  return [
    raw('an ignored JSON body that does not parse', '{', 'application/json'),
    raw('an ignored 10 MB body', Buffer.alloc(OVERSIZED, 0x41), 'application/octet-stream'),
    raw('an ignored deep JSON body', '['.repeat(100_000), 'application/json'),
    raw('an ignored multipart body', '--b\r\n', 'multipart/form-data; boundary=b'),
  ];
}

/** Every case for the operation but the authentication ones (see the test). */
export function badInputCases(op: SpecOperation, p: PathValues, base: CallOptions = {}): BadCase[] {
  const cases = [...pathCases(op, p, base), ...queryCases(op, p, base)];
  if (op.body?.type === 'application/json') cases.push(...jsonCases(op, p, base));
  else if (op.body?.type === 'multipart/form-data') cases.push(...multipartCases(op, p, base));
  else if (op.body !== null) cases.push(...scriptPutCases(op, p, base));
  else if (op.method !== 'GET') cases.push(...ignoredBodyCases(op, p, base));
  return cases;
}
