// Bearer tokens. Only SHA-256 hashes are stored; the clear secret leaves the store once, on creation.
import type { Kysely } from 'kysely';
import { hashToken, newToken, StampedeError } from '../core/index.ts';
import type { Database } from './schema.ts';
import { ReadCache } from './read-cache.ts';
import { isUniqueViolation } from './sql-errors.ts';
import type { CreatedToken, Principal, TokenKind, TokenRecord, TokensRepo } from './store.ts';

/** How long a token's principal is reused without a query; a revoke through this store clears it at once. */
export const TOKEN_CACHE_MS = 5_000;
const TOKEN_CACHE_ENTRIES = 10_000;

export function tokensRepo(db: Kysely<Database>): TokensRepo {
  // Keyed by the token's hash, so no clear secret is kept; unknown tokens are not cached.
  const principals = new ReadCache<string, Principal | null>(TOKEN_CACHE_MS, TOKEN_CACHE_ENTRIES);

  async function lookup(tokenHash: string): Promise<Principal | null> {
    const row = await db
      .selectFrom('tokens')
      .leftJoin('users', 'users.id', 'tokens.user_id')
      .select(['tokens.id', 'tokens.kind', 'tokens.user_id', 'tokens.stack_id', 'users.email'])
      .where('tokens.token_hash', '=', tokenHash)
      .where('tokens.revoked', '=', 0)
      .executeTakeFirst();
    if (row === undefined) return null;
    if (row.kind === 'stack' && row.stack_id !== null) return { kind: 'stack', tokenId: row.id, stackId: row.stack_id };
    if (row.kind === 'personal' && row.user_id !== null && row.email !== null) return { kind: 'user', tokenId: row.id, userId: row.user_id, email: row.email };
    return null;
  }

  async function insert(kind: TokenKind, owner: { userId?: number; stackId?: number }, name: string, token: string): Promise<CreatedToken> {
    if (owner.userId !== undefined) {
      const user = await db.selectFrom('users').select('id').where('id', '=', owner.userId).executeTakeFirst();
      if (user === undefined) throw new StampedeError('STAMPEDE_ERR_NOT_FOUND', 'User not found');
    }
    if (owner.stackId !== undefined) {
      const stack = await db.selectFrom('stacks').select('id').where('id', '=', owner.stackId).executeTakeFirst();
      if (stack === undefined) throw new StampedeError('STAMPEDE_ERR_NOT_FOUND', 'Stack not found');
    }
    try {
      const row = await db
        .insertInto('tokens')
        .values({ token_hash: hashToken(token), kind, user_id: owner.userId ?? null, stack_id: owner.stackId ?? null, name, revoked: 0, created: Date.now() })
        .returning(['id', 'name'])
        .executeTakeFirstOrThrow();
      return { id: row.id, name: row.name, token };
    } catch (err) {
      if (isUniqueViolation(err)) throw new StampedeError('STAMPEDE_ERR_CONFLICT', 'This token already exists');
      throw err;
    }
  }

  return {
    createPersonal: (userId, name) => insert('personal', { userId }, name, newToken()),
    createForStack: (stackId, name) => insert('stack', { stackId }, name, newToken()),
    importPersonal: (userId, name, token) => insert('personal', { userId }, name, token),
    async get(id) {
      const row = await db.selectFrom('tokens').selectAll().where('id', '=', id).executeTakeFirst();
      if (row === undefined) return null;
      const record: TokenRecord = {
        id: row.id,
        name: row.name,
        kind: row.kind === 'stack' ? 'stack' : 'personal',
        userId: row.user_id,
        stackId: row.stack_id,
        revoked: row.revoked === 1,
        created: new Date(row.created),
      };
      return record;
    },
    async revoke(id) {
      try {
        const res = await db.updateTable('tokens').set({ revoked: 1 }).where('id', '=', id).executeTakeFirst();
        return Number(res.numUpdatedRows) > 0;
      } finally {
        principals.invalidate();
      }
    },
    async authenticate(token) {
      const tokenHash = hashToken(token);
      return principals.read(tokenHash, () => lookup(tokenHash), (p) => p !== null);
    },
  };
}
