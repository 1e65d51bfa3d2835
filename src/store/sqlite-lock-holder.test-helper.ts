// Test support: another process holding a SQLite database's write lock, as a backup tool or a second
// program on the same file would.
import { spawn } from 'node:child_process';

/**
 * Another process holding the database's write lock (`BEGIN IMMEDIATE`) until it is told to let go
 * (or `holdMs` passes). Resolves once it holds it.
 */
export async function holdWriteLock(file: string, holdMs: number): Promise<{ release(): Promise<void> }> {
  const code = `
    const db = new (require('better-sqlite3'))(${JSON.stringify(file)});
    db.exec('BEGIN IMMEDIATE');
    process.stdout.write('held\\n');
    const done = () => { db.exec('COMMIT'); db.close(); process.exit(0); };
    process.stdin.on('data', done);
    setTimeout(done, ${holdMs});
  `;
  const child = spawn(process.execPath, ['-e', code], { cwd: process.cwd(), stdio: ['pipe', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('exit', (c) => reject(new Error(`lock holder exited with ${c}`)));
  });
  child.stdin.on('error', () => undefined); // gone already (its own deadline)
  const exited = new Promise<void>((resolve) => (child.exitCode === null ? child.once('exit', () => resolve()) : resolve()));
  return {
    async release() {
      child.stdin.end('go\n');
      await exited;
    },
  };
}
