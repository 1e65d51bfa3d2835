// Following a run's log lines live, for `stampede cloud run --show-logs` (on by default, as in k6) and
// `stampede runs logs --follow`: the server's Loki tail WebSocket (the one k6 follows), resumed after
// the last line's id (`after`, each value carrying its id), so that a dropped connection is reopened
// without losing or repeating a line. When the WebSocket cannot be opened (a server without it, a
// proxy refusing upgrades) or keeps failing, the owner polls GET /cloud/v6/test_runs/{id}/logs with
// the same cursor instead. Each batch of lines is given in time order. A server without the logs
// endpoint (404) is told once and not asked again.
import type WebSocket from 'ws';
import { ApiError, type ApiClient } from './api-client.ts';
import type { CloudLogLevel } from './cloud-run.ts';

export interface RunLogItem {
  id: number;
  /** RFC 3339 with microseconds. */
  time: string;
  level: string;
  message: string;
  labels: Record<string, string>;
}

/** logrus level names → the CLI logger's. */
export function cliLevel(level: string): CloudLogLevel {
  if (level === 'debug' || level === 'trace') return 'debug';
  if (level === 'warning' || level === 'warn') return 'warn';
  if (level === 'error' || level === 'fatal' || level === 'panic') return 'error';
  return 'info';
}

/** A Loki timestamp (nanoseconds) as the logs endpoint's RFC 3339 time with microseconds. */
function timeOfNs(ns: string): string {
  const us = BigInt(ns) / 1000n;
  const iso = new Date(Number(us / 1000n)).toISOString();
  return `${iso.slice(0, 19)}.${String(us % 1_000_000n).padStart(6, '0')}Z`;
}

const byTime = (a: RunLogItem, b: RunLogItem): number => (a.time < b.time ? -1 : a.time > b.time ? 1 : a.id - b.id);

export interface RunLogFollowerOptions {
  /** The waits before each attempt to reopen a dropped tail; once they are spent, polling takes over. */
  reconnectDelaysMs?: readonly number[];
}

type Mode = 'idle' | 'live' | 'reconnecting' | 'polling' | 'stopped';

export class RunLogFollower {
  /** The id of the last line given: the cursor every read resumes after. */
  #after = 0;
  #off = false;
  #mode: Mode = 'idle';
  #ws: WebSocket | null = null;
  readonly #delays: readonly number[];

  constructor(
    private readonly client: ApiClient,
    private readonly runId: number,
    private readonly onLine: (line: RunLogItem) => void,
    private readonly warn: (msg: string) => void,
    opts: RunLogFollowerOptions = {},
  ) {
    this.#delays = opts.reconnectDelaysMs ?? [250, 1_000, 3_000];
  }

  /** Whether lines are coming over the WebSocket (or it is being reopened): poll() then does nothing. */
  get live(): boolean {
    return this.#mode === 'live' || this.#mode === 'reconnecting';
  }

  /** Opens the tail; resolves once it is open, or once polling has taken over. */
  async start(): Promise<void> {
    if (this.#mode !== 'idle') return;
    this.#mode = (await this.#open()) ? 'live' : 'polling';
  }

  /** Gives every line logged since the last one given (all pages of them), unless the tail is live. */
  async poll(): Promise<void> {
    if (this.live) return;
    await this.#drain();
  }

  /** Closes the tail and (unless `drain` is false) gives the lines it had not delivered yet; nothing is given after. */
  async stop(drain = true): Promise<void> {
    if (this.#mode === 'stopped') return;
    this.#mode = 'stopped';
    const ws = this.#ws;
    this.#ws = null;
    if (ws !== null) {
      const closed = new Promise((resolve) => ws.once('close', resolve));
      ws.close(1000, 'done');
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
      ws.terminate();
    }
    if (drain) await this.#drain();
  }

  async #drain(): Promise<void> {
    while (!this.#off) {
      let page: { value: RunLogItem[]; '@nextLink'?: string };
      try {
        page = await this.client.json(`/cloud/v6/test_runs/${this.runId}/logs?after=${this.#after}&limit=1000`);
      } catch (err) {
        if (err instanceof ApiError && err.status === 404) {
          this.#off = true;
          this.warn('the server does not serve test run logs: --show-logs shows nothing');
        }
        return;
      }
      this.#give(page.value);
      if (page['@nextLink'] === undefined) return;
    }
  }

  /** Lines past the cursor, in time order; the cursor moves to the last of them. */
  #give(lines: readonly RunLogItem[]): void {
    const fresh = lines.filter((l) => l.id > this.#after).sort(byTime);
    for (const line of fresh) this.#after = Math.max(this.#after, line.id);
    for (const line of fresh) this.onLine(line);
  }

  /** One attempt to open the tail after the cursor: whether it opened. */
  async #open(): Promise<boolean> {
    // ws is loaded here, on the first follow, not by every `stampede` command that imports this file.
    const { default: WebSocketClient } = await import('ws');
    const base = this.client.baseUrl.replace(/^http/, 'ws');
    const url = `${base}/loki/api/v1/tail?query=${encodeURIComponent(`{test_run_id="${this.runId}"}`)}&after=${this.#after}`;
    return new Promise((resolve) => {
      let ws: WebSocket;
      try {
        ws = new WebSocketClient(url, { headers: this.client.authHeaders(), handshakeTimeout: 5_000 });
      } catch {
        resolve(false);
        return;
      }
      let opened = false;
      ws.on('unexpected-response', (req) => {
        req.destroy();
        resolve(false);
      });
      ws.on('error', () => {
        if (!opened) resolve(false);
      });
      ws.on('open', () => {
        if (this.#mode === 'stopped') {
          ws.terminate();
          resolve(false);
          return;
        }
        opened = true;
        this.#ws = ws;
        resolve(true);
      });
      ws.on('message', (data: Buffer) => {
        if (this.#ws === ws && this.#mode !== 'stopped') this.#frame(ws, data);
      });
      ws.on('close', (code: number) => {
        if (!opened || this.#ws !== ws) return;
        this.#ws = null;
        // 1000: the server ended the tail (the run has ended): what is left is read by stop().
        if (code === 1000) {
          if (this.#mode === 'live') this.#mode = 'polling';
          return;
        }
        if (this.#mode === 'live') void this.#reopen();
      });
    });
  }

  /** A tail frame: its lines with their ids; a frame without ids (a server ignoring `after`) means polling instead. */
  #frame(ws: WebSocket, data: Buffer): void {
    let frame: { streams?: { stream?: Record<string, string>; values?: unknown[][] }[] };
    try {
      frame = JSON.parse(data.toString()) as typeof frame;
    } catch {
      return;
    }
    const lines: RunLogItem[] = [];
    for (const { stream = {}, values = [] } of frame.streams ?? []) {
      const { level = 'info', ...labels } = stream;
      for (const [ns, message, meta] of values) {
        const id = Number((meta as { id?: unknown } | undefined)?.id);
        if (typeof ns !== 'string' || !/^\d{1,19}$/.test(ns) || typeof message !== 'string' || !Number.isSafeInteger(id)) {
          this.#ws = null;
          ws.terminate();
          this.#mode = 'polling';
          return;
        }
        lines.push({ id, time: timeOfNs(ns), level, message, labels });
      }
    }
    this.#give(lines);
  }

  /** Reopens a dropped tail after the cursor, waiting a little more each time; then polling takes over. */
  async #reopen(): Promise<void> {
    this.#mode = 'reconnecting';
    for (const delay of this.#delays) {
      await new Promise((resolve) => setTimeout(resolve, delay).unref());
      if (this.#mode !== 'reconnecting') return;
      if (await this.#open()) {
        if (this.#mode === 'reconnecting') this.#mode = 'live';
        return;
      }
    }
    if (this.#mode === 'reconnecting') this.#mode = 'polling';
  }
}
