// The load-zone repository on every store: zones an operator adds, changes and removes, and the
// conflicts that keep runs (and runs yet to come) a zone to run in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from './store.ts';
import { js, rejectsWith } from './store-assertions.test-helper.ts';
import { DEFAULT_TEST_DATABASE_URL, openTestStore, postgresReachable, type TestStore, type TestTarget } from './test-stores.ts';

const pgUrl = process.env['STAMPEDE_TEST_DATABASE_URL'] ?? DEFAULT_TEST_DATABASE_URL;
const pgUp = await postgresReachable(pgUrl);

const TARGETS: { name: string; target: TestTarget; skip: boolean }[] = [
  { name: 'sqlite', target: { dialect: 'sqlite' }, skip: false },
  { name: pgUp ? 'postgres' : `postgres (SKIPPED: PostgreSQL unreachable at ${pgUrl})`, target: { dialect: 'postgres', url: pgUrl }, skip: !pgUp },
];

const zone = (k6LoadZoneId: string, name = k6LoadZoneId) => ({ name, k6LoadZoneId, available: true, public: true, customLoadRunnerImage: null });


for (const { name, target, skip } of TARGETS) {
  describe.skipIf(skip)(`load zones: ${name}`, () => {
    let t: TestStore;
    let store: Store;
    let seq = 0;
    beforeAll(async () => {
      t = await openTestStore(target);
      store = t.store;
    });
    afterAll(async () => {
      await t?.dispose();
    });

    /** A run of a new load test with `source` as its script, in `created`. */
    async function runOf(source: string) {
      const stack = await store.stacks.create(`zones-${++seq}`);
      const lt = await store.loadTests.create(stack.id, { projectId: stack.defaultProjectId, name: 'zones', script: js(source) });
      return (await store.testRuns.create({ stackId: stack.id, loadTestId: lt.id, startedBy: null })).run;
    }

    it('adds, changes and lists zones after the default one, and refuses a k6 id twice', async () => {
      const [first] = await store.loadZones.list();
      const eu = await store.loadZones.create({ ...zone('amazon:de:frankfurt', 'Frankfurt'), public: false, customLoadRunnerImage: 'grafana/k6:latest' });
      expect(eu).toEqual({ id: expect.any(Number), name: 'Frankfurt', k6LoadZoneId: 'amazon:de:frankfurt', available: true, public: false, customLoadRunnerImage: 'grafana/k6:latest' });
      expect(eu.id).toBeGreaterThan(first?.id ?? Infinity);
      expect((await store.loadZones.list()).map((z) => z.k6LoadZoneId)).toEqual(['amazon:us:ashburn', 'amazon:de:frankfurt']);
      expect((await rejectsWith(store.loadZones.create(zone('amazon:de:frankfurt')), 'STAMPEDE_ERR_CONFLICT')).message).toContain('already exists');

      const changed = await store.loadZones.update(eu.id, { name: 'EU', available: false, customLoadRunnerImage: null });
      expect(changed).toMatchObject({ name: 'EU', available: false, public: false, customLoadRunnerImage: null, k6LoadZoneId: 'amazon:de:frankfurt' });
      expect(await store.loadZones.get(eu.id)).toEqual(changed);
      await rejectsWith(store.loadZones.update(eu.id, { k6LoadZoneId: 'amazon:us:ashburn' }), 'STAMPEDE_ERR_CONFLICT');
      await rejectsWith(store.loadZones.update(999_999, { name: 'x' }), 'STAMPEDE_ERR_NOT_FOUND');
      await store.loadZones.remove(eu.id);
      expect(await store.loadZones.get(eu.id)).toBeNull();
      await rejectsWith(store.loadZones.remove(eu.id), 'STAMPEDE_ERR_NOT_FOUND');
    });

    it('keeps the default zone, available, and the last zone', async () => {
      const [first] = await store.loadZones.list();
      const id = first?.id ?? 0;
      expect((await rejectsWith(store.loadZones.remove(id), 'STAMPEDE_ERR_CONFLICT')).message).toMatch(/last load zone/);
      const other = await store.loadZones.create(zone('dc:paris'));
      expect((await rejectsWith(store.loadZones.remove(id), 'STAMPEDE_ERR_CONFLICT')).message).toMatch(/default zone/);
      expect((await rejectsWith(store.loadZones.update(id, { available: false }), 'STAMPEDE_ERR_CONFLICT')).message).toMatch(/must stay available/);
      // The default zone may be renamed, even its k6 id, when no run needs it.
      expect(await store.loadZones.update(id, { name: 'Local' })).toMatchObject({ name: 'Local', available: true });
      await store.loadZones.remove(other.id);
    });

    it('keeps a zone that a queued run names in its script or a running run was planned with', async () => {
      const tokyo = await store.loadZones.create(zone('amazon:jp:tokyo'));
      const queued = await runOf(`export const options = { cloud: { distribution: { jp: { loadZone: 'amazon:jp:tokyo', percent: 100 } } } };\nexport default function () {}`);
      await store.testRuns.transition(queued.id, 'queued');
      const unrelated = await runOf('export default function () {}');
      await store.testRuns.transition(unrelated.id, 'queued');

      const err = await rejectsWith(store.loadZones.remove(tokyo.id), 'STAMPEDE_ERR_CONFLICT');
      expect(err.message).toBe(`Load zone amazon:jp:tokyo cannot be removed while unfinished test runs need it (run ${queued.id}); wait for them to end or abort them`);
      await rejectsWith(store.loadZones.update(tokyo.id, { k6LoadZoneId: 'amazon:jp:osaka' }), 'STAMPEDE_ERR_CONFLICT');
      await rejectsWith(store.loadZones.update(tokyo.id, { available: false }), 'STAMPEDE_ERR_CONFLICT');
      // Renaming or changing what does not stop the run is fine.
      expect(await store.loadZones.update(tokyo.id, { name: 'Tokyo' })).toMatchObject({ name: 'Tokyo' });

      // Once planned, the recorded distribution decides, not the script text.
      await store.testRuns.transition(queued.id, 'initializing', { fields: { distribution: [{ load_zone: 'amazon:us:ashburn', percent: 100 }] } });
      await store.loadZones.update(tokyo.id, { available: false });
      const running = await runOf('export default function () {}');
      await store.testRuns.transition(running.id, 'queued');
      await store.testRuns.transition(running.id, 'initializing', { fields: { distribution: [{ load_zone: 'amazon:us:ashburn', percent: 50 }, { load_zone: 'amazon:jp:tokyo', percent: 50 }] } });
      expect((await rejectsWith(store.loadZones.remove(tokyo.id), 'STAMPEDE_ERR_CONFLICT')).message).toContain(`run ${running.id}`);

      // Ended runs need nothing.
      await store.testRuns.transition(running.id, 'aborted');
      await store.loadZones.remove(tokyo.id);
      expect((await store.loadZones.list()).map((z) => z.k6LoadZoneId)).not.toContain('amazon:jp:tokyo');
    });
  });
}
