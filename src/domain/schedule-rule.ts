// When a load test's schedule runs it: the v6 API's three kinds of schedule, as pure functions.
//
// - once: no recurrence rule and no cron; the one occurrence is `starts`.
// - a recurrence rule (the API's subset of RFC 5545): HOURLY, DAILY, WEEKLY (optionally on `byday`
//   weekdays), MONTHLY or YEARLY, every `interval` units from `starts`, ending after `count`
//   occurrences or at `until`. Calendar steps are taken in the UTC offset `starts` was given in, so
//   "daily at 08:00+02:00" stays at 08:00 of that offset and a weekday is that offset's weekday.
//   Months are counted as the API documents: a day 29–31 that a month lacks becomes its last day
//   (March 31 → April 30), where RFC 5545 would skip the month; a yearly February 29 is February 28
//   in other years, by the same rule. Weeks start on Monday (RFC 5545's default WKST).
// - a cron expression (five fields or an alias) in an IANA time zone, from `starts` on, read by
//   croner (day-of-month and day-of-week OR-ed when both are set, as Vixie cron does; daylight saving
//   time as that zone has it).
import { Cron } from 'croner';

export const SCHEDULE_FREQUENCIES = ['HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'] as const;
export type ScheduleFrequency = (typeof SCHEDULE_FREQUENCIES)[number];
/** In RFC 5545's order, Monday first. */
export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export const CRON_ALIASES = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@hourly'] as const;

/** An instant and the UTC offset (minutes east) it was written with, so it is shown back as given. */
export interface ScheduleInstant {
  ms: number;
  offsetMinutes: number;
}

export interface RecurrenceRule {
  frequency: ScheduleFrequency;
  interval: number;
  byday: Weekday[] | null;
  until: ScheduleInstant | null;
  count: number | null;
}

export interface CronRule {
  schedule: string;
  timeZone: string;
}

export interface ScheduleTiming {
  starts: ScheduleInstant;
  recurrence: RecurrenceRule | null;
  cron: CronRule | null;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

const INSTANT = /^(\d{4})-(\d\d)-(\d\d)[Tt ](\d\d):(\d\d):(\d\d)(\.\d+)?([Zz]|([+-])(\d\d):?(\d\d))$/;

/** An RFC 3339 date-time with its offset; null when it is not one (or names no real date). */
export function parseScheduleInstant(text: string): ScheduleInstant | null {
  const m = INSTANT.exec(text);
  if (m === null) return null;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number, number];
  const fraction = m[7] === undefined ? 0 : Math.floor(Number(`0${m[7]}`) * 1000);
  const offsetMinutes = m[8] === 'Z' || m[8] === 'z' ? 0 : (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11]));
  if (hour > 23 || minute > 59 || second > 59 || Math.abs(offsetMinutes) >= 24 * 60) return null;
  // setUTCFullYear, not Date.UTC, which reads years 0–99 as 1900–1999.
  const check = new Date(Date.UTC(2000, 0, 1, hour, minute, second, fraction));
  check.setUTCFullYear(year, month - 1, day);
  const wall = check.getTime();
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return { ms: wall - offsetMinutes * MINUTE_MS, offsetMinutes };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** RFC 3339 in the instant's own offset (`Z` for UTC), milliseconds only when there are some. */
export function formatScheduleInstant(instant: ScheduleInstant): string {
  const wall = new Date(instant.ms + instant.offsetMinutes * MINUTE_MS);
  const ms = wall.getUTCMilliseconds();
  const offset = Math.abs(instant.offsetMinutes);
  const zone = instant.offsetMinutes === 0 ? 'Z' : `${instant.offsetMinutes < 0 ? '-' : '+'}${pad(Math.floor(offset / 60))}:${pad(offset % 60)}`;
  return (
    `${pad(wall.getUTCFullYear(), 4)}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())}` +
    `T${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}:${pad(wall.getUTCSeconds())}${ms === 0 ? '' : `.${pad(ms, 3)}`}${zone}`
  );
}

/** Whether `name` is an IANA time zone this runtime knows (`UTC` included). */
export function isTimeZone(name: string): boolean {
  if (name.trim() === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

function cronOf(rule: CronRule): Cron {
  // paused, with no function: croner only computes occurrences and starts no timer.
  return new Cron(rule.schedule.trim(), { timezone: rule.timeZone, mode: '5-part', paused: true });
}

/** Why a cron rule cannot be used (its field, then the message), or null when it can. */
export function cronProblem(rule: CronRule): { field: 'schedule' | 'time_zone'; message: string } | null {
  if (!isTimeZone(rule.timeZone)) return { field: 'time_zone', message: `${JSON.stringify(rule.timeZone)} is not a known IANA time zone (for example UTC or Europe/London)` };
  const text = rule.schedule.trim();
  const isAlias = (CRON_ALIASES as readonly string[]).includes(text.toLowerCase());
  if (!isAlias && text.split(/\s+/).length !== 5) {
    return { field: 'schedule', message: `A cron schedule has exactly 5 fields (minute hour day-of-month month day-of-week) or is one of ${CRON_ALIASES.join(', ')}; got ${JSON.stringify(rule.schedule)}` };
  }
  try {
    cronOf(rule);
  } catch (err) {
    return { field: 'schedule', message: `${JSON.stringify(rule.schedule)} is not a valid cron expression: ${err instanceof Error ? err.message : String(err)}` };
  }
  return null;
}

/** Days in a month of the proleptic Gregorian calendar (month 0–11, any integer: it wraps years). */
function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

/**
 * The occurrences of one step of a rule ("block" b: the b-th hour, day, week, month or year counted
 * in `interval`s from starts), as instants in order. Block 0 holds nothing before `starts`.
 */
function blockOccurrences(rule: RecurrenceRule, starts: ScheduleInstant, block: number): number[] {
  const offsetMs = starts.offsetMinutes * MINUTE_MS;
  const wall = new Date(starts.ms + offsetMs);
  const step = block * rule.interval;
  switch (rule.frequency) {
    case 'HOURLY':
      return [starts.ms + step * HOUR_MS];
    case 'DAILY':
      return [starts.ms + step * DAY_MS];
    case 'WEEKLY': {
      if (rule.byday === null || rule.byday.length === 0) return [starts.ms + step * 7 * DAY_MS];
      // Monday of starts' week, at starts' time of day, then the block's week.
      const weekday = (wall.getUTCDay() + 6) % 7;
      const monday = starts.ms - weekday * DAY_MS + step * 7 * DAY_MS;
      const days = [...new Set(rule.byday.map((d) => WEEKDAYS.indexOf(d)))].sort((a, b) => a - b);
      return days.map((d) => monday + d * DAY_MS).filter((t) => t >= starts.ms);
    }
    case 'MONTHLY':
    case 'YEARLY': {
      const months = rule.frequency === 'MONTHLY' ? step : step * 12;
      const year = wall.getUTCFullYear() + Math.floor((wall.getUTCMonth() + months) / 12);
      const month = (((wall.getUTCMonth() + months) % 12) + 12) % 12;
      const day = Math.min(wall.getUTCDate(), daysInMonth(year, month));
      const local = Date.UTC(year, month, day, wall.getUTCHours(), wall.getUTCMinutes(), wall.getUTCSeconds(), wall.getUTCMilliseconds());
      return [local - offsetMs];
    }
  }
}

/** The block whose occurrences may first pass `after` (a lower bound, so the search starts close). */
function firstBlockNear(rule: RecurrenceRule, starts: ScheduleInstant, after: number): number {
  if (after < starts.ms) return 0;
  const span = after - starts.ms;
  const unit = { HOURLY: HOUR_MS, DAILY: DAY_MS, WEEKLY: 7 * DAY_MS, MONTHLY: 28 * DAY_MS, YEARLY: 365 * DAY_MS }[rule.frequency];
  // MONTHLY and YEARLY units are the shortest month and year, so the estimate can overshoot by a few
  // blocks: step back enough to stay below.
  const estimate = Math.floor(span / (unit * rule.interval));
  const slack = rule.frequency === 'MONTHLY' ? Math.ceil(estimate / 9) + 1 : rule.frequency === 'YEARLY' ? Math.ceil(estimate / 300) + 1 : 1;
  return Math.max(0, estimate - slack);
}

function nextRecurrence(rule: RecurrenceRule, starts: ScheduleInstant, after: number): number | null {
  const perBlock = rule.frequency === 'WEEKLY' && rule.byday !== null && rule.byday.length > 0 ? new Set(rule.byday).size : 1;
  const inFirst = blockOccurrences(rule, starts, 0).length;
  let block = firstBlockNear(rule, starts, after);
  // A block holds at least one occurrence but block 0 (whose days before starts are dropped): a few
  // blocks past the estimate always reach an occurrence after `after`.
  for (let tries = 0; tries < 10_000; tries++, block++) {
    const times = blockOccurrences(rule, starts, block);
    const firstIndex = block === 0 ? 0 : inFirst + (block - 1) * perBlock;
    for (const [i, t] of times.entries()) {
      if (rule.count !== null && firstIndex + i >= rule.count) return null;
      if (rule.until !== null && t > rule.until.ms) return null;
      if (t > after) return t;
    }
  }
  return null;
}

/**
 * The last instant RFC 3339 can write in UTC (`next_run`): a later occurrence counts as none. Past it
 * JavaScript writes a six-digit year (`+247003-…`) that RFC 3339 clients cannot read (Go's
 * time.Time fails on it, failing a whole list of schedules), and past year 275760 no Date exists.
 */
export const LAST_OCCURRENCE_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

function nextUnbounded(timing: ScheduleTiming, after: number): number | null {
  if (timing.cron !== null) {
    const from = Math.max(after, timing.starts.ms - 1);
    const next = cronOf(timing.cron).nextRun(new Date(from));
    return next === null ? null : next.getTime();
  }
  if (timing.recurrence !== null) return nextRecurrence(timing.recurrence, timing.starts, after);
  return timing.starts.ms > after ? timing.starts.ms : null;
}

/**
 * The schedule's first occurrence strictly after `after` (epoch ms), or null when it has none left
 * (expired), none before the end of year 9999 UTC included (a huge interval). Occurrences never come
 * before `starts`.
 */
export function nextOccurrence(timing: ScheduleTiming, after: number): number | null {
  const next = nextUnbounded(timing, after);
  // `!(<=)` also turns a NaN (a step past the last Date) into none.
  return next === null || !(next <= LAST_OCCURRENCE_MS) ? null : next;
}
