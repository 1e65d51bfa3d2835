// The first start of a deployment: one stack, its admin user and default project, and a personal
// token to call the API with. Safe to run on every start: it only creates what is missing, including
// after a first start that was killed part-way through.
import type { Kysely } from 'kysely';
import { hashToken } from '../core/index.ts';
import type { Database } from './schema.ts';
import { ADMIN_EMAIL, type FirstStartResult, type StacksRepo, type TokensRepo, type UsersRepo } from './store.ts';

export const FIRST_STACK_NAME = 'Default stack';
const ADMIN_TOKEN_NAME = 'admin';

export async function seedFirstStart(
  db: Kysely<Database>,
  repos: { stacks: StacksRepo; users: UsersRepo; tokens: TokensRepo },
  opts: { adminToken?: string },
): Promise<FirstStartResult> {
  const existing = await repos.users.getByEmail(ADMIN_EMAIL);
  if (existing !== null) {
    const memberships = await repos.stacks.listMemberships(existing.id);
    const first = memberships[0];
    const stack = first === undefined ? null : await repos.stacks.get(first.stackId);
    if (stack !== null) {
      if (opts.adminToken !== undefined) {
        const known = await db.selectFrom('tokens').select('id').where('token_hash', '=', hashToken(opts.adminToken)).executeTakeFirst();
        if (known === undefined) await repos.tokens.importPersonal(existing.id, ADMIN_TOKEN_NAME, opts.adminToken);
      }
      return { created: false, stackId: stack.id, userId: existing.id, projectId: stack.defaultProjectId, adminEmail: ADMIN_EMAIL, token: null };
    }
  }
  // A start that died half-way left the first stack without its admin: finish that one.
  const stack = (await repos.stacks.list())[0] ?? (await repos.stacks.create(FIRST_STACK_NAME));
  const user = existing ?? (await repos.users.create(ADMIN_EMAIL));
  await repos.stacks.setMember(stack.id, user.id, 'admin');
  const created =
    opts.adminToken === undefined ? await repos.tokens.createPersonal(user.id, ADMIN_TOKEN_NAME) : await repos.tokens.importPersonal(user.id, ADMIN_TOKEN_NAME, opts.adminToken);
  return {
    created: true,
    stackId: stack.id,
    userId: user.id,
    projectId: stack.defaultProjectId,
    adminEmail: ADMIN_EMAIL,
    token: opts.adminToken === undefined ? created.token : null,
  };
}
