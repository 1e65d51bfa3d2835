// PostgreSQL connection strings as lib/pq reads them (xk6-sql-driver-postgres): a URL
// (postgres:// or postgresql://) or libpq's "key=value key2='quoted value'" form. Unset fields keep
// libpq's defaults (node-pg reads the PG* environment variables, as lib/pq does).

export interface PostgresDsn {
  host?: string;
  port?: number;
  user?: string;
  password?: string;
  database?: string;
  /** disable, allow, prefer, require, verify-ca or verify-full. */
  sslmode?: string;
  connectTimeoutSec?: number;
  applicationName?: string;
  /** Other keys: run-time parameters sent at startup (`search_path`, `statement_timeout`…). */
  runtime: Record<string, string>;
}

const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

/** Parses a DSN; throws lib/pq's error text. */
export function parsePostgresDsn(dsn: string): PostgresDsn {
  const text = dsn.startsWith('postgres://') || dsn.startsWith('postgresql://') ? urlToKeyValues(dsn) : dsn;
  const out: PostgresDsn = { runtime: {} };
  for (const [key, value] of keyValues(text)) apply(out, key, value);
  return out;
}

function apply(out: PostgresDsn, key: string, value: string): void {
  switch (key) {
    case 'host':
      if (value !== '') out.host = value;
      return;
    case 'port': {
      if (value === '') return;
      const n = Number(value);
      if (!/^\d+$/.test(value) || n > 65535) throw new Error(`pq: wrong value for "port": strconv.ParseUint: parsing ${JSON.stringify(value)}: invalid syntax`);
      out.port = n;
      return;
    }
    case 'user':
      out.user = value;
      return;
    case 'password':
      out.password = value;
      return;
    case 'dbname':
      out.database = value;
      return;
    case 'sslmode':
      if (!SSL_MODES.includes(value)) {
        throw new Error(`pq: wrong value for "sslmode": ${JSON.stringify(value)} is not supported; supported values are ${SSL_MODES.join(', ')}`);
      }
      out.sslmode = value;
      return;
    case 'connect_timeout':
      out.connectTimeoutSec = Number(value) || 0;
      return;
    case 'application_name':
      out.applicationName = value;
      return;
    case 'sslcert': case 'sslkey': case 'sslrootcert': case 'sslinline': case 'fallback_application_name':
    case 'sslsni': case 'krbsrvname': case 'krbspn': case 'binary_parameters': case 'disable_prepared_binary_result':
    case 'target_session_attrs': case 'load_balance_hosts': case 'service': case 'passfile':
      return; // accepted; Stampede does not act on them
    default:
      out.runtime[key] = value;
  }
}

/** libpq's conninfo_parse: keys, '=', values bare or single-quoted with backslash escapes. */
function keyValues(s: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const chars = [...s];
  let i = 0;
  const isSpace = (c: string | undefined): boolean => c !== undefined && /\s/u.test(c);
  for (;;) {
    while (isSpace(chars[i])) i++;
    if (i >= chars.length) break;
    let key = '';
    while (i < chars.length && !isSpace(chars[i]) && chars[i] !== '=') key += chars[i++];
    while (isSpace(chars[i])) i++;
    if (chars[i] !== '=') throw new Error(`missing "=" after ${JSON.stringify(key)} in connection info string`);
    i++;
    while (isSpace(chars[i])) i++;
    let value = '';
    if (chars[i] === "'") {
      i++;
      for (;;) {
        if (i >= chars.length) throw new Error('unterminated quoted string literal in connection string');
        const c = chars[i++] as string;
        if (c === "'") break;
        if (c === '\\') {
          if (i >= chars.length) throw new Error('missing character after backslash');
          value += chars[i++];
        } else value += c;
      }
    } else {
      while (i < chars.length && !isSpace(chars[i])) {
        const c = chars[i++] as string;
        if (c === '\\') {
          if (i >= chars.length) throw new Error('missing character after backslash');
          value += chars[i++];
        } else value += c;
      }
    }
    out.push([key, value]);
  }
  return out;
}

/** lib/pq's convertURL: a URL as key=value pairs (values quoted and escaped). */
function urlToKeyValues(dsn: string): string {
  let u: URL;
  try {
    u = new URL(dsn);
  } catch {
    throw new Error(`parse ${JSON.stringify(dsn)}: invalid URL`);
  }
  const kv: string[] = [];
  const add = (k: string, v: string): void => void kv.push(`${k}='${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`);
  if (u.username !== '') add('user', decodeURIComponent(u.username));
  if (u.password !== '') add('password', decodeURIComponent(u.password));
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host !== '') add('host', host);
  if (u.port !== '') add('port', u.port);
  const db = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (db !== '') add('dbname', db);
  for (const [k, v] of u.searchParams) add(k, v);
  return kv.join(' ');
}
