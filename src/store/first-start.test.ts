// The first start when two servers open the same new database at once (a rolling deploy, two replicas):
// both must come up, agreeing on one stack, one admin and its token, with nothing left over.
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from './open-store.ts';
import { ADMIN_EMAIL, type Store } from './store.ts';
import { DEFAULT_TEST_DATABASE_URL, openTestStore, postgresReachable, type TestStore, type TestTarget } from './test-stores.ts';

const pgUrl = process.env['STAMPEDE_TEST_DATABASE_URL'] ?? DEFAULT_TEST_DATABASE_URL;
const pgUp = await postgresReachable(pgUrl);

const TARGETS: { name: string; target: TestTarget; skip: boolean }[] = [
  { name: 'sqlite', target: { dialect: 'sqlite' }, skip: false },
  { name: pgUp ? 'postgres' : `postgres (SKIPPED: PostgreSQL unreachable at ${pgUrl}; set STAMPEDE_TEST_DATABASE_URL)`, target: { dialect: 'postgres', url: pgUrl }, skip: !pgUp },
];

for (const { name, target, skip } of TARGETS) {
  describe.skipIf(skip)(`first start: ${name}`, () => {
    let t: TestStore | undefined;
    const others: Store[] = [];
    afterEach(async () => {
      for (const s of others.splice(0)) await s.close();
      await t?.dispose();
    });

    it('two servers seeding one new database at once both start, with one stack, one admin and one default project', async () => {
      t = await openTestStore(target);
      const stores = [t.store];
      for (let i = 0; i < 3; i++) {
        const s = await openStore(t.config);
        others.push(s);
        stores.push(s);
      }
      const adminToken = 'first-start-shared-admin-token';
      const results = await Promise.allSettled(stores.map((s) => s.seedFirstStart({ adminToken })));
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
      const values = results.map((r) => (r.status === 'fulfilled' ? r.value : null));
      expect(new Set(values.map((v) => v?.stackId)).size).toBe(1);
      expect(values.filter((v) => v?.created === true)).toHaveLength(1);
      expect(await t.store.stacks.list()).toHaveLength(1);
      expect(await t.store.tokens.authenticate(adminToken)).toMatchObject({ kind: 'user', userId: values[0]?.userId });
      const again = await (await t.reopen()).seedFirstStart({ adminToken });
      expect(again).toMatchObject({ created: false, stackId: values[0]?.stackId });
    });

    it('a server that finds the admin created but no stack yet waits for the server seeding rather than adding a second stack', async () => {
      t = await openTestStore(target);
      const other = await openStore(t.config);
      others.push(other);
      // The seeding server has created the admin user, and is about to create the stack.
      const admin = await t.store.users.create(ADMIN_EMAIL);
      const waiting = other.seedFirstStart();
      await new Promise((resolve) => setTimeout(resolve, 300));
      const stack = await t.store.stacks.create('Default stack');
      await t.store.stacks.setMember(stack.id, admin.id, 'admin');
      expect(await waiting).toMatchObject({ created: false, stackId: stack.id, userId: admin.id, token: null });
      expect(await t.store.stacks.list()).toHaveLength(1);
    });
  });
}
