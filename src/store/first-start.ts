// The first start of a deployment: one stack, its admin user and default project, and a personal
// token to call the API with. Safe to run on every start: it only creates what is missing, including
// after a first start that was killed part-way through, and when several servers start on one new
// database at once (a rolling deploy, replicas): the admin user's unique email decides which one seeds,
// the others wait for it to finish and then start as on a later start.
import type { Kysely } from 'kysely';
import { hashToken, StampedeError } from '../core/index.ts';
import type { Database } from './schema.ts';
import { ADMIN_EMAIL, type FirstStartResult, type StacksRepo, type TokensRepo, type UserRecord, type UsersRepo } from './store.ts';

export const FIRST_STACK_NAME = 'Default stack';
const ADMIN_TOKEN_NAME = 'admin';
/** How long a start that finds the admin without a stack waits for another server to finish seeding before finishing it itself (that one died). */
const OTHER_START_WAIT_MS = 15_000;
const OTHER_START_POLL_MS = 50;

type Repos = { stacks: StacksRepo; users: UsersRepo; tokens: TokensRepo };

const isConflict = (err: unknown) => err instanceof StampedeError && err.code === 'STAMPEDE_ERR_CONFLICT';

/** The admin's token from STAMPEDE_ADMIN_TOKEN, added once; another server adding it at the same moment is fine. */
async function importAdminToken(db: Kysely<Database>, tokens: TokensRepo, userId: number, adminToken: string): Promise<void> {
  const known = await db.selectFrom('tokens').select('id').where('token_hash', '=', hashToken(adminToken)).executeTakeFirst();
  if (known !== undefined) return;
  try {
    await tokens.importPersonal(userId, ADMIN_TOKEN_NAME, adminToken);
  } catch (err) {
    if (!isConflict(err)) throw err;
  }
}

/** The admin and their first stack when a first start has completed, else null. */
async function completed(db: Kysely<Database>, repos: Repos, existing: UserRecord, opts: { adminToken?: string }): Promise<FirstStartResult | null> {
  const first = (await repos.stacks.listMemberships(existing.id))[0];
  const stack = first === undefined ? null : await repos.stacks.get(first.stackId);
  if (stack === null) return null;
  if (opts.adminToken !== undefined) await importAdminToken(db, repos.tokens, existing.id, opts.adminToken);
  return { created: false, stackId: stack.id, userId: existing.id, projectId: stack.defaultProjectId, adminEmail: ADMIN_EMAIL, token: null };
}

export async function seedFirstStart(db: Kysely<Database>, repos: Repos, opts: { adminToken?: string }): Promise<FirstStartResult> {
  let waitingSince: number | null = null;
  let user: UserRecord | null = null;
  while (user === null) {
    const existing = await repos.users.getByEmail(ADMIN_EMAIL);
    if (existing !== null) {
      const done = await completed(db, repos, existing, opts);
      if (done !== null) return done;
      // The admin exists without a stack: another server is seeding (it created the admin first), or an
      // earlier start died half-way. Wait for the other server; when none finishes in time, finish it.
      waitingSince ??= Date.now();
      if (Date.now() - waitingSince < OTHER_START_WAIT_MS) {
        await new Promise((resolve) => setTimeout(resolve, OTHER_START_POLL_MS));
        continue;
      }
      user = existing;
      break;
    }
    try {
      user = await repos.users.create(ADMIN_EMAIL);
    } catch (err) {
      if (!isConflict(err)) throw err;
      waitingSince ??= Date.now();
    }
  }
  const stack = (await repos.stacks.list())[0] ?? (await repos.stacks.create(FIRST_STACK_NAME));
  await repos.stacks.setMember(stack.id, user.id, 'admin');
  if (opts.adminToken !== undefined) await importAdminToken(db, repos.tokens, user.id, opts.adminToken);
  const created = opts.adminToken === undefined ? await repos.tokens.createPersonal(user.id, ADMIN_TOKEN_NAME) : null;
  return {
    created: true,
    stackId: stack.id,
    userId: user.id,
    projectId: stack.defaultProjectId,
    adminEmail: ADMIN_EMAIL,
    token: created === null ? null : created.token,
  };
}
