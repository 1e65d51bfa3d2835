// Starts the runs that schedules call for. Once a second it reads the active schedules whose next
// occurrence has come (one indexed query), claims each occurrence by moving the schedule's `next_run`
// on with a compare-and-set, and starts a run of the load test as `POST /load_tests/{id}/start` would,
// by the schedule's creator.
//
// - At most once: the occurrence is claimed before its run is created, so a failure in between (the
//   store unavailable) loses that run rather than ever starting two.
// - Missed occurrences: an occurrence is run up to MISSED_RUN_GRACE_MS late (a server restarting
//   around it); older ones, from a server that was down longer, are skipped and logged. However many
//   occurrences fell in that window, one run starts, and the schedule goes on from the next one.
import { nextOccurrence } from '../domain/index.ts';
import type { ScheduleRecord, Store } from '../store/index.ts';
import type { RunControl } from './run-control.ts';
import { startLoadTest } from './start-load-test.ts';

export interface TriggerLog {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface ScheduleTrigger {
  /** Handles every occurrence due now; resolves with the ids of the runs it started. */
  tick(): Promise<number[]>;
  /** Stops the ticks; resolves once a tick in flight has finished (so the store can be closed). */
  stop(): Promise<void>;
}

export const SCHEDULE_TICK_MS = 1000;
export const MISSED_RUN_GRACE_MS = 15 * 60 * 1000;
const DUE_BATCH = 100;

/** The occurrence to run now, if any: the claimed one, or the latest one still within the grace window. */
function occurrenceToRun(s: ScheduleRecord, due: number, now: number): number | null {
  if (now - due <= MISSED_RUN_GRACE_MS) return due;
  const recent = nextOccurrence(s.timing, now - MISSED_RUN_GRACE_MS - 1);
  return recent !== null && recent <= now ? recent : null;
}

export function startScheduleTrigger(deps: { store: Store; runs: Pick<RunControl, 'start'>; log: TriggerLog; now?: () => Date; intervalMs?: number }): ScheduleTrigger {
  const { store, log } = deps;
  const now = deps.now ?? (() => new Date());

  async function handle(s: ScheduleRecord, at: Date): Promise<number | null> {
    if (s.nextRun === null) return null;
    const due = s.nextRun.getTime();
    const following = nextOccurrence(s.timing, at.getTime());
    if (!(await store.schedules.advance(s.id, s.nextRun, following === null ? null : new Date(following)))) return null;
    const occurrence = occurrenceToRun(s, due, at.getTime());
    const where = { schedule: s.id, loadTest: s.loadTestId, stack: s.stackId };
    if (occurrence === null) {
      log.warn({ ...where, missed: new Date(due).toISOString() }, 'schedule occurrence missed while the server was down; it runs again at its next occurrence');
      return null;
    }
    try {
      const run = await startLoadTest({ store, runs: deps.runs }, { stackId: s.stackId, loadTestId: s.loadTestId, startedBy: s.createdBy, now: at });
      log.info({ ...where, run: run.id, occurrence: new Date(occurrence).toISOString() }, 'scheduled run started');
      return run.id;
    } catch (err) {
      log.error({ ...where, err }, 'scheduled run could not be started');
      return null;
    }
  }

  let running: Promise<number[]> | null = null;
  const tick = (): Promise<number[]> => {
    // One tick at a time: a slow start is never overlapped by the next tick.
    running ??= (async () => {
      const started: number[] = [];
      try {
        const at = now();
        for (const s of await store.schedules.due(at, DUE_BATCH)) {
          const run = await handle(s, at);
          if (run !== null) started.push(run);
        }
      } catch (err) {
        log.error({ err }, 'schedule trigger failed; it tries again at the next tick');
      }
      return started;
    })().finally(() => {
      running = null;
    });
    return running;
  };
  const timer = setInterval(() => void tick(), deps.intervalMs ?? SCHEDULE_TICK_MS);
  timer.unref();
  return {
    tick,
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
