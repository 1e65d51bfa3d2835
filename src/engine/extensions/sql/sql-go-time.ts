// A Go time.Time as a k6 script sees one a driver returned: an object whose string form is Go's
// Time.String() ("2024-01-02 03:04:05.5 +0000 UTC") and whose methods are Go's, named as k6 names
// Go methods (first letter lowercased). JSON.stringify gives {} (no exported fields), as in k6.

export class GoTime {
  /** Milliseconds since the epoch (UTC). */
  readonly #ms: number;
  /** Nanoseconds within the millisecond (0–999999). */
  readonly #subMsNanos: number;
  /** The zone's offset east of UTC, in seconds. */
  readonly #offsetSec: number;
  /** Go's zone abbreviation; '' for a fixed zone without a name (printed as its offset). */
  readonly #zone: string;

  constructor(ms: number, subMsNanos: number, offsetSec: number, zone: string) {
    this.#ms = ms;
    this.#subMsNanos = subMsNanos;
    this.#offsetSec = offsetSec;
    this.#zone = zone;
  }

  /** The wall clock in the time's own zone, as UTC fields of a Date. */
  #wall(): Date {
    return new Date(this.#ms + this.#offsetSec * 1000);
  }

  unix(): number {
    return Math.floor(this.#ms / 1000);
  }

  unixMilli(): number {
    return this.#ms;
  }

  unixMicro(): number {
    return this.#ms * 1000 + Math.floor(this.#subMsNanos / 1000);
  }

  unixNano(): number {
    return this.#ms * 1e6 + this.#subMsNanos;
  }

  year(): number {
    return this.#wall().getUTCFullYear();
  }

  month(): number {
    return this.#wall().getUTCMonth() + 1;
  }

  day(): number {
    return this.#wall().getUTCDate();
  }

  hour(): number {
    return this.#wall().getUTCHours();
  }

  minute(): number {
    return this.#wall().getUTCMinutes();
  }

  second(): number {
    return this.#wall().getUTCSeconds();
  }

  nanosecond(): number {
    return this.#wall().getUTCMilliseconds() * 1e6 + this.#subMsNanos;
  }

  weekday(): number {
    return this.#wall().getUTCDay();
  }

  isZero(): boolean {
    // Go's zero Time is January 1, year 1, 00:00:00 UTC.
    return this.#ms === ZERO_MS && this.#subMsNanos === 0;
  }

  /** Go's Time.String(): "2006-01-02 15:04:05.999999999 -0700 MST". */
  string(): string {
    const w = this.#wall();
    const year = w.getUTCFullYear();
    const y = year < 0 ? `-${pad(-year, 4)}` : pad(year, 4);
    const nanos = w.getUTCMilliseconds() * 1e6 + this.#subMsNanos;
    const frac = nanos === 0 ? '' : `.${pad(nanos, 9).replace(/0+$/, '')}`;
    const off = Math.abs(this.#offsetSec);
    const sign = this.#offsetSec < 0 ? '-' : '+';
    const offset = `${sign}${pad(Math.floor(off / 3600), 2)}${pad(Math.floor((off % 3600) / 60), 2)}`;
    const zone = this.#zone === '' ? offset : this.#zone;
    return `${y}-${pad(w.getUTCMonth() + 1, 2)}-${pad(w.getUTCDate(), 2)} `
      + `${pad(w.getUTCHours(), 2)}:${pad(w.getUTCMinutes(), 2)}:${pad(w.getUTCSeconds(), 2)}${frac} ${offset} ${zone}`;
  }

  toString(): string {
    return this.string();
  }
}

const ZERO_MS = utcMs(1, 0, 1, 0, 0, 0, 0);

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/**
 * A wall-clock text "YYYY-MM-DD[ HH:MM:SS[.frac]][±HH[:MM[:SS]]]" (PostgreSQL's ISO output, MySQL's
 * DATETIME) as a GoTime. `zone` names the zone when the text has no offset, or when its offset is the
 * session zone's (lib/pq keeps a named location then); undefined: the text was not a time.
 */
export function parseWallClock(text: string, defaultZone: { offsetSec: number; name: string }, namedZone?: { offsetSec: number; name: string }): GoTime | undefined {
  const m = /^(\d{4,})-(\d\d)-(\d\d)(?:[ T](\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?)?(?:([+-])(\d\d)(?::?(\d\d))?(?::?(\d\d))?)?( BC)?$/.exec(text);
  if (m === null) return undefined;
  let year = Number(m[1]);
  if (m[12] !== undefined) year = 1 - year;
  const fracText = (m[7] ?? '').padEnd(9, '0');
  const nanos = Number(fracText);
  const ms0 = utcMs(year, Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), Math.floor(nanos / 1e6));
  let offsetSec = defaultZone.offsetSec;
  let zone = defaultZone.name;
  if (m[8] !== undefined) {
    offsetSec = (m[8] === '-' ? -1 : 1) * (Number(m[9]) * 3600 + Number(m[10] ?? 0) * 60 + Number(m[11] ?? 0));
    zone = namedZone !== undefined && namedZone.offsetSec === offsetSec ? namedZone.name : '';
  }
  return new GoTime(ms0 - offsetSec * 1000, nanos % 1e6, offsetSec, zone);
}

/** Date.UTC that takes years 0–99 literally. */
function utcMs(year: number, month: number, day: number, h: number, min: number, s: number, ms: number): number {
  const d = new Date(Date.UTC(2000, month, day, h, min, s, ms));
  d.setUTCFullYear(year);
  return d.getTime();
}
