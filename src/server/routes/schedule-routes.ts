// Schedules: one per load test, run by the schedule trigger (schedule-trigger.ts) at each occurrence.
// Setting a schedule overwrites the load test's existing one (same id), active.
import type { FastifyInstance } from 'fastify';
import { StampedeError } from '../../core/index.ts';
import { cronProblem, nextOccurrence, parseListQuery, parseScheduleInstant } from '../../domain/index.ts';
import type { ScheduleFrequency, ScheduleInstant, ScheduleTiming, Weekday } from '../../domain/index.ts';
import { authenticate, found } from '../api-context.ts';
import type { ScheduleRecord } from '../../store/index.ts';
import type { ApiContext } from '../api-context.ts';
import { listBody, lookAheadPage } from '../paging.ts';
import { pathId, queryOf, specBody } from '../request-input.ts';
import { scheduleView, shownNextRun } from '../schedule-view.ts';
import { validationError } from '../validation-error.ts';

/** The spec's CreateScheduleRequest, as its validator has already checked it. */
interface CreateScheduleRequest {
  starts: string;
  recurrence_rule?: { frequency: ScheduleFrequency; interval?: number; byday?: Weekday[] | null; until?: string | null; count?: number | null } | null;
  cron?: { schedule: string; time_zone: string } | null;
}

function instant(text: string, target: string): ScheduleInstant {
  const parsed = parseScheduleInstant(text);
  if (parsed === null) throw validationError(target, `${target} must be a date-time with a UTC offset, such as 2024-07-16T08:46:04Z or 2024-07-16T10:46:04+02:00`);
  return parsed;
}

/** The request's timing, with every rule the schema cannot express checked. */
function timingOf(body: CreateScheduleRequest): ScheduleTiming {
  const starts = instant(body.starts, 'starts');
  const rule = body.recurrence_rule ?? null;
  const cron = body.cron ?? null;
  if (rule !== null && cron !== null) throw validationError('cron', 'Only one of recurrence_rule and cron can be set');
  if (cron !== null) {
    const problem = cronProblem({ schedule: cron.schedule, timeZone: cron.time_zone });
    if (problem !== null) throw validationError(`cron.${problem.field}`, problem.message);
    // Kept as sent, spaces and all (croner reads it trimmed): Grafana's Terraform provider compares the
    // answer with its configuration, and a changed string fails its apply.
    const timing: ScheduleTiming = { starts, recurrence: null, cron: { schedule: cron.schedule, timeZone: cron.time_zone } };
    if (nextOccurrence(timing, starts.ms - 1) === null) throw validationError('cron.schedule', `${JSON.stringify(cron.schedule)} matches no date after starts, so it would never run`);
    return timing;
  }
  if (rule === null) return { starts, recurrence: null, cron: null };
  const byday = rule.byday === undefined || rule.byday === null || rule.byday.length === 0 ? null : rule.byday;
  if (byday !== null && rule.frequency !== 'WEEKLY') throw validationError('recurrence_rule.byday', `byday can only be set for the WEEKLY frequency, not ${rule.frequency}`);
  const twice = byday?.find((d, i) => byday.indexOf(d) !== i);
  if (twice !== undefined) throw validationError('recurrence_rule.byday', `${twice} is given more than once`);
  const until = rule.until === undefined || rule.until === null ? null : instant(rule.until, 'recurrence_rule.until');
  if (until !== null && until.ms < starts.ms) throw validationError('recurrence_rule.until', 'until must not be before starts');
  return { starts, recurrence: { frequency: rule.frequency, interval: rule.interval ?? 1, byday, until, count: rule.count ?? null }, cron: null };
}

const noSchedule = () => new StampedeError('STAMPEDE_ERR_NOT_FOUND', 'Schedule not found');

/** The stack's schedule with that id; a 404 when it has none. */
async function scheduleOf(ctx: ApiContext, stackId: number, id: number): Promise<ScheduleRecord> {
  const schedule = await ctx.store.schedules.get(stackId, id);
  if (schedule === null) throw noSchedule();
  return schedule;
}

export function registerScheduleRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/schedules', async (req) => {
    const caller = await authenticate(ctx, req, 'read');
    const query = parseListQuery(queryOf(req));
    const paged = await ctx.store.schedules.list(caller.stackId, lookAheadPage(query));
    const now = ctx.now();
    return listBody(req, ctx.config.publicUrl, query, paged, (s) => scheduleView(s, now));
  });

  app.get('/load_tests/:id/schedule', async (req) => {
    const caller = await authenticate(ctx, req, 'read');
    const id = pathId(req);
    found(await ctx.store.loadTests.get(caller.stackId, id), 'Load test');
    const schedule = await ctx.store.schedules.getByLoadTest(caller.stackId, id);
    if (schedule === null) throw new StampedeError('STAMPEDE_ERR_NOT_FOUND', 'The load test has no schedule');
    return scheduleView(schedule, ctx.now());
  });

  app.post('/load_tests/:id/schedule', async (req) => {
    const caller = await authenticate(ctx, req, 'write');
    const id = pathId(req);
    found(await ctx.store.loadTests.get(caller.stackId, id), 'Load test');
    const timing = timingOf(specBody<CreateScheduleRequest>(ctx, req, 'CreateScheduleRequest'));
    const now = ctx.now();
    // Occurrences before now are not run: the first is the next one from now on.
    const next = nextOccurrence(timing, now.getTime() - 1);
    const stored = await ctx.store.schedules.put(caller.stackId, id, { timing, nextRun: next === null ? null : new Date(next), createdBy: caller.email, now });
    return scheduleView(stored, now);
  });

  app.get('/schedules/:id', async (req) => {
    const caller = await authenticate(ctx, req, 'read');
    return scheduleView(await scheduleOf(ctx, caller.stackId, pathId(req)), ctx.now());
  });

  app.delete('/schedules/:id', async (req, reply) => {
    const caller = await authenticate(ctx, req, 'write');
    if (!(await ctx.store.schedules.remove(caller.stackId, pathId(req)))) throw noSchedule();
    return reply.code(204).send();
  });

  app.post('/schedules/:id/activate', async (req, reply) => {
    const caller = await authenticate(ctx, req, 'write');
    const id = pathId(req);
    const schedule = await scheduleOf(ctx, caller.stackId, id);
    // Occurrences that passed while it was off are not caught up: it runs again from the next one.
    const next = shownNextRun(schedule, ctx.now());
    if (next === null) throw new StampedeError('STAMPEDE_ERR_CONFLICT', 'Cannot re-activate an expired schedule: its rule has no occurrence left');
    if (schedule.deactivated && (await ctx.store.schedules.setDeactivated(caller.stackId, id, false, new Date(next))) === null) throw noSchedule();
    return reply.code(204).send();
  });

  app.post('/schedules/:id/deactivate', async (req, reply) => {
    const caller = await authenticate(ctx, req, 'write');
    const id = pathId(req);
    const schedule = await scheduleOf(ctx, caller.stackId, id);
    // An expired schedule is left as it is (the spec: deactivating it has no effect).
    if (!schedule.deactivated && schedule.nextRun !== null && (await ctx.store.schedules.setDeactivated(caller.stackId, id, true)) === null) throw noSchedule();
    return reply.code(204).send();
  });
}
