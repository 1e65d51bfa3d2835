// A bounded memo of a pure function: responses repeat the same few header names, and sharing it
// between the VUs of a worker is safe because the result never depends on the caller.
const canonicalMemo = new Map<string, string>();
const MAX_MEMO = 1024;

/** Go's http.CanonicalHeaderKey: "content-type" → "Content-Type". */
export function canonicalHeaderKey(name: string): string {
  let out = canonicalMemo.get(name);
  if (out === undefined) {
    out = canonicalize(name);
    if (canonicalMemo.size >= MAX_MEMO) canonicalMemo.clear();
    canonicalMemo.set(name, out);
  }
  return out;
}

function canonicalize(name: string): string {
  let out = '';
  let upper = true;
  for (let i = 0; i < name.length; i++) {
    const ch = name[i] as string;
    if (ch === ' ') return name; // Go leaves keys with spaces untouched
    out += upper ? ch.toUpperCase() : ch.toLowerCase();
    upper = ch === '-';
  }
  return out;
}
