// One server per database. A server that starts ends the runs it finds in flight as a crash left them
// (the orchestrator's reconcile, docs/api.md), so a second server started on a database another one
// is using would abort that one's runs while its runners go on. The lock makes the second start fail
// instead, saying why:
// - PostgreSQL: a session advisory lock keyed by the schema, held on a connection of its own for the
//   server's life (the database drops it when that connection ends, a crash included);
// - SQLite: `server.lock` in the data folder, naming the holder's pid and host. A file left by a server
//   that died is taken over: its pid no longer runs here, it is this process's own pid without this process
//   holding it (an earlier life of a container restarted as pid 1), or it was written on another host (a
//   container recreated over the volume).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { StampedeError } from '../core/index.ts';
import { PG_CONNECT_TIMEOUT_MS } from './postgres-connection.ts';
import { PG_QUERY_TIMEOUT_MS } from './query-bounds.ts';
import type { StoreConfig } from './store.ts';

export interface ServerLock {
  /** Lets another server start on the database. */
  release(): Promise<void>;
}

const ONE_SERVER = 'run one server per database: stop the other server first (docs/api.md, "One server per database")';

/** PostgreSQL: what becomes of the lock's session after the start (for the log). */
export interface ServerLockEvents {
  /** The session ended (the database restarted, the network was cut): the lock is gone until retaken. */
  lost?(): void;
  /** A new session holds the lock again. */
  retaken?(): void;
  /** Another server took the lock while it was free (tried again, backing off up to 30 s). */
  takenByAnother?(): void;
}

/** Takes the database for this server, or throws STAMPEDE_ERR_CONFLICT when another server holds it. */
export async function acquireServerLock(config: StoreConfig, events: ServerLockEvents = {}): Promise<ServerLock> {
  const url = config.databaseUrl;
  return url === undefined || url === '' ? lockDataDir(config.dataDir) : lockPostgres(url, config.pgSchema ?? 'public', events);
}

async function lockPostgres(url: string, schema: string, events: ServerLockEvents): Promise<ServerLock> {
  const key = `stampede-server:${schema}`;
  /** A session of its own holding the lock, or null when another server holds it. */
  const take = async (): Promise<pg.Client | null> => {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS, query_timeout: PG_QUERY_TIMEOUT_MS, application_name: `stampede server (pid ${process.pid} on ${hostname()})` });
    // A connection lost later must not stop the process; the lock is then gone with it (taken again below).
    client.on('error', () => undefined);
    try {
      await client.connect();
      const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [key]);
      if (rows[0]?.ok === true) return client;
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    await client.end().catch(() => undefined);
    return null;
  };
  const first = await take();
  if (first === null) {
    throw new StampedeError('STAMPEDE_ERR_CONFLICT', `Another Stampede server is using this PostgreSQL database (schema ${schema}): ${ONE_SERVER}`);
  }
  // The database drops the lock with the session (a restart, a cut network): take it again once the
  // database answers, or a second server could start meanwhile and abort this one's runs in flight.
  let current: pg.Client | null = first;
  let released = false;
  let retry: NodeJS.Timeout | null = null;
  const watch = (client: pg.Client): void => {
    client.once('end', () => {
      if (released || current !== client) return;
      current = null;
      events.lost?.();
      retake(1000);
    });
  };
  const retake = (delayMs: number): void => {
    retry = setTimeout(() => {
      retry = null;
      take().then(
        (client) => {
          if (released) {
            void client?.end().catch(() => undefined);
            return;
          }
          if (client === null) {
            events.takenByAnother?.();
            retake(Math.min(delayMs * 2, 30_000));
            return;
          }
          current = client;
          watch(client);
          events.retaken?.();
        },
        () => {
          if (!released) retake(Math.min(delayMs * 2, 30_000));
        },
      );
    }, delayMs);
    retry.unref();
  };
  watch(first);
  return {
    release: async () => {
      released = true;
      if (retry !== null) clearTimeout(retry);
      await current?.end().catch(() => undefined);
      current = null;
    },
  };
}

interface Holder {
  pid: number;
  host: string;
  since: string;
}

function readHolder(file: string): Holder | null {
  try {
    const h = JSON.parse(readFileSync(file, 'utf8')) as Partial<Holder>;
    return typeof h.pid === 'number' && typeof h.host === 'string' ? { pid: h.pid, host: h.host, since: String(h.since ?? '') } : null;
  } catch {
    return null;
  }
}

function runsHere(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Lock files this process holds: its own pid in one of them is a live holder, not an earlier life. */
const heldHere = new Set<string>();

async function lockDataDir(dataDir: string): Promise<ServerLock> {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'server.lock');
  const me: Holder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, `${JSON.stringify(me)}\n`, { flag: 'wx' });
      heldHere.add(file);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readHolder(file);
      const live = holder !== null && holder.host === me.host && (holder.pid === me.pid ? heldHere.has(file) : runsHere(holder.pid));
      if (live) {
        throw new StampedeError(
          'STAMPEDE_ERR_CONFLICT',
          `Another Stampede server (pid ${holder?.pid}, since ${holder?.since}) is using the data folder ${dataDir}: ${ONE_SERVER}. If no server runs, delete ${file}`,
        );
      }
      // Left by a server that is gone: take it over (once; a second EEXIST means another start won).
      if (attempt > 0) throw new StampedeError('STAMPEDE_ERR_CONFLICT', `Another Stampede server is starting on the data folder ${dataDir}: ${ONE_SERVER}`);
      rmSync(file, { force: true });
    }
  }
  return {
    release: async () => {
      if (!heldHere.delete(file)) return;
      if (readHolder(file)?.pid === me.pid) rmSync(file, { force: true });
    },
  };
}
