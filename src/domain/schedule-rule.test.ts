import { describe, expect, it } from 'vitest';
import { cronProblem, formatScheduleInstant, nextOccurrence, parseScheduleInstant, type RecurrenceRule, type ScheduleTiming } from './schedule-rule.ts';

const inst = (text: string) => {
  const parsed = parseScheduleInstant(text);
  if (parsed === null) throw new Error(`bad instant ${text}`);
  return parsed;
};
const rule = (r: Partial<RecurrenceRule> & Pick<RecurrenceRule, 'frequency'>): RecurrenceRule => ({ interval: 1, byday: null, until: null, count: null, ...r });
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The first `n` occurrences, each found from the one before. */
function occurrences(timing: ScheduleTiming, n: number, from = timing.starts.ms - 1): (string | null)[] {
  const out: (string | null)[] = [];
  let after = from;
  for (let i = 0; i < n; i++) {
    const next = nextOccurrence(timing, after);
    out.push(iso(next));
    if (next === null) break;
    after = next;
  }
  return out;
}

describe('schedule instants', () => {
  it('reads RFC 3339 with its offset and writes it back as given', () => {
    expect(parseScheduleInstant('2024-07-16T08:46:04.021Z')).toEqual({ ms: Date.parse('2024-07-16T08:46:04.021Z'), offsetMinutes: 0 });
    expect(parseScheduleInstant('2024-07-16T10:46:04+02:00')).toEqual({ ms: Date.parse('2024-07-16T08:46:04Z'), offsetMinutes: 120 });
    for (const text of ['2024-07-16T08:46:04.021Z', '2024-07-16T10:46:04+02:00', '2024-12-31T23:30:00-05:30', '2024-12-25T10:00:00Z']) {
      expect(formatScheduleInstant(inst(text))).toBe(text);
    }
  });

  it('reads the years 0000–0099 as themselves (not as 1900–1999)', () => {
    expect(parseScheduleInstant('0001-01-01T00:00:00Z')).toEqual({ ms: Date.parse('0001-01-01T00:00:00Z'), offsetMinutes: 0 });
    expect(formatScheduleInstant(inst('0099-12-31T23:00:00-01:00'))).toBe('0099-12-31T23:00:00-01:00');
    expect(parseScheduleInstant('0001-02-29T00:00:00Z')).toBeNull();
  });

  it('refuses a time without an offset or a date that does not exist', () => {
    for (const text of ['2024-07-16T08:46:04', '2024-02-30T00:00:00Z', '2024-07-16T25:00:00Z', 'tomorrow', '']) expect(parseScheduleInstant(text)).toBeNull();
  });
});

describe('next occurrence', () => {
  it('runs a schedule without recurrence once, at starts', () => {
    const timing: ScheduleTiming = { starts: inst('2028-08-01T12:00:00Z'), recurrence: null, cron: null };
    expect(iso(nextOccurrence(timing, Date.parse('2026-01-01T00:00:00Z')))).toBe('2028-08-01T12:00:00.000Z');
    expect(nextOccurrence(timing, Date.parse('2028-08-01T12:00:00Z'))).toBeNull();
  });

  it('steps hourly and daily from starts, and skips to the first occurrence after a late time', () => {
    const everyTwoHours: ScheduleTiming = { starts: inst('2024-07-16T08:46:04.021Z'), recurrence: rule({ frequency: 'HOURLY', interval: 2 }), cron: null };
    expect(occurrences(everyTwoHours, 3)).toEqual(['2024-07-16T08:46:04.021Z', '2024-07-16T10:46:04.021Z', '2024-07-16T12:46:04.021Z']);
    expect(iso(nextOccurrence(everyTwoHours, Date.parse('2024-07-20T01:00:00Z')))).toBe('2024-07-20T02:46:04.021Z');
    const daily: ScheduleTiming = { starts: inst('2024-12-25T10:00:00Z'), recurrence: rule({ frequency: 'DAILY' }), cron: null };
    expect(iso(nextOccurrence(daily, Date.parse('2026-11-28T10:00:00Z')))).toBe('2026-11-29T10:00:00.000Z');
  });

  it('runs weekly on the given weekdays of the offset starts was written in, every interval weeks, for count occurrences', () => {
    // 2024-07-16 is a Tuesday.
    const weekends: ScheduleTiming = { starts: inst('2024-07-16T08:46:04Z'), recurrence: rule({ frequency: 'WEEKLY', byday: ['SU', 'SA'], count: 3 }), cron: null };
    expect(occurrences(weekends, 4)).toEqual(['2024-07-20T08:46:04.000Z', '2024-07-21T08:46:04.000Z', '2024-07-27T08:46:04.000Z', null]);
    const fortnightly: ScheduleTiming = { starts: inst('2024-12-25T09:00:00Z'), recurrence: rule({ frequency: 'WEEKLY', interval: 2, byday: ['MO', 'WE', 'FR'] }), cron: null };
    // Wed 25 and Fri 27 Dec, then two weeks on from the week of starts: Mon 6 Jan.
    expect(occurrences(fortnightly, 4)).toEqual(['2024-12-25T09:00:00.000Z', '2024-12-27T09:00:00.000Z', '2025-01-06T09:00:00.000Z', '2025-01-08T09:00:00.000Z']);
    // 23:30 on a Monday at -05:00 is Tuesday in UTC: the weekday is the offset's.
    const mondayEvening: ScheduleTiming = { starts: inst('2024-07-15T23:30:00-05:00'), recurrence: rule({ frequency: 'WEEKLY', byday: ['MO'] }), cron: null };
    expect(occurrences(mondayEvening, 2)).toEqual(['2024-07-16T04:30:00.000Z', '2024-07-23T04:30:00.000Z']);
  });

  it('moves a monthly day 29–31 to the last day of shorter months, and ends at until', () => {
    const monthEnd: ScheduleTiming = { starts: inst('2025-01-31T06:00:00Z'), recurrence: rule({ frequency: 'MONTHLY', until: inst('2025-05-01T00:00:00Z') }), cron: null };
    expect(occurrences(monthEnd, 6)).toEqual(['2025-01-31T06:00:00.000Z', '2025-02-28T06:00:00.000Z', '2025-03-31T06:00:00.000Z', '2025-04-30T06:00:00.000Z', null]);
    const leapDay: ScheduleTiming = { starts: inst('2024-02-29T12:00:00Z'), recurrence: rule({ frequency: 'YEARLY', count: 5 }), cron: null };
    expect(occurrences(leapDay, 6)).toEqual(['2024-02-29T12:00:00.000Z', '2025-02-28T12:00:00.000Z', '2026-02-28T12:00:00.000Z', '2027-02-28T12:00:00.000Z', '2028-02-29T12:00:00.000Z', null]);
    // Far from starts the search still lands on the right month.
    const monthly: ScheduleTiming = { starts: inst('2000-01-15T00:00:00Z'), recurrence: rule({ frequency: 'MONTHLY', interval: 3 }), cron: null };
    expect(iso(nextOccurrence(monthly, Date.parse('2026-11-28T00:00:00Z')))).toBe('2027-01-15T00:00:00.000Z');
  });

  it('follows a cron expression in its time zone, daylight saving included, never before starts', () => {
    const monday7: ScheduleTiming = { starts: inst('2024-07-16T08:46:04.021Z'), recurrence: null, cron: { schedule: '0 7 * * 1', timeZone: 'Europe/Oslo' } };
    expect(iso(nextOccurrence(monday7, Date.parse('2024-07-16T09:00:00Z')))).toBe('2024-07-22T05:00:00.000Z');
    // After the clocks go back on 27 October, 07:00 in Oslo is 06:00 UTC.
    expect(iso(nextOccurrence(monday7, Date.parse('2024-10-27T00:00:00Z')))).toBe('2024-10-28T06:00:00.000Z');
    const daily: ScheduleTiming = { starts: inst('2030-01-01T00:00:00Z'), recurrence: null, cron: { schedule: '@daily', timeZone: 'UTC' } };
    expect(iso(nextOccurrence(daily, Date.parse('2026-01-01T12:00:00Z')))).toBe('2030-01-01T00:00:00.000Z');
  });

  it('counts an occurrence after the end of year 9999 UTC as none: next_run must stay RFC 3339', () => {
    const now = Date.parse('2026-11-28T00:00:00Z');
    // The next step is in year 247003 (hourly) or past the last JavaScript date (daily, monthly).
    for (const frequency of ['HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'] as const) {
      const huge: ScheduleTiming = { starts: inst('2020-01-01T00:00:00Z'), recurrence: rule({ frequency, interval: 2_147_483_647 }), cron: null };
      expect(nextOccurrence(huge, now), frequency).toBeNull();
      expect(iso(nextOccurrence(huge, huge.starts.ms - 1)), frequency).toBe('2020-01-01T00:00:00.000Z');
    }
    // 23:00 at -05:00 on the last day of 9999 is already year 10000 in UTC.
    expect(nextOccurrence({ starts: inst('9999-12-31T23:00:00-05:00'), recurrence: null, cron: null }, now)).toBeNull();
    expect(iso(nextOccurrence({ starts: inst('9999-12-31T23:59:59Z'), recurrence: null, cron: null }, now))).toBe('9999-12-31T23:59:59.000Z');
  });

  it('explains a cron rule it cannot use', () => {
    expect(cronProblem({ schedule: '0 7 * * 1', timeZone: 'UTC' })).toBeNull();
    expect(cronProblem({ schedule: '@hourly', timeZone: 'America/New_York' })).toBeNull();
    expect(cronProblem({ schedule: '0 0 7 * * 1', timeZone: 'UTC' })).toMatchObject({ field: 'schedule', message: expect.stringContaining('exactly 5 fields') });
    expect(cronProblem({ schedule: '@reboot', timeZone: 'UTC' })).toMatchObject({ field: 'schedule' });
    expect(cronProblem({ schedule: '61 * * * *', timeZone: 'UTC' })).toMatchObject({ field: 'schedule', message: expect.stringContaining('not a valid cron expression') });
    expect(cronProblem({ schedule: '* * * * *', timeZone: 'Mars/Olympus' })).toMatchObject({ field: 'time_zone' });
  });
});
