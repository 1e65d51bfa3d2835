// The -wal file must not keep the size of the largest burst of writes (a retention sweep, a busy run)
// for as long as the server runs.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connectSqlite, WAL_SIZE_LIMIT_BYTES } from './sqlite-connection.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'stampede-wal-size-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('sqlite write-ahead log', () => {
  it('is cut back to WAL_SIZE_LIMIT_BYTES after a burst once it has been checkpointed', () => {
    const { raw } = connectSqlite(dataDir);
    try {
      raw.exec('CREATE TABLE t (b blob)');
      const insert = raw.prepare('INSERT INTO t (b) VALUES (?)');
      const chunk = Buffer.alloc(16 * 1024, 7);
      const burst = raw.transaction(() => {
        for (let i = 0; i < (WAL_SIZE_LIMIT_BYTES * 1.5) / chunk.length; i++) insert.run(chunk);
      });
      burst();
      const wal = join(dataDir, 'stampede.db-wal');
      expect(statSync(wal).size).toBeGreaterThan(WAL_SIZE_LIMIT_BYTES);
      raw.exec('DELETE FROM t');
      // Ordinary small writes: the automatic checkpoint runs and the log starts over from its beginning.
      const small = Buffer.alloc(1024, 1);
      for (let i = 0; i < 3000; i++) insert.run(small);
      expect(statSync(wal).size).toBeLessThanOrEqual(WAL_SIZE_LIMIT_BYTES);
    } finally {
      raw.close();
    }
  });
});
