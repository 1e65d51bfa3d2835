// A schedule as the v6 ScheduleApiModel. `starts` and `until` are written back in the offset they were
// given in (Grafana's Terraform provider compares them with its configuration); `next_run` is UTC.
import { formatScheduleInstant, nextOccurrence } from '../domain/index.ts';
import type { ScheduleRecord } from '../store/index.ts';
import { isoTime } from './api-views.ts';

/**
 * The next run an active schedule's trigger will start, or, for a deactivated schedule, the next
 * occurrence of its rule (deactivating does not change the rule or delay its expiry); null once expired.
 */
export function shownNextRun(s: ScheduleRecord, now: Date): number | null {
  return s.deactivated ? nextOccurrence(s.timing, now.getTime() - 1) : (s.nextRun?.getTime() ?? null);
}

export function scheduleView(s: ScheduleRecord, now: Date) {
  const rule = s.timing.recurrence;
  const cron = s.timing.cron;
  const next = shownNextRun(s, now);
  return {
    id: s.id,
    load_test_id: s.loadTestId,
    starts: formatScheduleInstant(s.timing.starts),
    recurrence_rule:
      rule === null
        ? null
        : { frequency: rule.frequency, interval: rule.interval, byday: rule.byday, until: rule.until === null ? null : formatScheduleInstant(rule.until), count: rule.count },
    cron: cron === null ? null : { schedule: cron.schedule, time_zone: cron.timeZone },
    deactivated: s.deactivated,
    next_run: next === null ? null : isoTime(next),
    created_by: s.createdBy,
  };
}
