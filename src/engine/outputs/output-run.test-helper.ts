// For the network outputs' tests: a fake receiver on 127.0.0.1 that records every request, and a
// short run of an inline script with an in-memory EngineIo that keeps the log entries.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadTest, type EngineIo, type EngineLogEntry, type RunFlags, type RunResult } from '../index.ts';

export interface ReceivedRequest {
  readonly method: string;
  /** Path and query. */
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
  /** Epoch ms when the body had arrived. */
  readonly at: number;
}

export interface Receiver {
  readonly url: string;
  readonly requests: ReceivedRequest[];
  close(): Promise<void>;
}

/**
 * Records every request and answers with `respond` (its status, body and headers), by default 204 for POSTs
 * and 200 "ok" for other methods (the scripts' own GETs).
 */
export async function startReceiver(respond?: (r: ReceivedRequest) => { status: number; body?: string; headers?: Record<string, string> }): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: ReceivedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks), at: Date.now() };
      requests.push(r);
      const answer = respond?.(r) ?? (r.method === 'POST' ? { status: 204 } : { status: 200, body: 'ok' });
      res.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers }).end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

export interface OutputRun {
  readonly exitCode: number;
  readonly result: RunResult | undefined;
  /** The load error's text when the run could not be set up. */
  readonly error: string | undefined;
  readonly log: EngineLogEntry[];
  /** The banner's outputs as the engine describes them. */
  readonly outputs: readonly string[];
}

/** Runs `source` (a module script) on one worker with these flags and K6_* variables. */
export async function runWithOutputs(source: string, flags: RunFlags, env: Record<string, string> = {}, files: Record<string, string> = {}): Promise<OutputRun> {
  const log: EngineLogEntry[] = [];
  const io: EngineIo = {
    cwd: '/outputs-test',
    env,
    readFile: async (p) => {
      const text = files[p];
      if (text === undefined) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${p}'`), { code: 'ENOENT' });
      return new TextEncoder().encode(text);
    },
    writeFile: async () => undefined,
    stdout: { write: () => undefined, isTTY: false },
    stderr: { write: () => undefined, isTTY: false },
    logEntries: { write: (e) => void log.push(e) },
  };
  try {
    const test = await loadTest({ name: 'script.js', data: new TextEncoder().encode(source) }, { workers: 1, ...flags }, io);
    const result = await test.start().result;
    return { exitCode: result.exitCode, result, error: undefined, log, outputs: test.outputs.network ?? [] };
  } catch (e) {
    return { exitCode: (e as { exitCode?: number }).exitCode ?? -1, result: undefined, error: (e as Error).message, log, outputs: [] };
  }
}
