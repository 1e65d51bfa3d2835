import type { HttpFailure } from './error-codes.ts';
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

/**
 * Sends a batch's requests in two steps, as k6 does: every entry is prepared (parseRequest: params,
 * URL) before any is sent, so one that cannot be made means none is sent.
 */
export interface BatchSender<P> {
  /** The requests of `entries` in order, or the index and failure of the first that cannot be made. */
  prepareAll(
    entries: ReadonlyArray<readonly [method: unknown, url: unknown, body: unknown, params: unknown]>,
  ): { readonly runs: readonly P[] } | { readonly index: number; readonly failure: HttpFailure };
  send(prepared: P): Promise<Response>;
}

/** An entry k6 cannot turn into a request: the batch sends nothing (k6 parseBatchRequest). */
export class BatchEntryError extends Error {}

/**
 * Go's %#v of a JS value exported to Go, enough for k6's batch messages. A nil handed to fmt as the
 * argument itself prints `<nil>`; inside a slice it is a typed `interface {}(nil)`.
 */
function goSyntax(v: unknown, nested = false): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[]interface {}{${v.map((e) => goSyntax(e, true)).join(', ')}}`;
  if (v === null || v === undefined) return nested ? 'interface {}(nil)' : '<nil>';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return `map[string]interface {}{...}`;
}

export function parseBatchEntry(entry: unknown, key: string | number = 0): BatchEntry {
  if (typeof entry === 'string' || entry instanceof TemplatedUrl) {
    return { method: 'GET', url: entry, body: null, params: undefined };
  }
  if (Array.isArray(entry)) {
    if (entry.length < 2) throw new BatchEntryError(`invalid batch request '${goSyntax(entry)}'`);
    if (typeof entry[0] !== 'string') throw new BatchEntryError(`invalid method type '${goSyntax(entry[0])}'`);
    return { method: entry[0], url: entry[1], body: entry[2] ?? null, params: entry[3] };
  }
  if (entry !== null && typeof entry === 'object') {
    const o = entry as Record<string, unknown>;
    if (!('url' in o)) throw new BatchEntryError(`batch request ${String(key)} doesn't have a url key`);
    const given = o.method;
    if ('method' in o && typeof given !== 'string') throw new BatchEntryError(`invalid method type '${goSyntax(given)}'`);
    const method = typeof given === 'string' ? given.toUpperCase() : 'GET';
    // k6 drops the body when a `method` key names GET or HEAD; without one, the GET carries it.
    const body = 'method' in o && (method === 'GET' || method === 'HEAD') ? null : (o.body ?? null);
    return { method, url: o.url, body, params: o.params };
  }
  // Anything else is taken as the URL (k6 parses it as one and fails there if it is not).
  return { method: 'GET', url: entry, body: null, params: undefined };
}

/**
 * The batch's argument(s) as k6 checks them: one array or object. Anything else throws k6's error
 * (a GoError message; the caller raises it).
 */
export function batchArgumentError(args: readonly unknown[]): string | undefined {
  if (args.length === 0) return 'no argument was provided to http.batch()';
  if (args.length > 1) return 'http.batch() accepts only an array or an object of requests';
  const reqs = args[0];
  if (reqs === null || reqs === undefined) return 'invalid http.batch() argument type <nil>';
  if (typeof reqs !== 'object') return `invalid http.batch() argument type ${typeof reqs === 'number' ? (Number.isInteger(reqs) ? 'int64' : 'float64') : typeof reqs === 'boolean' ? 'bool' : typeof reqs}`;
  return undefined;
}

function hostOf(url: unknown): string {
  try {
    return new URL(String(url)).host;
  } catch {
    return '';
  }
}

/**
 * What k6 does when an entry cannot be made into a request (its shape, its params or its URL): nothing
 * is sent; with the throw option the error is thrown, otherwise it is logged and the batch returns what
 * it had prepared — an unsent response per entry before the bad one, the bad one's carrying the error
 * (and its error code), null for the rest of an array.
 */
export interface BatchPrepareFailure {
  /** A response that was never sent, with `error` and `errorCode` set when given. */
  unsent(error: string, errorCode: number): Response;
  /** Throws (throw option) or logs "A batch request failed". */
  report(message: string): void;
}

/** Runs the entries with the concurrency limits; settles after every request has finished. */
export async function runBatch<P>(
  reqs: object,
  sender: BatchSender<P>,
  limits: { readonly batch: number; readonly batchPerHost: number },
  prepare: BatchPrepareFailure,
): Promise<Array<Response | null> | Record<string, Response>> {
  const isArray = Array.isArray(reqs);
  const keys = isArray ? (reqs as unknown[]).map((_, i) => i) : Object.keys(reqs);
  const entries: BatchEntry[] = [];
  // k6 parses each entry and then its request before the next entry: the first problem in entry order wins.
  let malformed: string | undefined;
  for (const k of keys) {
    try {
      entries.push(parseBatchEntry((reqs as Record<string | number, unknown>)[k], k));
    } catch (e) {
      if (!(e instanceof BatchEntryError)) throw e;
      malformed = e.message;
      break;
    }
  }
  const prepared = sender.prepareAll(entries.map((e) => [e.method, e.url, e.body, e.params] as const));
  const refused = 'failure' in prepared
    ? { index: prepared.index, message: prepared.failure.message, code: prepared.failure.code }
    : malformed === undefined ? undefined : { index: entries.length, message: malformed, code: 0 };
  if (refused !== undefined) {
    prepare.report(refused.message);
    const done: Response[] = [];
    for (let i = 0; i < refused.index; i++) done.push(prepare.unsent('', 0));
    done.push(prepare.unsent(refused.message, refused.code));
    if (isArray) return [...done, ...new Array<null>(keys.length - done.length).fill(null)];
    const partial: Record<string, Response> = {};
    done.forEach((r, i) => {
      partial[String(keys[i])] = r;
    });
    return partial;
  }
  const runs = 'runs' in prepared ? prepared.runs : [];
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
        sender.send(runs[i] as P).then(
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
