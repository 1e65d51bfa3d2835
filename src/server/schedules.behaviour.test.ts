// Schedules as a client sees them, over both stores: the v6 schedule operations (every JSON answer
// checked against the spec by the harness), and the trigger that starts their runs, on a clock the
// test moves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, multipartBody, postgresAvailable, script } from './test-support/api-harness.ts';
import type { Harness, StoreKind } from './test-support/api-harness.ts';
import { MISSED_RUN_GRACE_MS, startScheduleTrigger, type ScheduleTrigger } from './schedule-trigger.ts';

const PG = await postgresAvailable();
if (!PG) console.warn('PostgreSQL is not answering on 127.0.0.1:5432: the PostgreSQL run of the schedules suite is skipped');

const KINDS: { kind: StoreKind; enabled: boolean }[] = [
  { kind: 'sqlite', enabled: true },
  { kind: 'postgres', enabled: PG },
];

const HOUR = 3600_000;
const T0 = Date.parse('2030-03-04T09:00:00Z');

describe.each(KINDS)('schedules over $kind', ({ kind, enabled }) => {
  let h: Harness;
  let clock = T0;
  const logged: { level: string; msg: string | undefined }[] = [];
  let trigger: ScheduleTrigger;
  const test = it.skipIf(!enabled);
  beforeAll(async () => {
    if (!enabled) return;
    h = await createHarness(kind, {}, () => new Date(clock));
    const log = (level: string) => (_obj: object, msg?: string) => void logged.push({ level, msg });
    // Ticks only when the test calls tick(): the interval is longer than any test.
    trigger = startScheduleTrigger({ store: h.store, runs: h.runs, log: { info: log('info'), warn: log('warn'), error: log('error') }, now: () => new Date(clock), intervalMs: 3_600_000 });
  });
  afterAll(async () => {
    if (!enabled) return;
    await trigger.stop();
    await h.close();
  });

  let seq = 0;
  async function loadTest(withScript = true): Promise<number> {
    const name = `scheduled-${++seq}`;
    const form = multipartBody(withScript ? { name, script: { filename: 'test.js', data: Buffer.from(script(name)) } } : { name });
    const res = await h.call('POST', `/cloud/v6/projects/${h.projectId}/load_tests`, { payload: form.payload, headers: { 'content-type': form.contentType } });
    expect(res.status).toBe(201);
    return res.body.id;
  }
  const setSchedule = (id: number, body: unknown) => h.call('POST', `/cloud/v6/load_tests/${id}/schedule`, { body });
  const runsOf = async (id: number) => (await h.call('GET', `/cloud/v6/load_tests/${id}/test_runs`)).body.value as { id: number; started_by: string | null }[];

  test('a schedule is set, read back as given, listed, overwritten in place and deleted', async () => {
    clock = T0;
    const id = await loadTest();
    const set = await setSchedule(id, { starts: '2030-03-04T10:30:00+01:00', cron: { schedule: '0 7 * * 1', time_zone: 'Europe/Oslo' } });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({
      id: expect.any(Number),
      load_test_id: id,
      starts: '2030-03-04T10:30:00+01:00',
      recurrence_rule: null,
      cron: { schedule: '0 7 * * 1', time_zone: 'Europe/Oslo' },
      deactivated: false,
      // 2030-03-04 is a Monday and 07:00 in Oslo has passed: the next Monday, 07:00 CET.
      next_run: '2030-03-11T06:00:00.000Z',
      created_by: 'admin@stampede.local',
    });
    expect((await h.call('GET', `/cloud/v6/load_tests/${id}/schedule`)).body).toEqual(set.body);
    expect((await h.call('GET', `/cloud/v6/schedules/${set.body.id}`)).body).toEqual(set.body);
    const list = await h.call('GET', '/cloud/v6/schedules?$count=true');
    expect(list.body.value).toContainEqual(set.body);
    expect(list.body['@count']).toBe(list.body.value.length);

    const again = await setSchedule(id, { starts: '2030-03-04T08:46:04.021Z', recurrence_rule: { frequency: 'WEEKLY', byday: ['SA', 'SU'], count: 10 } });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({
      id: set.body.id,
      starts: '2030-03-04T08:46:04.021Z',
      recurrence_rule: { frequency: 'WEEKLY', interval: 1, byday: ['SA', 'SU'], until: null, count: 10 },
      cron: null,
      next_run: '2030-03-09T08:46:04.021Z',
    });

    expect((await h.call('DELETE', `/cloud/v6/schedules/${set.body.id}`)).status).toBe(204);
    expect((await h.call('GET', `/cloud/v6/load_tests/${id}/schedule`)).status).toBe(404);
    expect((await h.call('GET', `/cloud/v6/schedules/${set.body.id}`)).status).toBe(404);
    expect((await h.call('DELETE', `/cloud/v6/schedules/${set.body.id}`)).status).toBe(404);
  });

  test('a request the schedule rules refuse is a 400 naming the field, and nothing is stored', async () => {
    const id = await loadTest();
    const cases: [unknown, string][] = [
      [{ starts: '2030-03-04T10:00:00Z', recurrence_rule: { frequency: 'DAILY' }, cron: { schedule: '@daily', time_zone: 'UTC' } }, 'cron'],
      [{ starts: '2030-03-04T10:00:00Z', recurrence_rule: { frequency: 'DAILY', byday: ['MO'] } }, 'recurrence_rule.byday'],
      [{ starts: '2030-03-04T10:00:00Z', recurrence_rule: { frequency: 'WEEKLY', byday: ['MO', 'MO'] } }, 'recurrence_rule.byday'],
      [{ starts: '2030-03-04T10:00:00Z', recurrence_rule: { frequency: 'DAILY', until: '2030-03-01T00:00:00Z' } }, 'recurrence_rule.until'],
      [{ starts: '2030-03-04T10:00:00Z', cron: { schedule: '0 0 7 * * 1', time_zone: 'UTC' } }, 'cron.schedule'],
      [{ starts: '2030-03-04T10:00:00Z', cron: { schedule: '0 0 30 2 *', time_zone: 'UTC' } }, 'cron.schedule'],
      [{ starts: '2030-03-04T10:00:00Z', cron: { schedule: '0 7 * * *', time_zone: 'Mars/Olympus' } }, 'cron.time_zone'],
    ];
    for (const [body, target] of cases) {
      const res = await setSchedule(id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.target, JSON.stringify(body)).toBe(target);
    }
    // The spec's own rules: a date-time without an offset, an unknown frequency, an interval below 1.
    for (const body of [{ starts: '2030-03-04T10:00:00' }, { starts: '2030-03-04T10:00:00Z', recurrence_rule: { frequency: 'MINUTELY' } }, { starts: '2030-03-04T10:00:00Z', recurrence_rule: { frequency: 'DAILY', interval: 0 } }, {}]) {
      expect((await setSchedule(id, body)).status, JSON.stringify(body)).toBe(400);
    }
    expect((await h.call('GET', `/cloud/v6/load_tests/${id}/schedule`)).status).toBe(404);
    expect((await setSchedule(999_999, { starts: '2030-03-04T10:00:00Z' })).status).toBe(404);
    expect((await h.call('POST', `/cloud/v6/load_tests/${id}/schedule`, { body: { starts: '2030-03-04T10:00:00Z' }, token: null })).status).toBe(401);
  });

  test('a cron schedule and time zone come back exactly as sent (the Terraform provider compares them)', async () => {
    clock = T0;
    const id = await loadTest();
    const cron = { schedule: ' 0 9  * * 1-5 ', time_zone: 'europe/berlin' };
    const res = await setSchedule(id, { starts: '2030-03-04T00:00:00Z', cron });
    expect(res.status).toBe(200);
    // At T0 (Monday 2030-03-04, 10:00 CET) that day's 09:00 has passed: Tuesday's.
    expect(res.body).toMatchObject({ cron, next_run: '2030-03-05T08:00:00.000Z' });
    expect((await h.call('GET', `/cloud/v6/load_tests/${id}/schedule`)).body.cron).toEqual(cron);
  });

  test('a step past year 9999 leaves the schedule expired (next_run null), not a date no client reads', async () => {
    clock = T0;
    const id = await loadTest();
    const res = await setSchedule(id, { starts: '2020-01-01T00:00:00Z', recurrence_rule: { frequency: 'DAILY', interval: 2_147_483_647 } });
    expect(res.status).toBe(200);
    expect(res.body.next_run).toBeNull();
    expect((await h.call('GET', '/cloud/v6/schedules')).status).toBe(200);
  });

  test('the trigger starts one run per occurrence, by the schedule’s creator, and a one-off schedule then expires', async () => {
    clock = T0;
    const id = await loadTest();
    const schedule = (await setSchedule(id, { starts: new Date(T0 + 60_000).toISOString() })).body;
    expect(schedule.next_run).toBe(new Date(T0 + 60_000).toISOString());
    expect(await trigger.tick()).toEqual([]);
    clock = T0 + 61_000;
    const started = await trigger.tick();
    expect(started).toHaveLength(1);
    expect(h.runs.started).toContain(started[0]);
    expect(await runsOf(id)).toEqual([expect.objectContaining({ id: started[0], started_by: 'admin@stampede.local' })]);
    expect(await trigger.tick()).toEqual([]);
    const after = (await h.call('GET', `/cloud/v6/schedules/${schedule.id}`)).body;
    expect(after).toMatchObject({ next_run: null, deactivated: false });
    // An expired schedule cannot be re-activated; deactivating it changes nothing.
    expect((await h.call('POST', `/cloud/v6/schedules/${schedule.id}/deactivate`)).status).toBe(204);
    expect((await h.call('GET', `/cloud/v6/schedules/${schedule.id}`)).body.deactivated).toBe(false);
    const activate = await h.call('POST', `/cloud/v6/schedules/${schedule.id}/activate`);
    expect(activate.status).toBe(409);
    expect(activate.body.error.message).toMatch(/expired/);
  });

  test('a deactivated schedule starts nothing, shows its next occurrence, and goes on from there when re-activated', async () => {
    clock = T0;
    const id = await loadTest();
    const schedule = (await setSchedule(id, { starts: new Date(T0).toISOString(), recurrence_rule: { frequency: 'HOURLY', interval: 2 } })).body;
    expect(schedule.next_run).toBe(new Date(T0).toISOString());
    expect((await h.call('POST', `/cloud/v6/schedules/${schedule.id}/deactivate`)).status).toBe(204);
    clock = T0 + 3 * HOUR;
    expect(await trigger.tick()).toEqual([]);
    expect(await runsOf(id)).toEqual([]);
    expect((await h.call('GET', `/cloud/v6/schedules/${schedule.id}`)).body).toMatchObject({ deactivated: true, next_run: new Date(T0 + 4 * HOUR).toISOString() });
    expect((await h.call('POST', `/cloud/v6/schedules/${schedule.id}/activate`)).status).toBe(204);
    expect(await trigger.tick()).toEqual([]);
    clock = T0 + 4 * HOUR;
    expect(await trigger.tick()).toHaveLength(1);
    expect((await h.call('GET', `/cloud/v6/schedules/${schedule.id}`)).body).toMatchObject({ deactivated: false, next_run: new Date(T0 + 6 * HOUR).toISOString() });
  });

  test('after a long stop, the latest occurrence within the grace window runs once; older ones are skipped and logged', async () => {
    clock = T0;
    const id = await loadTest();
    const schedule = (await setSchedule(id, { starts: new Date(T0 + HOUR).toISOString(), recurrence_rule: { frequency: 'HOURLY' } })).body;
    // Down from before T0+1h until just after T0+4h: one run for the 4h occurrence, none for 1h–3h.
    clock = T0 + 4 * HOUR + 60_000;
    expect(await trigger.tick()).toHaveLength(1);
    expect(await runsOf(id)).toHaveLength(1);
    expect((await h.call('GET', `/cloud/v6/schedules/${schedule.id}`)).body.next_run).toBe(new Date(T0 + 5 * HOUR).toISOString());
    // Down again past the grace window of the 5h occurrence: skipped, with a warning.
    clock = T0 + 5 * HOUR + MISSED_RUN_GRACE_MS + 60_000;
    logged.length = 0;
    expect(await trigger.tick()).toEqual([]);
    expect(await runsOf(id)).toHaveLength(1);
    expect(logged).toContainEqual({ level: 'warn', msg: expect.stringMatching(/missed/) });
    expect((await h.call('GET', `/cloud/v6/schedules/${schedule.id}`)).body.next_run).toBe(new Date(T0 + 6 * HOUR).toISOString());
  });

  test('an occurrence of a load test without a script starts nothing, is logged, and the schedule goes on', async () => {
    clock = T0;
    const id = await loadTest(false);
    const schedule = (await setSchedule(id, { starts: new Date(T0 + 1000).toISOString(), recurrence_rule: { frequency: 'DAILY' } })).body;
    clock = T0 + 2000;
    logged.length = 0;
    expect(await trigger.tick()).toEqual([]);
    expect(logged).toContainEqual({ level: 'error', msg: 'scheduled run could not be started' });
    expect((await h.call('GET', `/cloud/v6/schedules/${schedule.id}`)).body.next_run).toBe(new Date(T0 + 1000 + 24 * HOUR).toISOString());
  });

  test('deleting the load test deletes its schedule', async () => {
    clock = T0;
    const id = await loadTest();
    const schedule = (await setSchedule(id, { starts: '2031-01-01T00:00:00Z' })).body;
    expect((await h.call('DELETE', `/cloud/v6/load_tests/${id}`)).status).toBe(204);
    expect((await h.call('GET', `/cloud/v6/schedules/${schedule.id}`)).status).toBe(404);
    expect((await h.call('GET', '/cloud/v6/schedules')).body.value.map((s: { id: number }) => s.id)).not.toContain(schedule.id);
  });
});
