// Collection paging in the v6 style: `$top` (default and maximum 1000), `$skip`, `$count` → `@count`,
// and `@nextLink`, an absolute URL to the next page, present until the last page.
import type { FastifyRequest } from 'fastify';
import type { ListQuery } from '../domain/index.ts';
import type { Page, Paged } from '../store/index.ts';

/** The content type Fastify gives a JSON body, for bodies sent as ready-made JSON text. */
export const JSON_TYPE = 'application/json; charset=utf-8';

export interface ListBody<T> {
  value: T[];
  '@count'?: number;
  '@nextLink'?: string;
}

// A Host header that can stand in a URL: a name or IPv4 address, or a bracketed IPv6 one, and a port.
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * The origin links are built on: the configured public URL, else the request's own scheme and host.
 * A request without a usable Host (HTTP/1.0 sends none; anyone can send garbage) gets the address it
 * reached us on, so links stay absolute URLs.
 */
export function publicOrigin(req: FastifyRequest, publicUrl: string | undefined): string {
  if (publicUrl !== undefined) return publicUrl;
  const host = req.host;
  if (typeof host === 'string' && HOST.test(host)) return `${req.protocol}://${host}`;
  const address = req.socket?.localAddress;
  const port = req.socket?.localPort;
  const name = address === undefined || address === '' ? 'localhost' : address.includes(':') ? `[${address}]` : address;
  return `${req.protocol}://${name}${port === undefined ? '' : `:${port}`}`;
}

/**
 * The store page for a list query. One row more than asked for is fetched so the last page is known
 * without counting every matching row (counting is only done when `$count` asks for it).
 */
export function lookAheadPage(query: Pick<ListQuery, 'top' | 'skip' | 'count' | 'orderBy'>): Page {
  return { top: query.top + 1, skip: query.skip, count: query.count, orderBy: query.orderBy };
}

/**
 * Builds a list body from a look-ahead page. The next link keeps every other query parameter of the
 * request and moves `$skip` on by `$top`.
 */
export function listBody<R, T>(req: FastifyRequest, publicUrl: string | undefined, query: Pick<ListQuery, 'top' | 'skip' | 'count'>, paged: Paged<R>, view: (r: R) => T): ListBody<T> {
  const body: ListBody<T> = { value: paged.items.slice(0, query.top).map(view) };
  if (query.count) body['@count'] = countOf(query, paged);
  const next = nextLink(req, publicUrl, query, paged);
  if (next !== undefined) body['@nextLink'] = next;
  return body;
}

/**
 * `JSON.stringify(listBody(…))` as UTF-8 bytes, when each item's JSON comes as bytes (see
 * testRunJsonBytes): the same keys in the same order, copied together without building the page as
 * objects or as one large string first.
 */
export function listBodyBytes<R>(req: FastifyRequest, publicUrl: string | undefined, query: Pick<ListQuery, 'top' | 'skip' | 'count'>, paged: Paged<R>, bytes: (r: R) => Buffer): Buffer {
  const items = paged.items.length > query.top ? paged.items.slice(0, query.top) : paged.items;
  const parts: Buffer[] = [VALUE_OPEN];
  for (let i = 0; i < items.length; i++) {
    if (i > 0) parts.push(COMMA);
    parts.push(bytes(items[i] as R));
  }
  let tail = ']';
  if (query.count) tail += `,"@count":${countOf(query, paged)}`;
  const next = nextLink(req, publicUrl, query, paged);
  if (next !== undefined) tail += `,"@nextLink":${JSON.stringify(next)}`;
  parts.push(Buffer.from(`${tail}}`));
  return Buffer.concat(parts);
}

const VALUE_OPEN = Buffer.from('{"value":[');
const COMMA = Buffer.from(',');

function countOf(query: Pick<ListQuery, 'skip'>, paged: Paged<unknown>): number {
  return paged.count ?? query.skip + paged.items.length;
}

function nextLink(req: FastifyRequest, publicUrl: string | undefined, query: Pick<ListQuery, 'top' | 'skip'>, paged: Paged<unknown>): string | undefined {
  // `$top=0` pages nowhere: a link moving `$skip` on by 0 would send a client round for ever.
  if (query.top === 0 || paged.items.length <= query.top) return undefined;
  const current = new URL(req.url, 'http://placeholder');
  const params = new URLSearchParams(current.search);
  params.set('$skip', String(query.skip + query.top));
  params.set('$top', String(query.top));
  const search = params.toString().replace(/%24/g, '$');
  return `${publicOrigin(req, publicUrl)}${current.pathname}?${search}`;
}
