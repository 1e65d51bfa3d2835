// The network outputs' HTTP client (k6's outputs use Go's net/http): one dispatcher per output, TLS
// checks off with `insecure`, an HTTP proxy when configured. Errors read as Go's client error does
// (`Post "URL": dial tcp 127.0.0.1:8086: connect: connection refused`) so logs match k6's.
import { Agent, ProxyAgent, request, type Dispatcher } from 'undici';

export interface OutputHttpOptions {
  readonly insecure?: boolean;
  readonly proxy?: string;
  /** TLS: the lowest version, root CAs replacing the system's, and a client certificate with its key (PEM). */
  readonly tls?: { readonly minVersion?: 'TLSv1.2' | 'TLSv1.3'; readonly ca?: Uint8Array; readonly cert?: Uint8Array; readonly key?: Uint8Array };
  /** Per request (k6's outputs: influxdb none, prometheus-rw 5 s, opentelemetry 10 s). */
  readonly timeoutMs?: number;
}

export interface OutputResponse {
  readonly status: number;
  readonly body: string;
  /** The Retry-After header, when the response had one. */
  readonly retryAfter?: string;
}

/** A request that got no response; `timedOut` when the per-request timeout ended it (Go's Client.Timeout). */
export class OutputHttpError extends Error {
  constructor(message: string, readonly timedOut: boolean) {
    super(message);
  }
}

export class OutputHttp {
  readonly #dispatcher: Dispatcher;
  readonly #timeoutMs: number | undefined;

  constructor(o: OutputHttpOptions = {}) {
    const tls = {
      rejectUnauthorized: o.insecure !== true,
      ...(o.tls?.minVersion === undefined ? {} : { minVersion: o.tls.minVersion }),
      ...(o.tls?.ca === undefined ? {} : { ca: Buffer.from(o.tls.ca) }),
      ...(o.tls?.cert === undefined ? {} : { cert: Buffer.from(o.tls.cert) }),
      ...(o.tls?.key === undefined ? {} : { key: Buffer.from(o.tls.key) }),
    };
    this.#dispatcher = o.proxy === undefined ? new Agent({ connect: tls }) : new ProxyAgent({ uri: o.proxy, requestTls: tls });
    this.#timeoutMs = o.timeoutMs;
  }

  /** Sends one request (given up when `signal` aborts); rejects with Go's client error text when no response came. */
  async send(method: 'GET' | 'POST', url: string, headers: Readonly<Record<string, string>>, body?: Uint8Array | string, signal?: AbortSignal): Promise<OutputResponse> {
    const verb = method === 'GET' ? 'Get' : 'Post';
    try {
      const timeout = this.#timeoutMs;
      const res = await request(url, {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
        dispatcher: this.#dispatcher,
        ...(timeout === undefined ? {} : { headersTimeout: timeout, bodyTimeout: timeout }),
        ...(signal === undefined ? {} : { signal }),
      });
      const retryAfter = res.headers['retry-after'];
      return { status: res.statusCode, body: await res.body.text(), ...(typeof retryAfter === 'string' ? { retryAfter } : {}) };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? (e as { cause?: NodeJS.ErrnoException }).cause?.code;
      throw new OutputHttpError(`${verb} "${url}": ${goDialText(e, url)}`, code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT');
    }
  }

  async close(): Promise<void> {
    await this.#dispatcher.close();
  }
}

/** The part of Go's *url.Error after the URL for a failed request. */
function goDialText(e: unknown, url: string): string {
  const err = e as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  const code = err.code ?? err.cause?.code;
  let host = '';
  try {
    const u = new URL(url);
    host = `${u.hostname.replace(/^\[|\]$/g, '')}:${u.port === '' ? (u.protocol === 'https:' ? '443' : '80') : u.port}`;
  } catch {
    // keep the code's text alone
  }
  if (code === 'ECONNREFUSED') return `dial tcp ${host}: connect: connection refused`;
  if (code === 'ENOTFOUND') return `dial tcp: lookup ${host.replace(/:\d+$/, '')}: no such host`;
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return 'context deadline exceeded (Client.Timeout exceeded while awaiting headers)';
  return err.message;
}
