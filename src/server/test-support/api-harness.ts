// Test support: an app over a real store (SQLite in a temp folder, or PostgreSQL in a fresh schema),
// a first-start seed, and `call()`, which injects a request and checks every JSON answer against the
// v6 spec (or, for statuses the spec does not list, against the ErrorResponse shape).
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { parseDuration } from '../../core/index.ts';
import { abortExtra } from '../../domain/index.ts';
import { openStore } from '../../store/index.ts';
import type { Store, StoreConfig } from '../../store/index.ts';
import { buildApp } from '../app.ts';
import type { ApiExtension } from '../app.ts';
import { serverConfig } from '../config.ts';
import type { ServerConfig } from '../config.ts';
import type { Checked, OptionsPlan, RunControl, ScriptInspection } from '../run-control.ts';
import { createSpecValidator } from '../openapi/schema-validator.ts';
import { loadSpec } from '../openapi/spec.ts';
import { assertMatchesSpec } from './spec-responses.ts';

export type StoreKind = 'sqlite' | 'postgres';

export const PG_URL = process.env['STAMPEDE_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Whether PostgreSQL answers on the test URL's host and port (checked once per test file). */
export async function postgresAvailable(): Promise<boolean> {
  const url = new URL(PG_URL);
  return new Promise((resolve) => {
    const socket = createConnection({ host: url.hostname, port: Number(url.port || 5432) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * A RunControl for tests: moves runs through the store the way the orchestrator would announce them
 * (queued on start, aborted by the user on abort) without executing anything. Inspection answers
 * with `inspection`, or a failure when the script contains `SYNTAX_ERROR`.
 */
export class TestRunControl implements RunControl {
  started: number[] = [];
  aborted: { runId: number; byUser: string | null }[] = [];
  constructor(private readonly store: Store) {}

  async start(runId: number): Promise<void> {
    this.started.push(runId);
    await this.store.testRuns.transition(runId, 'queued');
  }

  async abort(runId: number, byUser: string | null): Promise<void> {
    this.aborted.push({ runId, byUser });
    await this.store.testRuns.transition(runId, 'aborted', { extra: abortExtra('by_user', { byUser }) });
  }

  async inspectScript(bytes: Uint8Array): Promise<Checked<ScriptInspection>> {
    if (Buffer.from(bytes).includes('SYNTAX_ERROR')) return { ok: false, message: 'SyntaxError: Unexpected token (1:7)', problems: ['SyntaxError: Unexpected token (1:7)'] };
    return { ok: true, value: { options: { vus: 1 }, maxVus: 1, maxBrowserVus: 0, estimatedDurationS: 1, dependencies: {} } };
  }

  async planOptions(options: Record<string, unknown>): Promise<Checked<OptionsPlan>> {
    const vus = options['vus'] ?? 1;
    if (typeof vus !== 'number' || !Number.isInteger(vus) || vus < 0) return { ok: false, message: 'vus must be a non-negative integer', problems: ['vus must be a non-negative integer'] };
    const seconds = Math.ceil(parseDuration(options['duration'] ?? '0s') / 1000) + 30;
    return { ok: true, value: { maxVus: vus, maxBrowserVus: 0, estimatedDurationS: seconds } };
  }
}

export interface Harness {
  app: FastifyInstance;
  store: Store;
  runs: TestRunControl;
  /** The first start's admin token, stack and default project. */
  token: string;
  stackId: number;
  projectId: number;
  call(method: string, url: string, opts?: CallOptions): Promise<CallResult>;
  close(): Promise<void>;
}

export interface CallOptions {
  token?: string | null;
  stackId?: number | string | null;
  body?: unknown;
  payload?: string | Buffer;
  headers?: Record<string, string>;
}

export interface CallResult {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON under test, checked against the spec
  raw: Buffer;
  headers: Record<string, string | string[] | number | undefined>;
}

let schemaCounter = 0;

export async function openTestStore(kind: StoreKind, config: ServerConfig): Promise<{ store: Store; cleanup: () => Promise<void> }> {
  const policy = { retentionDays: config.retentionDays, maxSavedRunsPerStack: config.maxSavedRuns === 0 ? null : config.maxSavedRuns };
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'stampede-server-'));
    const store = await openStore({ dataDir: dir, ...policy });
    return { store, cleanup: async () => { await store.close(); rmSync(dir, { recursive: true, force: true }); } };
  }
  const pgSchema = `srv_${process.pid}_${Date.now().toString(36)}_${schemaCounter++}`;
  const storeConfig: StoreConfig = { dataDir: tmpdir(), databaseUrl: PG_URL, pgSchema, ...policy };
  await prepareSchema(pgSchema);
  const store = await openStore(storeConfig);
  return {
    store,
    cleanup: async () => {
      await store.close();
      const pg = await import('pg');
      const client = new pg.default.Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${pgSchema}" CASCADE`);
      await client.end();
    },
  };
}

/**
 * Kysely's migrator, when not told the schema of its own tables, finds them in ANY schema of the
 * database, so while another test schema exists it skips creating them in ours and then fails. Until
 * the store passes `migrationTableSchema`, the test schema gets those two (empty) tables up front,
 * in Kysely's layout; the migrator then fills them as usual.
 */
async function prepareSchema(schema: string): Promise<void> {
  const pg = await import('pg');
  const client = new pg.default.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await client.query(`CREATE TABLE IF NOT EXISTS "${schema}".kysely_migration (name varchar(255) NOT NULL PRIMARY KEY, timestamp varchar(255) NOT NULL)`);
    await client.query(`CREATE TABLE IF NOT EXISTS "${schema}".kysely_migration_lock (id varchar(255) NOT NULL PRIMARY KEY, is_locked integer NOT NULL DEFAULT 0)`);
  } finally {
    await client.end();
  }
}

const templates = Object.keys((loadSpec().document as { paths: Record<string, unknown> }).paths).map((t) => ({
  template: t,
  re: new RegExp(`^${t.replace(/\{[^}]+\}/g, '[^/]+')}$`),
}));
const errorShape = createSpecValidator().compile('#/components/schemas/ErrorResponseApiModel');

function specTemplate(path: string): string | undefined {
  return templates.find((t) => t.re.test(path))?.template;
}

export async function createHarness(kind: StoreKind, overrides: Partial<ServerConfig> = {}, now?: () => Date, extensions: readonly ApiExtension[] = []): Promise<Harness> {
  const config = serverConfig(overrides);
  const { store, cleanup } = await openTestStore(kind, config);
  const seeded = await store.seedFirstStart();
  const runs = new TestRunControl(store);
  const app = await buildApp({ store, runs, config, logger: false, extensions, ...(now && { now }) });
  const token = seeded.token ?? '';
  const harness: Harness = {
    app,
    store,
    runs,
    token,
    stackId: seeded.stackId,
    projectId: seeded.projectId,
    async call(method, url, opts = {}) {
      const headers: Record<string, string> = { ...opts.headers };
      const tok = opts.token === undefined ? token : opts.token;
      if (tok !== null) headers['authorization'] = `Bearer ${tok}`;
      const stack = opts.stackId === undefined ? seeded.stackId : opts.stackId;
      if (stack !== null) headers['x-stack-id'] = String(stack);
      let payload: string | Buffer | undefined = opts.payload;
      if (opts.body !== undefined) {
        payload = JSON.stringify(opts.body);
        headers['content-type'] ??= 'application/json';
      }
      const res = await app.inject({ method: method as 'GET', url, headers, ...(payload !== undefined && { payload }) });
      const contentType = String(res.headers['content-type'] ?? '');
      const body = contentType.includes('application/json') && res.body !== '' ? JSON.parse(res.body) : res.body;
      const path = url.split('?')[0] ?? url;
      const template = specTemplate(path);
      checkContract(method, template, res.statusCode, body, contentType.includes('application/json'));
      return { status: res.statusCode, body, raw: res.rawPayload, headers: res.headers };
    },
    async close() {
      await app.close();
      await cleanup();
    },
  };
  return harness;
}

function documents(method: string, template: string, status: number): boolean {
  const doc = loadSpec().document as { paths: Record<string, Record<string, { responses?: Record<string, unknown> }>> };
  return doc.paths[template]?.[method.toLowerCase()]?.responses?.[String(status)] !== undefined;
}

function hasOperation(method: string, template: string): boolean {
  const doc = loadSpec().document as { paths: Record<string, Record<string, unknown>> };
  return doc.paths[template]?.[method.toLowerCase()] !== undefined;
}

function checkContract(method: string, template: string | undefined, status: number, body: unknown, json: boolean): void {
  // A v6 operation answers only statuses it documents (generated clients branch on them); a path
  // asked with a method it does not have (405) is no operation and only needs the error shape.
  if (template && hasOperation(method, template) && !documents(method, template, status)) {
    throw new Error(`${method} ${template} answered ${status}, which the spec does not document for it: ${JSON.stringify(body).slice(0, 300)}`);
  }
  if (template && documents(method, template, status)) {
    if (json || body !== '') {
      if (!json && status < 300) return; // scripts: raw bytes, checked by the tests themselves
      assertMatchesSpec(method, template, status, body);
    }
    return;
  }
  if (status >= 400) {
    if (!errorShape(body)) throw new Error(`${method} ${template ?? '(admin)'} ${status}: not an ErrorResponse: ${JSON.stringify(body)}`);
    return;
  }
  if (template) throw new Error(`${method} ${template} answered ${status}, which the spec does not document`);
}

/** A minimal k6 script; `marker` makes bodies distinguishable. */
export function script(marker = 'one'): string {
  return `import http from 'k6/http';\nexport const options = { vus: 1, duration: '1s' };\n// ${marker}\nexport default function () { http.get('http://127.0.0.1:1/'); }\n`;
}

/** A multipart body for creating a load test. */
export function multipartBody(fields: Record<string, string | { filename: string; data: Buffer; type?: string }>): { payload: Buffer; contentType: string } {
  const boundary = `----stampede${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value === 'string') {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
    } else {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${value.filename}"\r\nContent-Type: ${value.type ?? 'application/octet-stream'}\r\n\r\n`));
      chunks.push(value.data, Buffer.from('\r\n'));
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}
