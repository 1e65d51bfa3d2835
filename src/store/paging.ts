// Paging over any select: total count (when asked) and the requested page, both from the same filter.
import type { SelectQueryBuilder } from 'kysely';
import type { Database } from './schema.ts';
import type { Page } from './store.ts';

export async function countOf<TB extends keyof Database, O>(query: SelectQueryBuilder<Database, TB, O>, wanted: boolean): Promise<number | null> {
  if (!wanted) return null;
  const row = await query
    .clearSelect()
    .clearOrderBy()
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  return Number((row as { n?: unknown } | undefined)?.n ?? 0);
}

export function pageOf<TB extends keyof Database, O>(query: SelectQueryBuilder<Database, TB, O>, page: Page): SelectQueryBuilder<Database, TB, O> {
  return query.limit(page.top).offset(page.skip);
}
