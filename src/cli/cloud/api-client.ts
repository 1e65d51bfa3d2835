// A small client of the v6 API (and our extensions) for the CLI: auth headers, JSON, paging, and
// error answers turned into messages a person can act on.
import type { Credentials } from './credentials.ts';

export class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly code?: string) {
    super(message);
    this.name = 'ApiError';
  }
}

const HINTS: Record<number, string> = {
  401: 'the token was refused: check it, or log in again with `stampede login`',
  403: 'this token may not do that in this stack',
  404: 'not found (or it belongs to another stack)',
  409: 'conflict',
};

export interface RequestOptions {
  method?: string;
  body?: unknown;
  form?: FormData;
  /** Raw bytes sent as they are (give their content-type in headers). */
  bytes?: Uint8Array;
  headers?: Record<string, string>;
  accept?: string;
}

export class ApiClient {
  constructor(private readonly creds: Credentials) {}

  get baseUrl(): string {
    return this.creds.url;
  }

  /** The token and stack headers every request carries (also a WebSocket's handshake). */
  authHeaders(): Record<string, string> {
    // No stack yet (`cloud login` asks /auth which stack X-Stack-Url names).
    return { authorization: `Bearer ${this.creds.token}`, ...(this.creds.stackId !== '' && { 'x-stack-id': this.creds.stackId }) };
  }

  async raw(path: string, opts: RequestOptions = {}): Promise<Response> {
    const headers: Record<string, string> = {
      ...this.authHeaders(),
      accept: opts.accept ?? 'application/json',
      ...opts.headers,
    };
    let body: string | FormData | Uint8Array | undefined;
    if (opts.form) body = opts.form;
    else if (opts.bytes) body = opts.bytes;
    else if (opts.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.body);
    }
    const url = path.startsWith('http') ? path : `${this.creds.url}${path}`;
    let res: Response;
    try {
      res = await fetch(url, { method: opts.method ?? 'GET', headers, body });
    } catch (err) {
      throw new ApiError(0, `cannot reach ${this.creds.url}: ${(err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message}`);
    }
    if (res.status >= 400) {
      let message = HINTS[res.status] ?? `HTTP ${res.status}`;
      let code: string | undefined;
      try {
        const payload = (await res.json()) as { error?: { message?: string; code?: string; details?: Array<{ message?: string; target?: string }> } };
        if (payload.error?.message) {
          const details = (payload.error.details ?? []).map((d) => (d.target ? `${d.target}: ${d.message}` : d.message)).join('; ');
          message = `${payload.error.message}${details ? ` (${details})` : ''}`;
          code = payload.error.code;
        }
      } catch {
        // not a JSON error body: keep the hint
      }
      throw new ApiError(res.status, `${res.status}: ${message}`, code);
    }
    return res;
  }

  async json<T>(path: string, opts: RequestOptions = {}): Promise<T> {
    const res = await this.raw(path, opts);
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  /** Every item of a v6 list, following `@nextLink` page by page. */
  async all<T>(path: string): Promise<T[]> {
    const out: T[] = [];
    let next: string | undefined = path;
    while (next) {
      const page: { value: T[]; '@nextLink'?: string } = await this.json(next);
      out.push(...page.value);
      next = page['@nextLink'];
    }
    return out;
  }
}
