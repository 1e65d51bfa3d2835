// Selection.data(): k6 reads `data-*` attributes of the first element like jQuery.data, with Go's
// name mapping (github.com/serenize/snaker, which knows golint's initialisms: `data-user-id` is
// `userID`, not jQuery's `userId`) and value conversion (numbers only when they print back the same,
// JSON for values starting with { or [, true/false, "null"/"undefined"/"" → undefined).
import type { Element as DomElement } from 'domhandler';

const INITIALISMS: ReadonlySet<string> = new Set([
  'ACL', 'API', 'ASCII', 'CPU', 'CSS', 'DNS', 'EOF', 'ETA', 'GPU', 'GUID', 'HTML', 'HTTP', 'HTTPS', 'ID', 'IP', 'JSON',
  'LHS', 'OS', 'QPS', 'RAM', 'RHS', 'RPC', 'SLA', 'SMTP', 'SQL', 'SSH', 'TCP', 'TLS', 'TTL', 'UDP', 'UI', 'UID', 'UUID',
  'URI', 'URL', 'UTF8', 'VM', 'XML', 'XMPP', 'XSRF', 'XSS', 'OAuth',
]);

/** The initialism `s` starts with (the longest of 2–5 characters), or "". */
function leadingInitialism(s: string): string {
  let found = '';
  for (let n = 1; n <= 5 && n <= s.length; n++) if (INITIALISMS.has(s.slice(0, n))) found = s.slice(0, n);
  return found;
}

const isUpper = (ch: string): boolean => ch !== ch.toLowerCase() && ch === ch.toUpperCase();

/** snaker.CamelToSnake: "numA" → "num_a", "userID" → "user_id". */
function camelToSnake(s: string): string {
  const words: string[] = [];
  let last = 0;
  for (let i = 1; i < s.length; i++) {
    if (!isUpper(s[i] as string)) continue;
    const initialism = leadingInitialism(s.slice(last));
    if (initialism !== '') {
      words.push(initialism);
      i += initialism.length - 1;
      last = i;
      continue;
    }
    words.push(s.slice(last, i));
    last = i;
  }
  if (s.slice(last) !== '') words.push(s.slice(last));
  return words.map((w) => w.toLowerCase()).join('_');
}

/** snaker.SnakeToCamel (upper camel): "num_a" → "NumA", "user_id" → "UserID". */
function snakeToCamel(s: string): string {
  let out = '';
  for (const word of s.split('_')) {
    if (word === 'oauth') {
      out += 'OAuth';
      continue;
    }
    const upper = word.toUpperCase();
    out += INITIALISMS.has(upper) ? upper : word.charAt(0).toUpperCase() + word.slice(1);
  }
  return out;
}

/** `data-<key>` → the property name k6 gives it: "num-a" → "numA". */
export function dataAttrToProperty(key: string): string {
  const dash = key.indexOf('-');
  if (dash < 0) return key;
  return key.slice(0, dash) + snakeToCamel(key.slice(dash + 1).replaceAll('-', '_'));
}

/** A property name (or a dashed name) → the attribute suffix after "data-". */
export function propertyToDataAttr(name: string): string {
  return camelToSnake(name).replaceAll('_', '-');
}

// Go's strconv.ParseFloat accepts these forms; the value is numeric only if it formats back unchanged.
const FLOAT_SYNTAX = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function convertDataValue(val: string): unknown {
  if (val === '') return undefined;
  if (val[0] === '{' || val[0] === '[') {
    try {
      return JSON.parse(val);
    } catch {
      return val;
    }
  }
  if (val === 'true') return true;
  if (val === 'false') return false;
  if (val === 'null' || val === 'undefined') return undefined;
  if (FLOAT_SYNTAX.test(val)) {
    const n = Number(val);
    if (Number.isFinite(n) && formatGoFloat(n) === val) return n;
  }
  return val;
}

/** strconv.FormatFloat(n, 'f', -1, 64): shortest decimal, never an exponent. */
function formatGoFloat(n: number): string {
  const s = String(n);
  if (!/e/i.test(s)) return s;
  return n.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 });
}

/** data() of the first element: one value, or every `data-*` attribute as an object. */
export function readData(node: DomElement | undefined, key: unknown): unknown {
  if (node === undefined || Object.keys(node.attribs).length === 0) return undefined;
  if (key !== undefined) {
    const name = `data-${propertyToDataAttr(String(key))}`;
    return Object.hasOwn(node.attribs, name) ? convertDataValue(node.attribs[name] as string) : undefined;
  }
  const out: Record<string, unknown> = {};
  for (const [attr, val] of Object.entries(node.attribs)) {
    if (attr.startsWith('data-') && attr.length > 5) out[dataAttrToProperty(attr.slice(5))] = convertDataValue(val);
  }
  return out;
}
