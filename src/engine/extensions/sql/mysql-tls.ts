// The mysql driver module's TLS helpers (xk6-sql-driver-mysql tls.go): loadTLS(config) registers a
// TLS configuration named "custom" with the driver (go-sql-driver's RegisterTLSConfig: one registry
// for the whole process) when `enableTLS` is set, and addTLS(dsn) adds `tls=custom` to a DSN when this
// VU's last loadTLS enabled TLS. The TLS_1_x exports are k6's TLS version names.
import { readFileSync } from 'node:fs';
import type { SecureVersion } from 'node:tls';
import { goErrnoText } from '../../run/go-errno.ts';

export const MYSQL_TLS_VERSIONS: Readonly<Record<string, SecureVersion>> = {
  'tls1.0': 'TLSv1', 'tls1.1': 'TLSv1.1', 'tls1.2': 'TLSv1.2', 'tls1.3': 'TLSv1.3',
};

/** What mysql2 takes as `ssl` for a registered configuration. */
export interface MysqlTlsConfig {
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
  readonly rejectUnauthorized: boolean;
  readonly minVersion: SecureVersion;
}

const registry = new Map<string, MysqlTlsConfig>();

/** go-sql-driver's getTLSConfigClone: a configuration registered under that name. */
export function registeredMysqlTls(name: string): MysqlTlsConfig | undefined {
  return registry.get(name);
}

const CUSTOM = 'custom';

/** The named exports of k6/x/sql/driver/mysql besides its default (the driver id), one set per VU. */
export function createMysqlTlsExports(): Record<string, unknown> {
  let enabled = false;
  return {
    TLS_1_0: 'tls1.0',
    TLS_1_1: 'tls1.1',
    TLS_1_2: 'tls1.2',
    TLS_1_3: 'tls1.3',
    loadTLS(params: unknown): void {
      const p = (typeof params === 'object' && params !== null ? params : {}) as Record<string, unknown>;
      const minVersion = typeof p.minVersion === 'string' ? p.minVersion : '';
      const version = MYSQL_TLS_VERSIONS[minVersion];
      if (version === undefined) throw new Error(`unsupported TLS version: ${minVersion}`);
      enabled = p.enableTLS === true;
      if (!enabled) return;
      const ca = readText(p.caCertFile);
      if (!ca.includes('-----BEGIN CERTIFICATE-----')) throw new Error('failed to append PEM');
      const cert = readText(p.clientCertFile);
      const key = readText(p.clientKeyFile);
      registry.set(CUSTOM, { ca, cert, key, rejectUnauthorized: p.insecureSkipTLSverify !== true, minVersion: version });
    },
    addTLS(connectionString: unknown): string {
      const dsn = String(connectionString);
      if (!enabled || dsn.includes(`tls=${CUSTOM}`)) return dsn;
      return `${dsn}${dsn.includes('?') ? '&' : '?'}tls=${CUSTOM}`;
    },
  };
}

/** os.ReadFile, with Go's *PathError text. */
function readText(path: unknown): string {
  const p = typeof path === 'string' ? path : '';
  try {
    return readFileSync(p, 'utf8');
  } catch (e) {
    throw new Error(`open ${p}: ${goErrnoText(e)}`);
  }
}
