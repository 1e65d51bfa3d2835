// Runs corpus scripts end to end through the engine's public entry, with an in-memory EngineIo and a
// local HTTP target on 127.0.0.1.
import { createServer, type Server } from 'node:http';
import { listenLocal } from './local-listen.ts';
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pack } from 'tar-stream';
import { EngineError, loadTest, type EngineIo, type RunFlags, type RunResult, type RunningTest, type TestInput } from '../../src/engine/index.ts';

export const SCRIPTS_DIR = path.dirname(fileURLToPath(import.meta.url));

export interface Target {
  readonly url: string;
  readonly recorded: unknown[];
  readonly hits: { count: number };
  close(): Promise<void>;
}

export async function startTarget(): Promise<Target> {
  const recorded: unknown[] = [];
  const hits = { count: 0 };
  const server: Server = createServer((req, res) => {
    hits.count++;
    const url = new URL(req.url ?? '/', 'http://x');
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (url.pathname === '/record') {
        recorded.push(JSON.parse(body || 'null'));
        res.writeHead(204).end();
      } else if (url.pathname.startsWith('/status/')) {
        res.writeHead(Number(url.pathname.slice(8))).end('status');
      } else if (url.pathname.startsWith('/pages/')) {
        // HTML pages for the k6/html scripts, from fixtures/pages (base name only: no path escapes).
        readFile(path.join(SCRIPTS_DIR, 'fixtures', 'pages', path.basename(url.pathname))).then(
          (page) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page),
          () => res.writeHead(404).end('no such page'),
        );
      } else if (url.pathname === '/echo') {
        // What a form submission sent, for Response.submitForm checks.
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
          method: req.method, path: url.pathname, query: url.search, body, contentType: req.headers['content-type'] ?? '',
        }));
      } else if (url.pathname === '/json') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, n: 42 }));
      } else {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('hello');
      }
    });
  });
  const { url, close } = await listenLocal(server);
  return {
    url,
    recorded,
    hits,
    close,
  };
}

export interface ScriptRun {
  exitCode: number;
  result?: RunResult;
  stdout: string;
  stderr: string;
  written: Map<string, string>;
}

export interface RunOptions {
  /** Called once the run started (to abort it, for example). */
  onStart?: (running: RunningTest) => void;
  /** The system environment the engine sees (K6_* options such as K6_HOSTS), besides K6_NOT_USED. */
  env?: Readonly<Record<string, string>>;
}

export function runScript(name: string, flags: RunFlags = {}, opts: RunOptions = {}): Promise<ScriptRun> {
  return runInput({ path: name }, flags, opts);
}

export async function runInput(input: TestInput, flags: RunFlags = {}, opts: RunOptions = {}): Promise<ScriptRun> {
  const out: ScriptRun = { exitCode: -1, stdout: '', stderr: '', written: new Map() };
  const io: EngineIo = {
    cwd: SCRIPTS_DIR,
    env: { K6_NOT_USED: '1', ...opts.env },
    readFile: (p) => readFile(p),
    writeFile: async (p, data) => void out.written.set(path.relative(SCRIPTS_DIR, p), typeof data === 'string' ? data : new TextDecoder().decode(data)),
    // Streamed outputs: the file's text appears once the engine closes it.
    openOutput: async (p) => {
      const parts: Uint8Array[] = [];
      return {
        write: (data) => void parts.push(typeof data === 'string' ? new TextEncoder().encode(data) : data.slice()),
        close: async () => {
          const bytes = Buffer.concat(parts);
          out.written.set(path.relative(SCRIPTS_DIR, p), p.endsWith('.gz') ? gunzipSync(bytes).toString() : bytes.toString());
        },
      };
    },
    stdout: { write: (s) => void (out.stdout += s), isTTY: false },
    stderr: { write: (s) => void (out.stderr += s), isTTY: false },
  };
  try {
    const test = await loadTest(input, { workers: 1, ...flags }, io);
    const running = test.start();
    opts.onStart?.(running);
    out.result = await running.result;
    out.exitCode = out.result.exitCode;
  } catch (e) {
    if (!(e instanceof EngineError)) throw e;
    out.exitCode = e.exitCode;
    out.stderr += e.message;
  }
  return out;
}

/** A metric's values from handleSummary's data. */
export function metricValues(run: ScriptRun, name: string): Record<string, number> | undefined {
  return run.result?.summaryData.metrics[name]?.values;
}

/** The names of the root group's checks that failed at least once (undefined without a result). */
export function failedChecks(run: ScriptRun): string[] | undefined {
  return run.result?.summaryData.root_group.checks.filter((c) => c.fails > 0).map((c) => c.name);
}

/** A tar archive of these entries, as `k6 archive` lays them out. */
export async function tarArchive(entries: Record<string, string>): Promise<Uint8Array> {
  const p = pack();
  for (const [name, text] of Object.entries(entries)) p.entry({ name }, text);
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const c of p) chunks.push(c as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}
