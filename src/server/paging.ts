// Collection paging in the v6 style: `$top` (default and maximum 1000), `$skip`, `$count` → `@count`,
// and `@nextLink`, an absolute URL to the next page, present until the last page.
import type { FastifyRequest } from 'fastify';
import type { ListQuery } from '../domain/index.ts';
import type { Page, Paged } from '../store/index.ts';

export interface ListBody<T> {
  value: T[];
  '@count'?: number;
  '@nextLink'?: string;
}

/** The origin links are built on: the configured public URL, else the request's own scheme and host. */
export function publicOrigin(req: FastifyRequest, publicUrl: string | undefined): string {
  return publicUrl ?? `${req.protocol}://${req.host}`;
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
  const hasMore = paged.items.length > query.top;
  const body: ListBody<T> = { value: paged.items.slice(0, query.top).map(view) };
  if (query.count) body['@count'] = paged.count ?? query.skip + paged.items.length;
  if (hasMore) {
    const current = new URL(req.url, 'http://placeholder');
    const params = new URLSearchParams(current.search);
    params.set('$skip', String(query.skip + query.top));
    params.set('$top', String(query.top));
    const search = params.toString().replace(/%24/g, '$');
    body['@nextLink'] = `${publicOrigin(req, publicUrl)}${current.pathname}?${search}`;
  }
  return body;
}
