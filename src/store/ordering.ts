// `$orderby` terms → ORDER BY. Only whitelisted columns reach SQL; `id` is always the last key so
// pages are stable when the ordered values tie.
import type { SelectQueryBuilder } from 'kysely';
import type { OrderTerm } from '../domain/index.ts';
import type { Database } from './schema.ts';

export function applyOrder<TB extends keyof Database, O>(
  query: SelectQueryBuilder<Database, TB, O>,
  table: TB,
  terms: readonly OrderTerm[] | undefined,
  columns: readonly string[],
  fallback: OrderTerm = { field: 'id', desc: false },
): SelectQueryBuilder<Database, TB, O> {
  const chosen = terms !== undefined && terms.length > 0 ? terms : [fallback];
  let q = query;
  for (const term of chosen) {
    if (!columns.includes(term.field)) continue;
    q = q.orderBy(`${table}.${term.field}` as never, term.desc ? 'desc' : 'asc');
  }
  const last = chosen[chosen.length - 1];
  if (!chosen.some((t) => t.field === 'id')) q = q.orderBy(`${table}.id` as never, last?.desc === true ? 'desc' : 'asc');
  return q;
}
