// Dates as k6/x/faker writes them: Go's named layouts (RFC3339, ANSIC, …) and Java-style patterns
// (yyyy-MM-dd) that gofakeit rewrites into Go layouts, all in UTC. Also Go's time.Parse for the
// numeric and month-name fields, which dateRange needs to read its bounds.
import { goError } from '../../vu/go-error.ts';

export const NAMED_LAYOUTS: Readonly<Record<string, string>> = {
  ANSIC: 'Mon Jan _2 15:04:05 2006',
  UnixDate: 'Mon Jan _2 15:04:05 MST 2006',
  RubyDate: 'Mon Jan 02 15:04:05 -0700 2006',
  RFC822: '02 Jan 06 15:04 MST',
  RFC822Z: '02 Jan 06 15:04 -0700',
  RFC850: 'Monday, 02-Jan-06 15:04:05 MST',
  RFC1123: 'Mon, 02 Jan 2006 15:04:05 MST',
  RFC1123Z: 'Mon, 02 Jan 2006 15:04:05 -0700',
  RFC3339: '2006-01-02T15:04:05Z07:00',
  RFC3339Nano: '2006-01-02T15:04:05.999999999Z07:00',
};

/** gofakeit's rewrite of a Java date pattern into a Go layout (plain replacements, in its order). */
export function javaToGoLayout(format: string): string {
  const steps: [string, string][] = [
    ['ddd', '_2'], ['dd', '02'], ['d', '2'], ['HH', '15'], ['hh', '03'], ['h', '3'], ['mm', '04'], ['m', '4'],
    ['ss', '05'], ['s', '5'], ['yyyy', '2006'], ['yy', '06'], ['y', '06'], ['SSS', '000'], ['a', 'pm'], ['aa', 'PM'],
    ['MMMM', 'January'], ['MMM', 'Jan'], ['MM', '01'], ['M', '1'], ['ZZ', '-0700'],
  ];
  let out = format;
  for (const [from, to] of steps) out = out.split(from).join(to);
  if (!out.includes('Z07')) out = out.split('Z').join('-07');
  for (const [from, to] of [['zz:zz', 'Z07:00'], ['zzzz', 'Z0700'], ['z', 'MST']] as const) out = out.split(from).join(to);
  return out;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

// Layout elements, longest first where they share a start (Go's nextStdChunk).
const ELEMENTS = [
  'January', 'Jan', 'Monday', 'Mon', 'MST', '2006', '_2', '002', '01', '02', '03', '04', '05', '06', '15',
  '1', '2', '3', '4', '5', 'PM', 'pm', '-07:00:00', '-0700', '-07:00', '-07', 'Z07:00:00', 'Z0700', 'Z07:00', 'Z07',
];

type Chunk = { literal: string } | { element: string } | { fraction: string };

function chunks(layout: string): Chunk[] {
  const out: Chunk[] = [];
  let lit = '';
  for (let i = 0; i < layout.length;) {
    const frac = /^[.,](0+|9+)(?!\d)/.exec(layout.slice(i));
    const el = frac === null ? ELEMENTS.find((e) => layout.startsWith(e, i)) : undefined;
    if (frac === null && el === undefined) {
      lit += layout[i];
      i++;
      continue;
    }
    if (lit !== '') out.push({ literal: lit });
    lit = '';
    if (frac !== null) {
      out.push({ fraction: frac[0] });
      i += frac[0].length;
    } else if (el !== undefined) {
      out.push({ element: el });
      i += el.length;
    }
  }
  if (lit !== '') out.push({ literal: lit });
  return out;
}

const pad = (n: number, w: number, c = '0'): string => String(n).padStart(w, c);

/** Formats a UTC instant (ms) plus nanoseconds within its second with a Go layout. */
export function formatGo(ms: number, nanos: number, layout: string): string {
  const d = new Date(ms);
  const h = d.getUTCHours();
  const yearDay = Math.floor((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1;
  const values: Record<string, string> = {
    January: MONTHS[d.getUTCMonth()] ?? '', Jan: (MONTHS[d.getUTCMonth()] ?? '').slice(0, 3),
    Monday: DAYS[d.getUTCDay()] ?? '', Mon: (DAYS[d.getUTCDay()] ?? '').slice(0, 3), MST: 'UTC',
    2006: pad(d.getUTCFullYear(), 4), '06': pad(d.getUTCFullYear() % 100, 2), '002': pad(yearDay, 3),
    '01': pad(d.getUTCMonth() + 1, 2), 1: String(d.getUTCMonth() + 1),
    '02': pad(d.getUTCDate(), 2), 2: String(d.getUTCDate()), _2: pad(d.getUTCDate(), 2, ' '),
    15: pad(h, 2), '03': pad(h % 12 === 0 ? 12 : h % 12, 2), 3: String(h % 12 === 0 ? 12 : h % 12),
    '04': pad(d.getUTCMinutes(), 2), 4: String(d.getUTCMinutes()), '05': pad(d.getUTCSeconds(), 2), 5: String(d.getUTCSeconds()),
    PM: h >= 12 ? 'PM' : 'AM', pm: h >= 12 ? 'pm' : 'am',
    '-07:00:00': '+00:00:00', '-0700': '+0000', '-07:00': '+00:00', '-07': '+00',
    'Z07:00:00': 'Z', Z0700: 'Z', 'Z07:00': 'Z', Z07: 'Z',
  };
  return chunks(layout).map((c) => {
    if ('literal' in c) return c.literal;
    if ('element' in c) return values[c.element] ?? '';
    const digits = c.fraction.length - 1;
    const text = pad(nanos, 9).slice(0, digits);
    if (c.fraction[1] === '0') return c.fraction[0] + text;
    const trimmed = text.replace(/0+$/, '');
    return trimmed === '' ? '' : c.fraction[0] + trimmed;
  }).join('');
}

/** Go's time.Parse for the fields dateRange bounds use; UTC. Throws Go's error text. */
export function parseGo(layout: string, value: string): number {
  const fail = (elem: string, rest: string): never => {
    throw goError(`parsing time ${JSON.stringify(value)} as ${JSON.stringify(layout)}: cannot parse ${JSON.stringify(rest)} as ${JSON.stringify(elem)}`);
  };
  let year = 1; let month = 1; let day = 1; let hour = 0; let min = 0; let sec = 0; let ms = 0; let pm: boolean | undefined;
  let rest = value;
  const num = (elem: string, width: number | 'var', lo: number, hi: number): number => {
    const m = (width === 'var' ? /^\d{1,2}/ : new RegExp(`^\\d{${width}}`)).exec(rest);
    const n = m === null ? NaN : Number(m[0]);
    if (m === null || n < lo || n > hi) fail(elem, rest);
    rest = rest.slice(m?.[0].length ?? 0);
    return n;
  };
  for (const c of chunks(layout)) {
    if ('literal' in c) {
      if (!rest.startsWith(c.literal)) fail(c.literal, rest);
      rest = rest.slice(c.literal.length);
    } else if ('fraction' in c) {
      const m = /^[.,](\d+)/.exec(rest);
      if (m !== null) {
        ms = Number(`0.${m[1]}`) * 1000;
        rest = rest.slice(m[0].length);
      } else if (c.fraction[1] === '0') fail(c.fraction, rest);
    } else {
      const e = c.element;
      if (e === '2006') year = num(e, 4, 0, 9999);
      else if (e === '06') {
        const yy = num(e, 2, 0, 99);
        year = yy >= 69 ? 1900 + yy : 2000 + yy;
      }
      else if (e === '01') month = num(e, 2, 1, 12);
      else if (e === '1') month = num(e, 'var', 1, 12);
      else if (e === '02') day = num(e, 2, 1, 31);
      else if (e === '2' || e === '_2') {
        if (e === '_2') rest = rest.replace(/^ /, '');
        day = num(e, 'var', 1, 31);
      }
      else if (e === '15') hour = num(e, 'var', 0, 23);
      else if (e === '03' || e === '3') hour = num(e, e === '03' ? 2 : 'var', 1, 12);
      else if (e === '04' || e === '4') min = num(e, e === '04' ? 2 : 'var', 0, 59);
      else if (e === '05' || e === '5') sec = num(e, e === '05' ? 2 : 'var', 0, 59);
      else if (e === 'January' || e === 'Jan') {
        const i = MONTHS.findIndex((mn) => rest.toLowerCase().startsWith((e === 'Jan' ? mn.slice(0, 3) : mn).toLowerCase()));
        if (i < 0) fail(e, rest);
        month = i + 1;
        rest = rest.slice(e === 'Jan' ? 3 : (MONTHS[i] ?? '').length);
      } else if (e === 'PM' || e === 'pm') {
        const m = /^(am|pm)/i.exec(rest);
        if (m === null) fail(e, rest);
        pm = m?.[0].toLowerCase() === 'pm';
        rest = rest.slice(2);
      } else fail(e, rest); // weekday names, zones and year days: not needed for date ranges
    }
  }
  if (rest !== '') throw goError(`parsing time ${JSON.stringify(value)}: extra text: ${JSON.stringify(rest)}`);
  if (pm !== undefined) hour = (hour % 12) + (pm ? 12 : 0);
  const t = new Date(0);
  t.setUTCFullYear(year, month - 1, day);
  t.setUTCHours(hour, min, sec, ms);
  if (t.getUTCDate() !== day) throw goError(`parsing time ${JSON.stringify(value)}: day out of range`);
  return t.getTime();
}
