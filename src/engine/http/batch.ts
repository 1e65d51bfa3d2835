import { TemplatedUrl } from './http-url.ts';
import type { Response } from './response.ts';

// http.batch(): entries in an array or object, each a URL, a [method, url, body, params] array or a
// {method, url, body, params} object; at most `batch` requests in flight overall and `batchPerHost`
// per host (0 = no limit), started in entry order (k6 lib/netext/httpext/batch.go).

export interface BatchEntry {
  readonly method: string;
  readonly url: unknown;
  readonly body: unknown;
  readonly params: unknown;
}

export type RequestFn = (method: string, url: unknown, body: unknown, params: unknown) => Promise<Response>;

export function parseBatchEntry(entry: unknown): BatchEntry {
  if (typeof entry === 'string' || entry instanceof TemplatedUrl) {
    return { method: 'GET', url: entry, body: null, params: undefined };
  }
  if (Array.isArray(entry)) {
    if (entry.length < 2) throw new TypeError('batch: an array entry needs at least [method, url]');
    return { method: String(entry[0]), url: entry[1], body: entry[2] ?? null, params: entry[3] };
  }
  if (entry !== null && typeof entry === 'object') {
    const o = entry as Record<string, unknown>;
    if (o.url === undefined) throw new TypeError('batch: an object entry needs a url');
    const method = o.method === undefined ? 'GET' : String(o.method).toUpperCase();
    // k6 ignores a body given to GET or HEAD in this form.
    const body = method === 'GET' || method === 'HEAD' ? null : (o.body ?? null);
    return { method, url: o.url, body, params: o.params };
  }
  throw new TypeError(`batch: invalid request entry ${JSON.stringify(entry)}`);
}

function hostOf(url: unknown): string {
  try {
    return new URL(String(url)).host;
  } catch {
    return '';
  }
}

/** Runs the entries with the concurrency limits; settles after every request has finished. */
export async function runBatch(
  reqs: unknown,
  perform: RequestFn,
  limits: { readonly batch: number; readonly batchPerHost: number },
): Promise<Response[] | Record<string, Response>> {
  if (reqs === null || typeof reqs !== 'object') throw new TypeError('batch: expected an array or an object');
  const isArray = Array.isArray(reqs);
  const keys = isArray ? (reqs as unknown[]).map((_, i) => i) : Object.keys(reqs);
  const entries = keys.map((k) => parseBatchEntry((reqs as Record<string | number, unknown>)[k]));
  const hosts = entries.map((e) => hostOf(e.url));
  const results: (Response | undefined)[] = new Array<Response | undefined>(entries.length);
  const maxActive = limits.batch > 0 ? limits.batch : Infinity;
  const maxPerHost = limits.batchPerHost > 0 ? limits.batchPerHost : Infinity;
  const perHost = new Map<string, number>();
  const pending = entries.map((_, i) => i);
  let active = 0;
  let firstError: unknown;
  let failed = false;

  await new Promise<void>((resolve) => {
    const pump = (): void => {
      for (let p = 0; p < pending.length && active < maxActive; ) {
        const i = pending[p] as number;
        const host = hosts[i] as string;
        const running = perHost.get(host) ?? 0;
        if (running >= maxPerHost) {
          p++;
          continue;
        }
        pending.splice(p, 1);
        active++;
        perHost.set(host, running + 1);
        const e = entries[i] as BatchEntry;
        perform(e.method, e.url, e.body, e.params).then(
          (res) => {
            results[i] = res;
          },
          (err: unknown) => {
            if (!failed) {
              failed = true;
              firstError = err;
            }
          },
        ).finally(() => {
          active--;
          perHost.set(host, (perHost.get(host) ?? 1) - 1);
          pump();
        });
      }
      if (active === 0 && pending.length === 0) resolve();
    };
    pump();
  });
  if (failed) throw firstError;
  if (isArray) return results as Response[];
  const out: Record<string, Response> = {};
  keys.forEach((k, i) => {
    out[String(k)] = results[i] as Response;
  });
  return out;
}
