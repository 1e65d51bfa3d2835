// MySQL data source names as go-sql-driver/mysql's ParseDSN reads them (xk6-sql-driver-mysql):
// [user[:password]@][net[(addr)]]/dbname[?param1=value1&paramN=valueN]. Not a URL: the password may
// hold '@' or '/', the address sits in parentheses after the network name.
import { parseGoDuration } from '../../options/flag-values.ts';
import { registeredMysqlTls } from './mysql-tls.ts';

export interface MysqlDsn {
  user: string;
  password: string;
  /** tcp or unix. */
  net: string;
  /** host:port for tcp, a socket path for unix. */
  addr: string;
  dbname: string;
  /** DATE/DATETIME/TIMESTAMP columns as times instead of bytes. */
  parseTime: boolean;
  /** The zone DATETIME values are read in ('UTC' unless loc= says otherwise). */
  loc: string;
  multiStatements: boolean;
  clientFoundRows: boolean;
  /** Dial timeout in ms (0: the OS's). */
  timeoutMs: number;
  charset?: string;
  collation?: string;
  /** tls=true|skip-verify|preferred (false: none), or the name of a registered configuration (loadTLS). */
  tls: string;
  /** Other parameters: system variables set on each new connection (SET key=value). */
  params: Record<string, string>;
}

/** ParseDSN; throws its error text. */
export function parseMysqlDsn(dsn: string): MysqlDsn {
  const cfg: MysqlDsn = {
    user: '', password: '', net: '', addr: '', dbname: '', parseTime: false, loc: 'UTC',
    multiStatements: false, clientFoundRows: false, timeoutMs: 0, tls: 'false', params: {},
  };
  const i = dsn.lastIndexOf('/');
  if (i < 0) {
    if (dsn.length > 0) throw new Error('invalid DSN: missing the slash separating the database name');
  } else {
    let j = i;
    if (i > 0) {
      // [username[:password]@][protocol[(address)]]: the last '@' before the slash.
      j = dsn.lastIndexOf('@', i);
      if (j >= 0) {
        const userinfo = dsn.slice(0, j);
        const k = userinfo.indexOf(':');
        cfg.user = k < 0 ? userinfo : userinfo.slice(0, k);
        if (k >= 0) cfg.password = userinfo.slice(k + 1);
      }
      let k = j + 1;
      for (; k < i; k++) {
        if (dsn[k] === '(') {
          if (dsn[i - 1] !== ')') {
            if (dsn.slice(k + 1, i).includes(')')) throw new Error('invalid DSN: did you forget to escape a param value?');
            throw new Error('invalid DSN: network address not terminated (missing closing brace)');
          }
          cfg.addr = dsn.slice(k + 1, i - 1);
          break;
        }
      }
      cfg.net = dsn.slice(j + 1, k);
    }
    const q = dsn.indexOf('?', i + 1);
    if (q >= 0) parseParams(cfg, dsn.slice(q + 1));
    const dbname = dsn.slice(i + 1, q >= 0 ? q : undefined);
    try {
      cfg.dbname = decodeURIComponent(dbname);
    } catch {
      throw new Error(`invalid dbname ${JSON.stringify(dbname)}: invalid URL escape`);
    }
  }
  normalize(cfg);
  return cfg;
}

function normalize(cfg: MysqlDsn): void {
  if (cfg.net === '') cfg.net = 'tcp';
  if (cfg.addr === '') {
    if (cfg.net === 'tcp') cfg.addr = '127.0.0.1:3306';
    else if (cfg.net === 'unix') cfg.addr = '/tmp/mysql.sock';
    else throw new Error(`default addr for network '${cfg.net}' unknown`);
  } else if (cfg.net === 'tcp' && !hasPort(cfg.addr)) {
    cfg.addr = cfg.addr.includes(':') ? `[${cfg.addr}]:3306` : `${cfg.addr}:3306`;
  }
  if (cfg.net !== 'tcp' && cfg.net !== 'unix') throw new Error(`unknown network ${cfg.net}`);
  if (!['false', 'true', 'skip-verify', 'preferred'].includes(cfg.tls) && registeredMysqlTls(cfg.tls) === undefined) {
    throw new Error(`invalid value / unknown config name: ${cfg.tls}`);
  }
}

/** net.SplitHostPort succeeds: "host:port" or "[v6]:port". */
function hasPort(addr: string): boolean {
  return /^\[[^\]]*\]:\d*$/.test(addr) || /^[^:[\]]*:\d*$/.test(addr);
}

function readBool(value: string): boolean | undefined {
  if (['1', 'true', 'TRUE', 'True'].includes(value)) return true;
  if (['0', 'false', 'FALSE', 'False'].includes(value)) return false;
  return undefined;
}

function bool(value: string): boolean {
  const b = readBool(value);
  if (b === undefined) throw new Error(`invalid bool value: ${value}`);
  return b;
}

function parseParams(cfg: MysqlDsn, params: string): void {
  for (const pair of params.split('&')) {
    const eq = pair.indexOf('=');
    if (eq < 0) continue;
    const key = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    switch (key) {
      case 'parseTime': cfg.parseTime = bool(value); break;
      case 'multiStatements': cfg.multiStatements = bool(value); break;
      case 'clientFoundRows': cfg.clientFoundRows = bool(value); break;
      case 'loc': cfg.loc = queryUnescape(value); break;
      case 'timeout': cfg.timeoutMs = parseGoDuration(value); break;
      case 'readTimeout': case 'writeTimeout': case 'timeTruncate': parseGoDuration(value); break;
      case 'charset': cfg.charset = value.split(',')[0]; break;
      case 'collation': cfg.collation = value; break;
      case 'tls': {
        const b = readBool(value);
        const lower = value.toLowerCase();
        if (b !== undefined) cfg.tls = b ? 'true' : 'false';
        else if (lower === 'skip-verify' || lower === 'preferred') cfg.tls = lower;
        else cfg.tls = queryUnescape(value);
        break;
      }
      case 'allowAllFiles': case 'allowCleartextPasswords': case 'allowFallbackToPlaintext': case 'allowNativePasswords':
      case 'allowOldPasswords': case 'checkConnLiveness': case 'columnsWithAlias': case 'compress': case 'interpolateParams':
      case 'rejectReadOnly':
        bool(value);
        break;
      case 'strict':
        throw new Error('strict mode has been removed. See https://github.com/go-sql-driver/mysql/wiki/strict-mode');
      case 'maxAllowedPacket': case 'serverPubKey': case 'connectionAttributes':
        break;
      default:
        cfg.params[key] = queryUnescape(value);
    }
  }
}

function queryUnescape(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    throw new Error(`invalid URL escape ${JSON.stringify(value)}`);
  }
}
