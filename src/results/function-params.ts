// The OData function-call parameters of query_range_k6(…) and query_aggregate_k6(…):
//
//   params := [ param { ',' param } ]
//   param  := name '=' ( "'" chars "'" | '[' chars ']' | bare )
//
// Inside a quoted value `''` or `\'` is a quote; every other character, backslashes included, is kept
// (so regexes like `2\d\d` survive). A bare value runs to the next comma.
import { StampedeError } from '../core/index.ts';

export function parseFunctionParams(text: string, allowed: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  let pos = 0;
  const bad = (why: string): StampedeError => new StampedeError('STAMPEDE_ERR_BAD_REQUEST', `invalid parameters (${text}): ${why}`);
  while (pos < text.length) {
    while (text[pos] === ' ') pos++;
    if (pos >= text.length) break;
    const eq = text.indexOf('=', pos);
    if (eq === -1) throw bad(`expected name=value at ${JSON.stringify(text.slice(pos))}`);
    const name = text.slice(pos, eq).trim();
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw bad(`bad parameter name ${JSON.stringify(name)}`);
    if (!allowed.includes(name)) throw bad(`unknown parameter "${name}"; expected ${allowed.join(', ')}`);
    if (out.has(name)) throw bad(`parameter "${name}" given twice`);
    pos = eq + 1;
    while (text[pos] === ' ') pos++;
    let value = '';
    if (text[pos] === "'") {
      pos++;
      for (;;) {
        const c = text[pos];
        if (c === undefined) throw bad(`unterminated quoted value of "${name}"`);
        if (c === "'" && text[pos + 1] === "'") {
          value += "'";
          pos += 2;
          continue;
        }
        if (c === '\\' && text[pos + 1] === "'") {
          value += "'";
          pos += 2;
          continue;
        }
        pos++;
        if (c === "'") break;
        value += c;
      }
      while (text[pos] === ' ') pos++;
      if (pos < text.length && text[pos] !== ',') throw bad(`expected "," after the value of "${name}"`);
    } else if (text[pos] === '[') {
      // A list, e.g. test_run_ids=[1,2,3]: runs to its closing bracket.
      const close = text.indexOf(']', pos);
      if (close === -1) throw bad(`unterminated list value of "${name}"`);
      value = text.slice(pos, close + 1);
      pos = close + 1;
      while (text[pos] === ' ') pos++;
      if (pos < text.length && text[pos] !== ',') throw bad(`expected "," after the value of "${name}"`);
    } else {
      const comma = text.indexOf(',', pos);
      value = (comma === -1 ? text.slice(pos) : text.slice(pos, comma)).trim();
      pos = comma === -1 ? text.length : comma;
    }
    out.set(name, value);
    if (text[pos] === ',') pos++;
  }
  return out;
}

/** `name(params)` as the last path segment, e.g. `query_range_k6(query='rate',metric='http_reqs')`. */
export function splitFunctionCall(segment: string): { name: string; params: string } | undefined {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)\((.*)\)$/s.exec(segment);
  return m ? { name: m[1] ?? '', params: m[2] ?? '' } : undefined;
}
