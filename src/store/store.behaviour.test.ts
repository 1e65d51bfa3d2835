// One behaviour suite for every store: each `describe` below runs once per dialect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { abortExtra, parseListQuery, type ListQuery } from '../domain/index.ts';
import { parseRunText } from './run-rows.ts';
import type { ScheduleTiming } from '../domain/index.ts';
import type { Script, Store } from './store.ts';
import { openStore } from './open-store.ts';
import { js, rejectsWith } from './store-assertions.test-helper.ts';
import { DEFAULT_TEST_DATABASE_URL, openTestStore, postgresReachable, type TestStore, type TestTarget } from './test-stores.ts';

const pgUrl = process.env['STAMPEDE_TEST_DATABASE_URL'] ?? DEFAULT_TEST_DATABASE_URL;
const pgUp = await postgresReachable(pgUrl);

const TARGETS: { name: string; target: TestTarget; skip: boolean }[] = [
  { name: 'sqlite', target: { dialect: 'sqlite' }, skip: false },
  { name: pgUp ? 'postgres' : `postgres (SKIPPED: PostgreSQL unreachable at ${pgUrl}; set STAMPEDE_TEST_DATABASE_URL)`, target: { dialect: 'postgres', url: pgUrl }, skip: !pgUp },
];



const q = (raw: Record<string, string> = {}): ListQuery => parseListQuery(raw, { orderBy: ['created'], createdRange: true, starred: true });

let seq = 0;
async function newTenant(store: Store) {
  const stack = await store.stacks.create(`stack-${++seq}`);
  const lt = await store.loadTests.create(stack.id, { projectId: stack.defaultProjectId, name: 'checkout', script: js('export default function () {}') });
  return { stack, lt };
}

for (const { name, target, skip } of TARGETS) {
  describe.skipIf(skip)(`store: ${name}`, () => {
    let t: TestStore;
    let store: Store;
    beforeAll(async () => {
      t = await openTestStore(target, { retentionDays: 30, maxSavedRunsPerStack: 2 });
      store = t.store;
    });
    afterAll(async () => {
      await t?.dispose();
    });

    it('keeps data across a restart and does not re-run migrations', async () => {
      const own = await openTestStore(target);
      try {
        const first = await own.store.seedFirstStart();
        const reopened = await own.reopen();
        expect(await reopened.seedFirstStart()).toMatchObject({ created: false, stackId: first.stackId, token: null });
        expect(await reopened.tokens.authenticate(first.token as string)).toMatchObject({ kind: 'user', userId: first.userId });
      } finally {
        await own.dispose();
      }
    });

    it('applies a changed retention to the unsaved runs already stored when it opens again', async () => {
      const own = await openTestStore(target, { retentionDays: 30 });
      try {
        const { stack, lt } = await newTenant(own.store);
        const t0 = Date.parse('2026-05-01T10:00:00Z');
        const create = async () => (await own.store.testRuns.create({ stackId: stack.id, loadTestId: lt.id, startedBy: null, now: new Date(t0) })).run.id;
        const [ended, saved, waiting] = [await create(), await create(), await create()];
        for (const id of [ended, saved]) {
          for (const [status, offset] of [['queued', 1_000], ['aborted', 2_000]] as const) await own.store.testRuns.transition(id, status, { at: new Date(t0 + offset) });
        }
        await own.store.testRuns.save(stack.id, saved);
        expect((await own.store.testRuns.getById(ended))?.retentionExpiry?.toISOString()).toBe('2026-05-31T10:00:02.000Z');
        // The operator lowers STAMPEDE_RETENTION_DAYS to 1 and restarts.
        await own.store.close();
        own.store = await openStore({ ...own.config, retentionDays: 1 });
        expect((await own.store.testRuns.getById(ended))?.retentionExpiry?.toISOString()).toBe('2026-05-02T10:00:02.000Z');
        expect((await own.store.testRuns.getById(waiting))?.retentionExpiry?.toISOString()).toBe('2026-05-02T10:00:00.000Z');
        expect((await own.store.testRuns.getById(saved))?.retentionExpiry).toBeNull();
        // So the next sweep removes what is now past it (a week later, not a month).
        expect(await own.store.testRuns.sweepRetention(new Date(t0 + 7 * 86_400_000))).toBe(1);
        expect((await own.store.testRuns.getById(ended))?.resultsDeleted).toBe(true);
      } finally {
        await own.dispose();
      }
    });

    it('refuses an invalid configuration with every problem listed', async () => {
      const err = await rejectsWith(
        openTestStore(target, { retentionDays: -1, maxSavedRunsPerStack: 1.5, costReductions: { bad: 2 } }),
        'STAMPEDE_ERR_VALIDATION',
      );
      expect(err.details.map((d) => d.target)).toEqual(['retentionDays', 'maxSavedRunsPerStack', 'costReductions']);
    });

    it('applies configured cost reductions to final costs', async () => {
      const reduced = await openTestStore(target, { costReductions: { self_hosted: 0.5 } });
      try {
        const s = reduced.store;
        const { stack, lt } = await newTenant(s);
        const t0 = Date.parse('2026-05-01T10:00:00Z');
        const { run } = await s.testRuns.create({ stackId: stack.id, loadTestId: lt.id, startedBy: null, maxVus: 60, maxBrowserVus: 0, now: new Date(t0) });
        for (const [status, offset] of [['queued', 1], ['initializing', 2], ['running', 3], ['processing_metrics', 3_600_003], ['completed', 3_600_004]] as const) {
          await s.testRuns.transition(run.id, status, { at: new Date(t0 + offset) });
        }
        const done = await s.testRuns.getById(run.id);
        expect(done?.cost).toEqual({
          total_vuh: 30,
          breakdown: { protocol_vuh: 60, browser_vuh: 0, base_total_vuh: 60, reduction_rate: 0.5, reduction_rate_breakdown: { self_hosted: 0.5 } },
        });
        expect(done?.executionDuration).toBe(3600);
      } finally {
        await reduced.dispose();
      }
    });

    describe('first start and auth', () => {
      it('creates the admin, stack, default project and a working token once', async () => {
        const first = await store.seedFirstStart();
        expect(first.created).toBe(true);
        expect(first.token).toMatch(/^stp_/);
        expect(await store.tokens.authenticate(first.token as string)).toEqual({ kind: 'user', tokenId: expect.any(Number), userId: first.userId, email: 'admin@stampede.local' });
        expect(await store.stacks.getRole(first.stackId, first.userId)).toBe('admin');
        const project = await store.projects.getDefault(first.stackId);
        expect(project).toMatchObject({ id: first.projectId, isDefault: true });

        const again = await store.seedFirstStart({ adminToken: 'stp_chosen-admin-token' });
        expect(again).toMatchObject({ created: false, stackId: first.stackId, projectId: first.projectId, token: null });
        expect(await store.tokens.authenticate('stp_chosen-admin-token')).toMatchObject({ kind: 'user', userId: first.userId });
        expect((await store.stacks.list()).length).toBeGreaterThanOrEqual(1);
      });

      it('stops authenticating a revoked token at once, and knows stack tokens', async () => {
        const stack = await store.stacks.create('tokens');
        const user = await store.users.create(`Dev${++seq}@Example.com`);
        expect(user.email).toBe(`dev${seq}@example.com`);
        const personal = await store.tokens.createPersonal(user.id, 'ci');
        const stackToken = await store.tokens.createForStack(stack.id, 'ci-stack');
        expect(await store.tokens.authenticate(stackToken.token)).toEqual({ kind: 'stack', tokenId: stackToken.id, stackId: stack.id });
        expect(await store.tokens.authenticate(personal.token)).toMatchObject({ kind: 'user', userId: user.id });
        expect(await store.tokens.revoke(personal.id)).toBe(true);
        expect(await store.tokens.authenticate(personal.token)).toBeNull();
        expect(await store.tokens.authenticate('stp_nonsense')).toBeNull();
        expect(await store.tokens.revoke(999_999)).toBe(false);
      });

      it('manages memberships and rejects duplicate users', async () => {
        const stack = await store.stacks.create('members');
        const user = await store.users.create(`member${++seq}@example.com`);
        expect(await store.stacks.getRole(stack.id, user.id)).toBeNull();
        await store.stacks.setMember(stack.id, user.id, 'viewer');
        await store.stacks.setMember(stack.id, user.id, 'editor');
        expect(await store.stacks.getRole(stack.id, user.id)).toBe('editor');
        expect(await store.stacks.listMemberships(user.id)).toEqual([{ stackId: stack.id, userId: user.id, role: 'editor' }]);
        await rejectsWith(store.users.create(user.email.toUpperCase()), 'STAMPEDE_ERR_CONFLICT');
        await rejectsWith(store.stacks.setMember(stack.id, 999_999, 'admin'), 'STAMPEDE_ERR_NOT_FOUND');
        expect(await store.stacks.removeMember(stack.id, user.id)).toBe(true);
        expect(await store.stacks.getRole(stack.id, user.id)).toBeNull();
      });
    });

    describe('projects and limits', () => {
      it('creates, renames, lists with count and deletes projects within a stack only', async () => {
        const stack = await store.stacks.create('projects');
        const other = await store.stacks.create('other');
        const a = await store.projects.create(stack.id, 'alpha');
        await store.projects.create(stack.id, 'beta');
        await rejectsWith(store.projects.create(stack.id, 'alpha'), 'STAMPEDE_ERR_CONFLICT');
        expect(await store.projects.get(other.id, a.id)).toBeNull();
        await rejectsWith(store.projects.rename(other.id, a.id, 'stolen'), 'STAMPEDE_ERR_NOT_FOUND');
        expect((await store.projects.rename(stack.id, a.id, 'gamma')).name).toBe('gamma');

        const page = await store.projects.list(stack.id, { top: 2, skip: 0, count: true, orderBy: [{ field: 'created', desc: true }] });
        expect(page.count).toBe(3);
        expect(page.items.map((p) => p.name)).toEqual(['beta', 'gamma']);
        const last = await store.projects.list(stack.id, { top: 2, skip: 2, count: false, orderBy: [{ field: 'created', desc: true }] });
        expect(last.items.map((p) => p.name)).toEqual(['Default project']);

        await rejectsWith(store.projects.delete(stack.id, stack.defaultProjectId), 'STAMPEDE_ERR_CONFLICT');
        await store.projects.delete(stack.id, a.id);
        expect(await store.projects.get(stack.id, a.id)).toBeNull();
      });

      it('stores limits per project, null meaning unlimited', async () => {
        const stack = await store.stacks.create('limits');
        expect(await store.projects.getLimits(stack.id, stack.defaultProjectId)).toEqual({
          projectId: stack.defaultProjectId,
          vuh_max_per_month: null,
          vu_max_per_test: null,
          vu_browser_max_per_test: null,
          duration_max_per_test: null,
        });
        const updated = await store.projects.updateLimits(stack.id, stack.defaultProjectId, { vu_max_per_test: 100, duration_max_per_test: 3600 });
        expect(updated).toMatchObject({ vu_max_per_test: 100, duration_max_per_test: 3600, vuh_max_per_month: null });
        const list = await store.projects.listLimits(stack.id, { top: 10, skip: 0, count: true });
        expect(list.count).toBe(1);
        const other = await store.stacks.create('limits-other');
        await rejectsWith(store.projects.updateLimits(other.id, stack.defaultProjectId, { vu_max_per_test: 1 }), 'STAMPEDE_ERR_NOT_FOUND');
        expect(await store.projects.getLimits(other.id, stack.defaultProjectId)).toBeNull();
      });
    });

    describe('load tests', () => {
      it('keeps names unique per project and scripts byte-exact', async () => {
        const { stack, lt } = await newTenant(store);
        await rejectsWith(store.loadTests.create(stack.id, { projectId: stack.defaultProjectId, name: 'checkout', script: null }), 'STAMPEDE_ERR_CONFLICT');
        const tar: Script = { bytes: new Uint8Array([0, 1, 2, 255, 254, 10]), contentType: 'application/x-tar' };
        await store.loadTests.putScript(stack.id, lt.id, tar);
        const back = await store.loadTests.getScript(stack.id, lt.id);
        expect(back?.contentType).toBe('application/x-tar');
        expect(Array.from(back?.bytes ?? [])).toEqual([0, 1, 2, 255, 254, 10]);
        const empty = await store.loadTests.create(stack.id, { projectId: stack.defaultProjectId, name: 'empty', script: null });
        expect(empty.hasScript).toBe(false);
        expect(await store.loadTests.getScript(stack.id, empty.id)).toBeNull();
        const renamed = await store.loadTests.update(stack.id, lt.id, { name: 'checkout v2', k6Version: 2 });
        expect(renamed).toMatchObject({ name: 'checkout v2', k6Version: 2 });
        await rejectsWith(store.loadTests.update(stack.id, lt.id, { baselineTestRunId: 999_999 }), 'STAMPEDE_ERR_VALIDATION');
      });

      it('hides another stack’s tests and lists by project', async () => {
        const { stack, lt } = await newTenant(store);
        const { stack: other } = await newTenant(store);
        expect(await store.loadTests.get(other.id, lt.id)).toBeNull();
        // Unscoped, only to find the stack of a path's load test when a request names none.
        expect(await store.loadTests.stackOf(lt.id)).toBe(stack.id);
        expect(await store.loadTests.stackOf(987_654_321)).toBeNull();
        await rejectsWith(store.loadTests.getScript(other.id, lt.id), 'STAMPEDE_ERR_NOT_FOUND');
        await rejectsWith(store.loadTests.create(other.id, { projectId: stack.defaultProjectId, name: 'x', script: null }), 'STAMPEDE_ERR_NOT_FOUND');
        const p2 = await store.projects.create(stack.id, 'second');
        await store.loadTests.create(stack.id, { projectId: p2.id, name: 'other', script: null });
        const all = await store.loadTests.list(stack.id, {}, { top: 10, skip: 0, count: true });
        expect(all.count).toBe(2);
        const inP2 = await store.loadTests.list(stack.id, { projectId: p2.id }, { top: 10, skip: 0, count: false });
        expect(inP2.items.map((x) => x.name)).toEqual(['other']);
        expect(inP2.count).toBeNull();
      });

      it('moves a test with its runs and refuses to delete while a run is active', async () => {
        const { stack, lt } = await newTenant(store);
        const p2 = await store.projects.create(stack.id, 'dest');
        const { run } = await store.testRuns.create({ stackId: stack.id, loadTestId: lt.id, startedBy: null });
        const moved = await store.loadTests.move(stack.id, lt.id, p2.id);
        expect(moved.projectId).toBe(p2.id);
        expect((await store.testRuns.getById(run.id))?.projectId).toBe(p2.id);
        await rejectsWith(store.loadTests.delete(stack.id, lt.id), 'STAMPEDE_ERR_CONFLICT');
        await store.testRuns.transition(run.id, 'aborted', { extra: abortExtra('by_system') });
        await store.loadTests.delete(stack.id, lt.id);
        expect(await store.loadTests.get(stack.id, lt.id)).toBeNull();
        expect(await store.testRuns.getById(run.id)).toBeNull();
      });
    });

    describe('schedules', () => {
      const daily: ScheduleTiming = { starts: { ms: Date.parse('2026-06-01T08:00:00Z'), offsetMinutes: 120 }, recurrence: { frequency: 'DAILY', interval: 1, byday: null, until: null, count: null }, cron: null };
      const at = (iso: string) => new Date(iso);

      it('keeps one schedule per load test, overwritten in place, hidden from other stacks and deleted with its load test', async () => {
        const { stack, lt } = await newTenant(store);
        const { stack: other } = await newTenant(store);
        const first = await store.schedules.put(stack.id, lt.id, { timing: daily, nextRun: at('2026-06-01T08:00:00Z'), createdBy: 'a@example.com', now: at('2026-05-01T00:00:00Z') });
        expect(first).toMatchObject({ stackId: stack.id, loadTestId: lt.id, timing: daily, deactivated: false, nextRun: at('2026-06-01T08:00:00Z'), createdBy: 'a@example.com' });
        await store.schedules.setDeactivated(stack.id, first.id, true);
        const cron: ScheduleTiming = { ...daily, recurrence: null, cron: { schedule: '0 7 * * 1', timeZone: 'Europe/Oslo' } };
        const second = await store.schedules.put(stack.id, lt.id, { timing: cron, nextRun: null, createdBy: null, now: at('2026-05-02T00:00:00Z') });
        // Overwritten: same id and creation time, the new timing, active again.
        expect(second).toMatchObject({ id: first.id, timing: cron, deactivated: false, nextRun: null, createdBy: null, created: first.created });
        expect(await store.schedules.get(other.id, first.id)).toBeNull();
        expect(await store.schedules.getByLoadTest(other.id, lt.id)).toBeNull();
        expect(await store.schedules.remove(other.id, first.id)).toBe(false);
        await rejectsWith(store.schedules.put(other.id, lt.id, { timing: daily, nextRun: null, createdBy: null, now: new Date() }), 'STAMPEDE_ERR_NOT_FOUND');
        expect((await store.schedules.list(other.id, { top: 10, skip: 0, count: true })).count).toBe(0);
        await store.loadTests.delete(stack.id, lt.id);
        expect(await store.schedules.get(stack.id, first.id)).toBeNull();
      });

      it('lists a stack’s schedules in id order with a count, and removes one', async () => {
        const { stack, lt } = await newTenant(store);
        const lt2 = await store.loadTests.create(stack.id, { projectId: stack.defaultProjectId, name: 'second', script: null });
        const a = await store.schedules.put(stack.id, lt.id, { timing: daily, nextRun: null, createdBy: null, now: new Date() });
        const b = await store.schedules.put(stack.id, lt2.id, { timing: daily, nextRun: null, createdBy: null, now: new Date() });
        const page = await store.schedules.list(stack.id, { top: 1, skip: 1, count: true });
        expect(page).toMatchObject({ count: 2, items: [{ id: b.id }] });
        expect(await store.schedules.remove(stack.id, a.id)).toBe(true);
        expect((await store.schedules.list(stack.id, { top: 10, skip: 0, count: false })).items.map((s) => s.id)).toEqual([b.id]);
      });

      it('hands a due occurrence to one claimer only, and never a deactivated schedule’s', async () => {
        const { stack, lt } = await newTenant(store);
        const lt2 = await store.loadTests.create(stack.id, { projectId: stack.defaultProjectId, name: 'off', script: null });
        const due = at('2030-01-01T08:00:00Z');
        const s = await store.schedules.put(stack.id, lt.id, { timing: daily, nextRun: due, createdBy: null, now: new Date() });
        const off = await store.schedules.put(stack.id, lt2.id, { timing: daily, nextRun: due, createdBy: null, now: new Date() });
        await store.schedules.setDeactivated(stack.id, off.id, true);
        expect((await store.schedules.due(at('2030-01-01T07:59:59Z'), 100)).filter((x) => x.stackId === stack.id)).toEqual([]);
        const found = (await store.schedules.due(due, 100)).filter((x) => x.stackId === stack.id);
        expect(found.map((x) => x.id)).toEqual([s.id]);
        const next = at('2030-01-02T08:00:00Z');
        const claims = await Promise.all([store.schedules.advance(s.id, due, next), store.schedules.advance(s.id, due, next)]);
        expect(claims.filter(Boolean)).toHaveLength(1);
        expect((await store.schedules.get(stack.id, s.id))?.nextRun).toEqual(next);
        expect(await store.schedules.advance(off.id, due, next)).toBe(false);
        const reactivated = await store.schedules.setDeactivated(stack.id, off.id, false, null);
        expect(reactivated).toMatchObject({ deactivated: false, nextRun: null });
      });
    });

    describe('test runs', () => {
      it('records the full lifecycle with history, end, cost, result and retention', async () => {
        const { stack, lt } = await newTenant(store);
        const t0 = Date.parse('2026-05-01T10:00:00Z');
        const { run, reused } = await store.testRuns.create({
          stackId: stack.id,
          loadTestId: lt.id,
          startedBy: 'admin@stampede.local',
          options: { vus: 10, duration: '90s' },
          distribution: [{ load_zone: 'amazon:us:ashburn', percent: 100 }],
          maxVus: 10,
          maxBrowserVus: 0,
          estimatedDuration: 120,
          k6Versions: { k6: 'stampede-0.1.0' },
          now: new Date(t0),
        });
        expect(reused).toBe(false);
        // An unsaved run in flight shows the expiry counted from its creation (null means saved).
        expect(run).toMatchObject({ status: 'created', result: null, ended: null, note: '', isStarred: false, executionDuration: 0, retentionExpiry: new Date(t0 + 30 * 86_400_000) });
        expect(run.statusHistory).toEqual([{ type: 'created', entered: '2026-05-01T10:00:00.000Z', extra: null }]);
        const steps = [
          ['queued', 1_000],
          ['initializing', 2_000],
          ['running', 5_000],
          ['processing_metrics', 95_500],
          ['completed', 97_000],
        ] as const;
        for (const [status, offset] of steps.slice(0, 3)) await store.testRuns.transition(run.id, status, { at: new Date(t0 + offset) });
        const midway = await store.testRuns.getById(run.id);
        // Still running: counted up to the read (a few seconds of slack for a loaded machine).
        expect(Math.abs((midway?.executionDuration ?? 0) - (Date.now() - (t0 + 5_000)) / 1000)).toBeLessThan(5);
        for (const [status, offset] of steps.slice(3)) await store.testRuns.transition(run.id, status, { at: new Date(t0 + offset) });
        const done = await store.testRuns.get(stack.id, run.id);
        expect(done?.statusHistory.map((e) => e.type)).toEqual(['created', 'queued', 'initializing', 'running', 'processing_metrics', 'completed']);
        expect(done?.ended?.toISOString()).toBe('2026-05-01T10:01:37.000Z');
        expect(done?.executionDuration).toBe(91); // 90.5 s in running
        expect(done?.cost?.total_vuh).toBe(0.3333); // 10 VUs × 2 started minutes ÷ 60
        expect(done).toMatchObject({ result: 'passed', resultDetails: { type: 'passed', message: null, code: null } });
        expect(done?.retentionExpiry?.toISOString()).toBe('2026-05-31T10:01:37.000Z');
        expect(done?.options).toEqual({ vus: 10, duration: '90s' });
        expect(done?.k6Versions).toEqual({ k6: 'stampede-0.1.0' });
      });

      it('ends a run whose runners were lost unseen with the duration and cost last stored, not the downtime', async () => {
        const { stack, lt } = await newTenant(store);
        const t0 = Date.parse('2026-05-01T10:00:00Z');
        const create = () => store.testRuns.create({ stackId: stack.id, loadTestId: lt.id, startedBy: null, maxVus: 10, maxBrowserVus: 0, now: new Date(t0) });
        const lost = (await create()).run;
        for (const [status, offset] of [['queued', 1_000], ['initializing', 2_000], ['running', 5_000]] as const) await store.testRuns.transition(lost.id, status, { at: new Date(t0 + offset) });
        // Progress stored 45 s of running; then the server died and came back a day later.
        await store.testRuns.updateFields(lost.id, { executionDuration: 45 });
        const dayLater = new Date(t0 + 86_400_000);
        const extra = abortExtra('by_system', { message: 'The server restarted while the test run was in flight' });
        await store.testRuns.transition(lost.id, 'aborted', { at: dayLater, extra, durationAsLastStored: true });
        const ended = await store.testRuns.getById(lost.id);
        expect(ended?.executionDuration).toBe(45);
        expect(ended?.cost?.total_vuh).toBe(0.1667); // 10 VUs × 1 started minute ÷ 60, not a day's worth
        expect(ended?.ended?.getTime()).toBe(dayLater.getTime());
        // Without the option (a run ended by its own runner), the time until `at` counts.
        const seen = (await create()).run;
        for (const [status, offset] of [['queued', 1_000], ['initializing', 2_000], ['running', 5_000]] as const) await store.testRuns.transition(seen.id, status, { at: new Date(t0 + offset) });
        await store.testRuns.updateFields(seen.id, { executionDuration: 45 });
        await store.testRuns.transition(seen.id, 'aborted', { at: new Date(t0 + 125_000), extra });
        expect((await store.testRuns.getById(seen.id))?.executionDuration).toBe(120);
      });

      it('rejects illegal transitions and aborts from any non-final status with extra', async () => {
        const { stack, lt } = await newTenant(store);
        const { run } = await store.testRuns.create({ stackId: stack.id, loadTestId: lt.id, startedBy: null });
        await rejectsWith(store.testRuns.transition(run.id, 'running'), 'STAMPEDE_ERR_CONFLICT');
        await store.testRuns.transition(run.id, 'queued');
        const aborted = await store.testRuns.transition(run.id, 'aborted', { extra: abortExtra('by_user', { byUser: 'dev@example.com' }) });
        expect(aborted.statusHistory.at(-1)?.extra).toEqual({ by_user: 'dev@example.com', message: 'Test run aborted by user', code: 5 });
        expect(aborted).toMatchObject({ status: 'aborted', result: 'error', resultDetails: { type: 'error', code: 5 } });
        expect(aborted.ended).not.toBeNull();
        await rejectsWith(store.testRuns.transition(run.id, 'aborted'), 'STAMPEDE_ERR_CONFLICT');
        await rejectsWith(store.testRuns.transition(999_999, 'queued'), 'STAMPEDE_ERR_NOT_FOUND');
      });

      it('derives failed from the thresholds outcome', async () => {
        const { stack, lt } = await newTenant(store);
        const { run } = await store.testRuns.create({ stackId: stack.id, loadTestId: lt.id, startedBy: null });
        for (const s of ['queued', 'initializing', 'running', 'processing_metrics'] as const) await store.testRuns.transition(run.id, s);
        const done = await store.testRuns.transition(run.id, 'completed', {
          fields: { thresholds: { http_req_duration: { 'p(95)<200': true, 'p(50)<100': false } }, summary: { metrics: {} } },
        });
        expect(done.result).toBe('failed');
        expect(done.resultDetails?.message).toContain('http_req_duration: p(95)<200');
        expect(await store.testRuns.getResults(run.id)).toEqual({ summary: { metrics: {} }, thresholds: { http_req_duration: { 'p(95)<200': true, 'p(50)<100': false } } });
      });

      it('lets exactly one of two concurrent aborts win', async () => {
        const { stack, lt } = await newTenant(store);
        const { run } = await store.testRuns.create({ stackId: stack.id, loadTestId: lt.id, startedBy: null });
        const results = await Promise.allSettled([store.testRuns.transition(run.id, 'aborted'), store.testRuns.transition(run.id, 'aborted')]);
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        expect((await store.testRuns.getById(run.id))?.statusHistory.map((e) => e.type)).toEqual(['created', 'aborted']);
      });

      it('keeps the script a run started with after the test’s script changes', async () => {
        const { stack, lt } = await newTenant(store);
        const { run } = await store.testRuns.create({ stackId: stack.id, loadTestId: lt.id, startedBy: null });
        await store.loadTests.putScript(stack.id, lt.id, js('export default function () { /* v2 */ }'));
        const snap = await store.testRuns.getScript(stack.id, run.id);
        expect(new TextDecoder().decode(snap?.bytes)).toBe('export default function () {}');
        expect(snap?.contentType).toBe('text/javascript');
        const other = await store.stacks.create('peek');
        await rejectsWith(store.testRuns.getScript(other.id, run.id), 'STAMPEDE_ERR_NOT_FOUND');
        expect(await store.testRuns.get(other.id, run.id)).toBeNull();
      });

      it('answers the same run for the same idempotency key within 10 minutes', async () => {
        const { stack, lt } = await newTenant(store);
        const now = new Date('2026-06-01T12:00:00Z');
        const a = await store.testRuns.create({ stackId: stack.id, loadTestId: lt.id, startedBy: null, idempotencyKey: 'k1', now });
        const b = await store.testRuns.create({ stackId: stack.id, loadTestId: lt.id, startedBy: null, idempotencyKey: 'k1', now: new Date(now.getTime() + 9 * 60_000) });
        expect(b).toEqual({ run: a.run, reused: true });
        const c = await store.testRuns.create({ stackId: stack.id, loadTestId: lt.id, startedBy: null, idempotencyKey: 'k2', now });
        expect(c.run.id).not.toBe(a.run.id);
        const later = await store.testRuns.create({ stackId: stack.id, loadTestId: lt.id, startedBy: null, idempotencyKey: 'k1', now: new Date(now.getTime() + 11 * 60_000) });
        expect(later.reused).toBe(false);
        expect(later.run.id).not.toBe(a.run.id);
      });

      it('lists with paging, count, date range, order and starred filters, scoped to the stack', async () => {
        const { stack, lt } = await newTenant(store);
        const lt2 = await store.loadTests.create(stack.id, { projectId: stack.defaultProjectId, name: 'second', script: js('x') });
        const base = Date.parse('2026-07-01T00:00:00Z');
        const ids: number[] = [];
        for (let i = 0; i < 6; i++) {
          const { run } = await store.testRuns.create({ stackId: stack.id, loadTestId: i % 2 === 0 ? lt.id : lt2.id, startedBy: null, now: new Date(base + i * 60_000) });
          ids.push(run.id);
        }
        await store.testRuns.setStarred(stack.id, ids[2] as number, true);
        const { stack: other, lt: otherLt } = await newTenant(store);
        await store.testRuns.create({ stackId: other.id, loadTestId: otherLt.id, startedBy: null, now: new Date(base) });

        const all = await store.testRuns.list(stack.id, q({ $count: 'true' }));
        expect(all.items.map((r) => r.id)).toEqual(ids);
        expect(all.count).toBe(6);
        const page = await store.testRuns.list(stack.id, q({ $top: '2', $skip: '2' }));
        expect(page.items.map((r) => r.id)).toEqual(ids.slice(2, 4));
        expect(page.count).toBeNull();
        const range = await store.testRuns.list(stack.id, q({ created_after: '2026-07-01T00:01:00Z', created_before: '2026-07-01T00:04:00Z', $count: '1' }));
        expect(range.items.map((r) => r.id)).toEqual(ids.slice(1, 4));
        expect(range.count).toBe(3);
        const perTest = await store.testRuns.list(stack.id, q({ $orderby: 'created desc' }), { loadTestId: lt.id });
        expect(perTest.items.map((r) => r.id)).toEqual([ids[4], ids[2], ids[0]]);
        const starred = await store.testRuns.list(stack.id, q({ is_starred: 'true' }), { loadTestId: lt.id });
        expect(starred.items.map((r) => r.id)).toEqual([ids[2]]);
        const unstarred = await store.testRuns.list(stack.id, q({ is_starred: '0', $count: 'true' }), { loadTestId: lt.id });
        expect(unstarred.count).toBe(2);
      });

      it('lists runs as stored JSON text (listText) that parses to exactly what list gives', async () => {
        const { stack, lt } = await newTenant(store);
        const base = Date.parse('2026-07-02T00:00:00Z');
        const ids: number[] = [];
        for (let i = 0; i < 5; i++) {
          const { run } = await store.testRuns.create({
            stackId: stack.id,
            loadTestId: lt.id,
            startedBy: i % 2 === 0 ? 'a@b.c' : null,
            now: new Date(base + i * 60_000),
            options: { vus: i + 1, tags: { quote: 'he said "x" \\ {[' } },
            maxVus: i + 1,
            estimatedDuration: 30,
          });
          ids.push(run.id);
        }
        const [a, b, c] = ids as [number, number, number];
        await store.testRuns.transition(a, 'queued');
        await store.testRuns.transition(b, 'aborted', { at: new Date(base + 5 * 60_000), extra: abortExtra('by_user', { byUser: 'a@b.c', message: 'stop "now" ]}\\' }) });
        await store.testRuns.setNote(stack.id, b, 'ünïcode "note" \n');
        await store.testRuns.setStarred(stack.id, c, true);
        await store.seedBulkRuns({ stackId: stack.id, projectId: stack.defaultProjectId, loadTests: 1, runs: 20, startAt: new Date(base + 10 * 60_000) });
        const listed = (r: Awaited<ReturnType<Store['testRuns']['list']>>['items'][number]) => {
          const { isSaved: _s, resultsDeleted: _d, runnerDistribution: _r, ...rest } = r;
          return rest;
        };
        for (const raw of [{ $count: 'true' }, { $orderby: 'created desc', $top: '3', $skip: '1' }, { is_starred: 'true', $count: 'true' }, { created_after: '2026-07-02T00:02:00Z', $top: '7' }] as Record<string, string>[]) {
          for (const scope of [{}, { loadTestId: lt.id }]) {
            const [text, parsed] = await Promise.all([store.testRuns.listText(stack.id, q(raw), scope), store.testRuns.list(stack.id, q(raw), scope)]);
            expect(text.count).toBe(parsed.count);
            expect(text.items.map((t) => parseRunText(t))).toEqual(parsed.items.map(listed));
          }
        }
      });

      it('shows every change of a listed run at once (the run cache forgets what a write changes)', async () => {
        const { stack, lt } = await newTenant(store);
        const project = await store.projects.create(stack.id, 'elsewhere');
        const ids: number[] = [];
        for (let i = 0; i < 3; i++) {
          const { run } = await store.testRuns.create({ stackId: stack.id, loadTestId: lt.id, startedBy: null, maxVus: 2 });
          await store.testRuns.transition(run.id, 'aborted');
          ids.push(run.id);
        }
        const [a, b, c] = ids as [number, number, number];
        const listed = async () => (await store.testRuns.listText(stack.id, q(), { loadTestId: lt.id })).items;
        const one = async (id: number) => (await listed()).find((t) => t.id === id);
        const first = await listed();
        expect(await listed()).toEqual(first);
        expect((await listed())[0]).toBe(first[0]); // unchanged runs come back as the same object

        await store.testRuns.setNote(stack.id, a, 'noted');
        expect((await one(a))?.note).toBe('noted');
        await store.testRuns.setStarred(stack.id, a, true);
        expect((await one(a))?.isStarred).toBe(true);
        expect((await store.testRuns.listText(stack.id, q({ is_starred: 'true' }), { loadTestId: lt.id })).items.map((t) => t.id)).toEqual([a]);
        await store.testRuns.save(stack.id, b);
        expect((await one(b))?.retentionExpiry).toBeNull();
        await store.testRuns.unsave(stack.id, b);
        expect((await one(b))?.retentionExpiry).toBe((await store.testRuns.get(stack.id, b))?.retentionExpiry?.getTime());
        await store.testRuns.updateFields(c, { k6Versions: { k6: 'later' }, cost: null });
        expect((await one(c))?.json).toMatchObject({ k6Versions: '{"k6":"later"}', cost: null });
        await store.loadTests.move(stack.id, lt.id, project.id);
        expect((await listed()).map((t) => t.projectId)).toEqual([project.id, project.id, project.id]);
        await store.testRuns.delete(stack.id, c);
        expect((await listed()).map((t) => t.id)).toEqual([a, b]);
        const parsed = await store.testRuns.list(stack.id, q(), { loadTestId: lt.id });
        expect((await listed()).map((t) => parseRunText(t))).toEqual(parsed.items.map(({ isSaved: _s, resultsDeleted: _d, runnerDistribution: _r, ...rest }) => rest));
      });

      it('counts every run written since the last count ($count is kept only while no run changes)', async () => {
        const { stack, lt } = await newTenant(store);
        const project = await store.projects.create(stack.id, 'doomed');
        const other = await store.loadTests.create(stack.id, { projectId: project.id, name: 'other', script: js('x') });
        const count = async (raw: Record<string, string> = {}, scope = {}) => {
          const [text, parsed] = await Promise.all([store.testRuns.listText(stack.id, q({ ...raw, $count: 'true' }), scope), store.testRuns.list(stack.id, q({ ...raw, $count: 'true' }), scope)]);
          expect(text.count).toBe(parsed.count);
          return text.count;
        };
        const start = async (loadTestId: number) => {
          const { run } = await store.testRuns.create({ stackId: stack.id, loadTestId, startedBy: null });
          await store.testRuns.transition(run.id, 'aborted');
          return run.id;
        };
        const a = await start(lt.id);
        expect(await count()).toBe(1);
        expect(await count()).toBe(1);
        await start(other.id);
        expect(await count()).toBe(2);
        expect(await count({}, { loadTestId: other.id })).toBe(1);
        expect(await count({ is_starred: 'true' })).toBe(0);
        await store.testRuns.setStarred(stack.id, a, true);
        expect(await count({ is_starred: 'true' })).toBe(1);
        expect([await count(), await count({}, { loadTestId: other.id })]).toEqual([2, 1]); // counted (and kept) before the delete
        await store.projects.delete(stack.id, project.id);
        expect(await count()).toBe(1);
        expect(await count({}, { loadTestId: other.id })).toBe(0);
        await store.testRuns.delete(stack.id, a);
        expect(await count()).toBe(0);
        await start(lt.id);
        expect(await count()).toBe(1);
        await store.seedBulkRuns({ stackId: stack.id, projectId: stack.defaultProjectId, loadTests: 1, runs: 5 });
        expect(await count()).toBe(6);
        await store.loadTests.delete(stack.id, lt.id);
        expect(await count()).toBe(5);
      });

      it('sets note and star, and saves within the cap', async () => {
        const { stack, lt } = await newTenant(store);
        const runs = [];
        for (let i = 0; i < 3; i++) runs.push((await store.testRuns.create({ stackId: stack.id, loadTestId: lt.id, startedBy: null })).run);
        const [r1, r2, r3] = runs as [(typeof runs)[0], (typeof runs)[0], (typeof runs)[0]];
        expect((await store.testRuns.setNote(stack.id, r1.id, 'baseline after fix')).note).toBe('baseline after fix');
        expect((await store.testRuns.setStarred(stack.id, r1.id, true)).isStarred).toBe(true);
        expect((await store.testRuns.setStarred(stack.id, r1.id, false)).isStarred).toBe(false);
        await store.testRuns.transition(r1.id, 'aborted');
        const saved = await store.testRuns.save(stack.id, r1.id);
        expect(saved).toMatchObject({ isSaved: true, retentionExpiry: null });
        await store.testRuns.save(stack.id, r1.id); // saving twice is not a second slot
        await store.testRuns.save(stack.id, r2.id);
        const capErr = await rejectsWith(store.testRuns.save(stack.id, r3.id), 'STAMPEDE_ERR_CONFLICT');
        expect(capErr.message).toMatch(/maximum number of saved/);
        const unsaved = await store.testRuns.unsave(stack.id, r1.id);
        expect(unsaved.isSaved).toBe(false);
        expect(unsaved.retentionExpiry?.getTime()).toBe((unsaved.ended as Date).getTime() + 30 * 86_400_000);
        await store.testRuns.save(stack.id, r3.id);
        await store.testRuns.unsave(stack.id, r3.id);
        const raced = await Promise.allSettled([store.testRuns.save(stack.id, r1.id), store.testRuns.save(stack.id, r3.id)]);
        expect(raced.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        const other = await store.stacks.create('no-touch');
        await rejectsWith(store.testRuns.setNote(other.id, r1.id, 'x'), 'STAMPEDE_ERR_NOT_FOUND');
      });

      it('sweeps expired results but keeps the record, then refuses to save it', async () => {
        const { stack, lt } = await newTenant(store);
        const { run } = await store.testRuns.create({ stackId: stack.id, loadTestId: lt.id, startedBy: null });
        const ended = new Date('2026-01-01T00:00:00Z');
        await store.testRuns.transition(run.id, 'aborted', { at: ended, fields: { summary: { ok: true } } });
        await store.runMetrics.append(run.id, { time: ended.getTime(), metrics: [{ name: 'vus', type: 'gauge', contains: 'default' }], series: [{ metric: 'vus', tags: {}, gauge: { last: 1, min: 1, max: 1 } }] });
        await store.runLogs.append(run.id, [{ time: ended.getTime() * 1000, level: 'info', message: 'hello', labels: { source: 'console' } }]);
        expect(await store.testRuns.sweepRetention(new Date('2026-01-30T00:00:00Z'))).toBe(0);
        expect(await store.runLogs.count(run.id)).toBe(1);
        expect(await store.testRuns.sweepRetention(new Date('2026-02-01T00:00:00Z'))).toBeGreaterThanOrEqual(1);
        const after = await store.testRuns.get(stack.id, run.id);
        expect(after?.resultsDeleted).toBe(true);
        expect(await store.testRuns.getResults(run.id)).toEqual({ summary: null, thresholds: null });
        expect(await store.runMetrics.read(run.id)).toEqual([]);
        expect(await store.runLogs.read(run.id)).toEqual([]);
        const err = await rejectsWith(store.testRuns.save(stack.id, run.id), 'STAMPEDE_ERR_CONFLICT');
        expect(err.message).toBe('Test run has been deleted');
      });

      it('an unfinished run is never swept, whatever its provisional expiry; unsaving it counts from its creation', async () => {
        const { stack, lt } = await newTenant(store);
        const created = new Date('2026-01-01T00:00:00Z');
        const { run } = await store.testRuns.create({ stackId: stack.id, loadTestId: lt.id, startedBy: null, now: created });
        expect(run.retentionExpiry?.toISOString()).toBe('2026-01-31T00:00:00.000Z');
        for (const to of ['queued', 'initializing', 'running'] as const) await store.testRuns.transition(run.id, to, { at: created });
        await store.testRuns.save(stack.id, run.id);
        expect((await store.testRuns.get(stack.id, run.id))?.retentionExpiry).toBeNull();
        await store.testRuns.unsave(stack.id, run.id);
        expect((await store.testRuns.get(stack.id, run.id))?.retentionExpiry?.toISOString()).toBe('2026-01-31T00:00:00.000Z');
        await store.testRuns.sweepRetention(new Date('2026-03-01T00:00:00Z'));
        expect((await store.testRuns.get(stack.id, run.id))?.resultsDeleted).toBe(false);
        const ended = new Date('2026-02-10T00:00:00Z');
        await store.testRuns.transition(run.id, 'processing_metrics', { at: ended });
        await store.testRuns.transition(run.id, 'completed', { at: ended });
        expect((await store.testRuns.get(stack.id, run.id))?.retentionExpiry?.toISOString()).toBe('2026-03-12T00:00:00.000Z');
      });

      it('deletes only final runs and lists unfinished ones for reconcile', async () => {
        const { stack, lt } = await newTenant(store);
        const { run } = await store.testRuns.create({ stackId: stack.id, loadTestId: lt.id, startedBy: null });
        await store.testRuns.transition(run.id, 'queued');
        expect((await store.testRuns.listUnfinished()).map((r) => r.id)).toContain(run.id);
        await rejectsWith(store.testRuns.delete(stack.id, run.id), 'STAMPEDE_ERR_CONFLICT');
        await store.testRuns.transition(run.id, 'aborted', { extra: abortExtra('by_system') });
        expect((await store.testRuns.listUnfinished()).map((r) => r.id)).not.toContain(run.id);
        await store.testRuns.delete(stack.id, run.id);
        expect(await store.testRuns.get(stack.id, run.id)).toBeNull();
        await rejectsWith(store.testRuns.delete(stack.id, run.id), 'STAMPEDE_ERR_NOT_FOUND');
      });

      it('issues run-scoped tokens for local-execution runs, which reconcile leaves alone and deletion removes', async () => {
        const { stack, lt } = await newTenant(store);
        const { run } = await store.testRuns.create({ stackId: stack.id, loadTestId: lt.id, startedBy: null, script: null });
        expect(await store.testRuns.getScript(stack.id, run.id)).toBeNull();
        expect(await store.runTokens.isLocalExecution(run.id)).toBe(false);
        const token = await store.runTokens.issue(run.id, 'run');
        const upload = await store.runTokens.issue(run.id, 'archive');
        expect(token).not.toBe(upload);
        expect(await store.runTokens.resolve(token)).toEqual({ runId: run.id, purpose: 'run' });
        expect(await store.runTokens.resolve(upload)).toEqual({ runId: run.id, purpose: 'archive' });
        expect(await store.runTokens.resolve(`${token}x`)).toBeNull();
        // A run token is no bearer token of the v6 API.
        expect(await store.tokens.authenticate(token)).toBeNull();
        expect(await store.runTokens.isLocalExecution(run.id)).toBe(true);
        expect((await store.testRuns.listUnfinished()).map((r) => r.id)).not.toContain(run.id);

        const archive: Script = { bytes: new Uint8Array([1, 2, 3]), contentType: 'application/x-tar' };
        await store.testRuns.setScript(run.id, archive);
        expect(await store.testRuns.getScript(stack.id, run.id)).toEqual(archive);
        await rejectsWith(store.testRuns.setScript(run.id + 10_000, archive), 'STAMPEDE_ERR_NOT_FOUND');
        await store.runTokens.revoke(run.id, 'archive');
        expect(await store.runTokens.resolve(upload)).toBeNull();
        expect(await store.runTokens.resolve(token)).not.toBeNull();

        await store.testRuns.transition(run.id, 'aborted', { extra: abortExtra('by_system') });
        await store.testRuns.delete(stack.id, run.id);
        expect(await store.runTokens.resolve(token)).toBeNull();
        await rejectsWith(store.runTokens.issue(run.id, 'run'), 'STAMPEDE_ERR_NOT_FOUND');
      });

      it('keeps a run’s log lines in order, reads them by cursor, time and direction, and deletes them with the run', async () => {
        const { stack, lt } = await newTenant(store);
        const { run } = await store.testRuns.create({ stackId: stack.id, loadTestId: lt.id, startedBy: null });
        const { run: other } = await store.testRuns.create({ stackId: stack.id, loadTestId: lt.id, startedBy: null });
        const t0 = Date.UTC(2026, 10, 27, 10, 0, 0) * 1000;
        const lines = Array.from({ length: 1_203 }, (_, i) => ({ time: t0 + i * 1_000 + 7, level: i % 100 === 0 ? 'error' : 'info', message: `line ${i} ✓`, labels: { source: 'console', instance_id: String(i % 2) } }));
        await store.runLogs.append(run.id, lines);
        await store.runLogs.append(other.id, [{ time: t0, level: 'warning', message: 'other run', labels: {} }]);
        expect(await store.runLogs.count(run.id)).toBe(1_203);
        const first = await store.runLogs.read(run.id, { limit: 2 });
        expect(first.map(({ id: _id, ...l }) => l)).toEqual([
          { time: t0 + 7, level: 'error', message: 'line 0 ✓', labels: { instance_id: '0', source: 'console' } },
          { time: t0 + 1_007, level: 'info', message: 'line 1 ✓', labels: { instance_id: '1', source: 'console' } },
        ]);
        const next = await store.runLogs.read(run.id, { after: first[1]?.id, limit: 1 });
        expect(next.map((l) => l.message)).toEqual(['line 2 ✓']);
        expect((await store.runLogs.read(run.id)).length).toBe(1_203);
        expect((await store.runLogs.read(run.id, { direction: 'backward', limit: 3 })).map((l) => l.message)).toEqual(['line 1202 ✓', 'line 1201 ✓', 'line 1200 ✓']);
        expect((await store.runLogs.read(run.id, { since: t0 + 1_000_000, until: t0 + 1_002_008 })).map((l) => l.message)).toEqual(['line 1000 ✓', 'line 1001 ✓', 'line 1002 ✓']);
        expect((await store.runLogs.read(other.id)).map((l) => l.message)).toEqual(['other run']);
        await store.testRuns.transition(run.id, 'aborted', { extra: abortExtra('by_system') });
        await store.testRuns.delete(stack.id, run.id);
        expect(await store.runLogs.count(run.id)).toBe(0);
        expect(await store.runLogs.count(other.id)).toBe(1);
      });

      it('narrows a run’s log lines by level and by case-sensitive substrings of the message, with cursor and direction', async () => {
        const { stack, lt } = await newTenant(store);
        const { run } = await store.testRuns.create({ stackId: stack.id, loadTestId: lt.id, startedBy: null });
        const t0 = Date.UTC(2026, 10, 27, 11, 0, 0) * 1000;
        const texts = ['GET /cart 200', 'get /cart 503 ✗', 'POST /pay 100% done', 'GET /home 200', 'retry_after=2 GET /pay', 'GET /cart_2 200'];
        await store.runLogs.append(run.id, texts.map((message, i) => ({ time: t0 + i, level: i % 3 === 1 ? 'error' : i % 3 === 2 ? 'warning' : 'info', message, labels: {} })));
        const read = async (opts: Parameters<typeof store.runLogs.read>[1]) => (await store.runLogs.read(run.id, opts)).map((l) => l.message);
        expect(await read({ contains: ['GET'] })).toEqual(['GET /cart 200', 'GET /home 200', 'retry_after=2 GET /pay', 'GET /cart_2 200']);
        expect(await read({ contains: ['GET', '/cart'] })).toEqual(['GET /cart 200', 'GET /cart_2 200']);
        // % and _ are plain characters (no LIKE wildcards), and ✗ is matched as a character.
        expect(await read({ contains: ['100%'] })).toEqual(['POST /pay 100% done']);
        expect(await read({ contains: ['t_2'] })).toEqual(['GET /cart_2 200']);
        expect(await read({ contains: ['503 ✗'] })).toEqual(['get /cart 503 ✗']);
        expect(await read({ excludes: ['GET', 'POST'] })).toEqual(['get /cart 503 ✗']);
        expect(await read({ level: 'error' })).toEqual(['get /cart 503 ✗', 'retry_after=2 GET /pay']);
        expect(await read({ notLevels: ['info', 'warning'] })).toEqual(['get /cart 503 ✗', 'retry_after=2 GET /pay']);
        expect(await read({ level: 'info', contains: ['GET'], direction: 'backward', limit: 1 })).toEqual(['GET /home 200']);
        const [first] = await store.runLogs.read(run.id, { contains: ['GET'], limit: 1 });
        expect(await read({ contains: ['GET'], after: first?.id, limit: 2 })).toEqual(['GET /home 200', 'retry_after=2 GET /pay']);
        expect(await read({ contains: [''] })).toHaveLength(texts.length);
      });

      it('sums the project’s VUh for the calendar month', async () => {
        const { stack, lt } = await newTenant(store);
        const cost = (vuh: number) => ({ total_vuh: vuh, breakdown: { protocol_vuh: vuh, browser_vuh: 0, base_total_vuh: vuh, reduction_rate: 0, reduction_rate_breakdown: null } });
        const a = await store.testRuns.create({ stackId: stack.id, loadTestId: lt.id, startedBy: null, now: new Date('2026-03-02T00:00:00Z'), cost: cost(1.5) });
        await store.testRuns.create({ stackId: stack.id, loadTestId: lt.id, startedBy: null, now: new Date('2026-03-30T00:00:00Z'), cost: cost(2.25) });
        await store.testRuns.create({ stackId: stack.id, loadTestId: lt.id, startedBy: null, now: new Date('2026-04-01T00:00:00Z'), cost: cost(100) });
        expect(await store.testRuns.vuhUsedInMonth(stack.defaultProjectId, new Date('2026-03-15T00:00:00Z'))).toBe(3.75);
        expect(await store.testRuns.vuhUsedInMonth(stack.defaultProjectId, new Date('2026-03-15T00:00:00Z'), a.run.id)).toBe(2.25);
        await store.testRuns.updateFields(a.run.id, { cost: cost(0.5), maxVus: 3 });
        expect(await store.testRuns.vuhUsedInMonth(stack.defaultProjectId, new Date('2026-03-15T00:00:00Z'))).toBe(2.75);
      });
    });

    describe('metrics, zones and bulk seeding', () => {
      it('appends per-second batches and reads them back in order, by metric and window', async () => {
        const { stack, lt } = await newTenant(store);
        const { run } = await store.testRuns.create({ stackId: stack.id, loadTestId: lt.id, startedBy: null });
        const defs = [
          { name: 'http_reqs', type: 'counter', contains: 'default' },
          { name: 'http_req_duration', type: 'trend', contains: 'time' },
        ] as const;
        await store.runMetrics.append(run.id, {
          time: 2_000,
          metrics: [...defs],
          series: [
            { metric: 'http_reqs', tags: { status: '200', method: 'GET' }, counter: { sum: 7 } },
            { metric: 'http_req_duration', tags: { method: 'GET' }, trend: { count: 7, sum: 70, min: 5, max: 20, hdr: 'HISTFAAAA' } },
          ],
        });
        await store.runMetrics.append(run.id, { time: 1_000, metrics: [defs[0]], series: [{ metric: 'http_reqs', tags: { method: 'GET', status: '200' }, counter: { sum: 3 } }] });
        const all = await store.runMetrics.read(run.id);
        expect(all.map((b) => b.time)).toEqual([1_000, 2_000]);
        expect(all[1]?.series[1]).toEqual({ metric: 'http_req_duration', tags: { method: 'GET' }, trend: { count: 7, sum: 70, min: 5, max: 20, hdr: 'HISTFAAAA' } });
        expect(all[1]?.metrics.map((m) => m.name)).toEqual(['http_reqs', 'http_req_duration']);
        expect(Object.keys(all[0]?.series[0]?.tags ?? {})).toEqual(['method', 'status']);
        const window = await store.runMetrics.read(run.id, { metric: 'http_reqs', from: 1_500 });
        expect(window).toEqual([{ time: 2_000, metrics: [{ name: 'http_reqs', type: 'counter', contains: 'default' }], series: [{ metric: 'http_reqs', tags: { method: 'GET', status: '200' }, counter: { sum: 7 } }] }]);
        expect((await store.runMetrics.listMetrics(run.id)).map((d) => d.name)).toEqual(['http_req_duration', 'http_reqs']);
      });

      it('lists the default load zone', async () => {
        expect(await store.loadZones.list()).toEqual([
          { id: expect.any(Number), name: 'Stampede local runners', k6LoadZoneId: 'amazon:us:ashburn', available: true, public: true, customLoadRunnerImage: null },
        ]);
      });

      it('bulk-seeds complete runs that list like real ones', async () => {
        const stack = await store.stacks.create('bench');
        const res = await store.seedBulkRuns({ stackId: stack.id, projectId: stack.defaultProjectId, loadTests: 3, runs: 3_000, startAt: new Date('2026-01-01T00:00:00Z') });
        expect(res.loadTestIds).toHaveLength(3);
        const page = await store.testRuns.list(stack.id, q({ $top: '5', $count: 'true', $orderby: 'created desc' }));
        expect(page.count).toBe(3_000);
        expect(page.items[0]).toMatchObject({ status: 'completed', result: 'passed', maxVus: 10 });
        expect(page.items[0]?.statusHistory).toHaveLength(6);
        expect(page.items[0]?.statusHistory[3]).toEqual({ type: 'running', entered: new Date(Date.parse('2026-01-01T00:00:00Z') + 2_999_000 + 5_000).toISOString(), extra: null });
        expect(page.items[0]?.ended?.getTime()).toBe(Date.parse(page.items[0]?.statusHistory[5]?.entered ?? ''));
        expect(page.items[0]?.retentionExpiry?.getTime()).toBe((page.items[0]?.ended?.getTime() ?? 0) + 30 * 86_400_000);
        expect(page.items[0]?.cost?.total_vuh).toBe(0.1667);
        expect(page.items[0]?.created.toISOString()).toBe(new Date(Date.parse('2026-01-01T00:00:00Z') + 2_999_000).toISOString());
        const perTest = await store.testRuns.list(stack.id, q({ $count: 'true', $top: '1' }), { loadTestId: res.loadTestIds[0] as number });
        expect(perTest.count).toBe(1_000);
      });
    });
  });
}
