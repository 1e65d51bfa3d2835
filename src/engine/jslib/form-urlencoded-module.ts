// Built-in https://jslib.k6.io/form-urlencoded/<version>/index.js (the only published version is 3.0.0,
// the npm form-urlencoded package of that major): the default export turns an object into an
// application/x-www-form-urlencoded string, nesting objects and arrays in brackets:
// `{ a: 1, b: { c: [x, y] } }` gives `a=1&b%5Bc%5D%5B0%5D=x&b%5Bc%5D%5B1%5D=y`. Options: `sorted` (keys
// of each object in sort order), `skipIndex` (`name[]` for array items), `ignorenull` (drop null values,
// which otherwise give `name=null`). Spaces become `+`; `! ' ( ) * ~` are percent-encoded too. An empty
// array gives the bare `name[]`; undefined, functions, symbols and empty objects give nothing. A falsy
// argument is returned as it is.

export interface FormUrlencodedOptions {
  readonly sorted?: unknown;
  readonly skipIndex?: unknown;
  readonly ignorenull?: unknown;
}

/** One name or value: encodeURIComponent with `+` for spaces and `! ' ( ) * ~` percent-encoded. */
export function formEncode(value: unknown): string {
  return String(value)
    .split(' ')
    .map((part) => encodeURIComponent(part))
    .join('+')
    .replace(/[!'()~*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function formUrlencoded(data: unknown, options?: FormUrlencodedOptions | null): unknown {
  const opts = options ?? {};
  const sorted = Boolean(opts.sorted);
  const skipIndex = Boolean(opts.skipIndex);
  const ignorenull = Boolean(opts.ignorenull);
  const keysOf = (o: object): string[] => (sorted ? Object.keys(o).sort() : Object.keys(o));
  const join = (parts: (string | null)[]): string => parts.filter((p) => p !== null && p !== '').join('&');

  function pair(name: string, value: unknown): string | null {
    if (value === null) return ignorenull ? null : `${formEncode(name)}=null`;
    const type = typeof value;
    if (type === 'string' || type === 'number' || type === 'boolean') return `${formEncode(name)}=${formEncode(value)}`;
    if (Array.isArray(value)) {
      if (value.length === 0) return formEncode(`${name}[]`);
      return join(value.map((item: unknown, i) => pair(skipIndex ? `${name}[]` : `${name}[${i}]`, item)));
    }
    if (type === 'object') return join(keysOf(value as object).map((k) => pair(`${name}[${k}]`, (value as Record<string, unknown>)[k])));
    return null;
  }

  if (!data) return data;
  const root = Object(data) as Record<string, unknown>;
  return join(keysOf(root).map((k) => pair(k, root[k])));
}

export function createFormUrlencodedModule(): Record<string, unknown> {
  const urlencode = (data: unknown, options?: FormUrlencodedOptions | null) => formUrlencoded(data, options);
  return { default: urlencode };
}
