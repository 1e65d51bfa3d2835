// Binding arguments to a MySQL query. go-sql-driver prepares a statement on the server when a query
// has arguments; Stampede sends the query as text with each '?' placeholder replaced by the argument's
// literal, so results come back in the text protocol either way. Placeholders inside quotes, backquotes
// and comments are not placeholders, as the server's parser sees it.
import type { SqlArg } from './sql-args.ts';

/** The query with its placeholders replaced; database/sql's error when the counts differ. */
export function bindMysqlArgs(query: string, args: readonly SqlArg[], escapeString: (s: string) => string): string {
  const positions = placeholderPositions(query);
  if (positions.length !== args.length) throw new Error(`sql: expected ${positions.length} arguments, got ${args.length}`);
  let out = '';
  let from = 0;
  positions.forEach((pos, i) => {
    out += query.slice(from, pos) + literal(args[i] ?? null, escapeString);
    from = pos + 1;
  });
  return out + query.slice(from);
}

/** Offsets of the '?' placeholders outside string literals, quoted identifiers and comments. */
export function placeholderPositions(query: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < query.length; i++) {
    const c = query[i];
    if (c === "'" || c === '"' || c === '`') {
      i = skipQuoted(query, i, c);
    } else if (c === '#' || (c === '-' && query[i + 1] === '-' && /\s/.test(query[i + 2] ?? ' '))) {
      const nl = query.indexOf('\n', i);
      i = nl < 0 ? query.length : nl;
    } else if (c === '/' && query[i + 1] === '*') {
      const end = query.indexOf('*/', i + 2);
      i = end < 0 ? query.length : end + 1;
    } else if (c === '?') {
      out.push(i);
    }
  }
  return out;
}

function skipQuoted(query: string, start: number, quote: string): number {
  for (let i = start + 1; i < query.length; i++) {
    const c = query[i];
    if (c === '\\' && quote !== '`') {
      i++;
    } else if (c === quote) {
      if (query[i + 1] === quote) i++;
      else return i;
    }
  }
  return query.length;
}

function literal(v: SqlArg, escapeString: (s: string) => string): string {
  if (v === null) return 'NULL';
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : escapeString(String(v));
  if (typeof v === 'string') return escapeString(v);
  if (v instanceof Uint8Array || ArrayBuffer.isView(v)) return `X'${Buffer.from(v as Uint8Array).toString('hex')}'`;
  // A time as go-sql-driver writes it in UTC: 'YYYY-MM-DD HH:MM:SS[.ffffff]'.
  const d = new Date((v as Date).getTime());
  const iso = d.toISOString();
  const ms = d.getUTCMilliseconds();
  return `'${iso.slice(0, 10)} ${iso.slice(11, 19)}${ms === 0 ? '' : `.${String(ms * 1000).padStart(6, '0')}`}'`;
}
