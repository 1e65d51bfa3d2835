import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMysqlTlsExports, registeredMysqlTls } from './mysql-tls.ts';
import { parseMysqlDsn } from './mysql-dsn.ts';

interface TlsExports {
  loadTLS(p: unknown): void;
  addTLS(dsn: string): string;
  TLS_1_2: string;
}

describe('k6/x/sql/driver/mysql TLS helpers (xk6-sql-driver-mysql tls.go)', () => {
  it('checks the minimum version and reads the files as Go does', () => {
    const tls = createMysqlTlsExports() as unknown as TlsExports;
    expect(tls.TLS_1_2).toBe('tls1.2');
    expect(() => tls.loadTLS({ enableTLS: true })).toThrow(/^unsupported TLS version: $/);
    expect(() => tls.loadTLS({ enableTLS: true, minVersion: 'tls1.2', caCertFile: '/nonexistent/ca.pem' }))
      .toThrow('open /nonexistent/ca.pem: no such file or directory');
  });

  it('registers "custom" for tls=custom DSNs, and addTLS adds it only after TLS was enabled in this VU', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stampede-mysql-tls-'));
    try {
      const notPem = join(dir, 'bad.pem');
      writeFileSync(notPem, 'hello');
      const ca = join(dir, 'ca.pem');
      writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
      const tls = createMysqlTlsExports() as unknown as TlsExports;
      expect(tls.addTLS('root@tcp(db)/x')).toBe('root@tcp(db)/x');
      expect(() => tls.loadTLS({ enableTLS: true, minVersion: 'tls1.2', caCertFile: notPem })).toThrow('failed to append PEM');
      const before = registeredMysqlTls('custom') === undefined;
      if (before) expect(() => parseMysqlDsn('root@tcp(db)/x?tls=custom')).toThrow('invalid value / unknown config name: custom');
      tls.loadTLS({ enableTLS: true, minVersion: 'tls1.2', caCertFile: ca, clientCertFile: ca, clientKeyFile: ca, insecureSkipTLSverify: true });
      expect(registeredMysqlTls('custom')).toMatchObject({ rejectUnauthorized: false, minVersion: 'TLSv1.2' });
      expect(tls.addTLS('root@tcp(db)/x')).toBe('root@tcp(db)/x?tls=custom');
      expect(tls.addTLS('root@tcp(db)/x?parseTime=true')).toBe('root@tcp(db)/x?parseTime=true&tls=custom');
      expect(parseMysqlDsn('root@tcp(db)/x?tls=custom').tls).toBe('custom');
      expect((createMysqlTlsExports() as unknown as TlsExports).addTLS('root@tcp(db)/x')).toBe('root@tcp(db)/x');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
