// Query parameters of v6 list operations. Grammar (all optional; each given at most once):
//   $top            integer 0..1000, default 1000 (the spec sets no minimum; 0 asks only for @count)
//   $skip           integer ≥ 0, default 0
//   $count          true | false | 1 | 0   (true/false in any case: Python clients send True/False)
//   $orderby        term ("," term)* ; term = field [" " ("asc" | "desc")] ; field from the operation's list
//   created_after   ISO 8601 date or date-time, inclusive (a date-time without offset is UTC; an
//                   offset whose + arrived as a space, from an unencoded query string, is read as +)
//   created_before  same, exclusive
//   is_starred      true | 1 | false | 0   (any case)
// Every problem is reported at once as one validation error whose details name each parameter.
import { StampedeError } from '../core/index.ts';

export const MAX_PAGE_SIZE = 1000;

export interface OrderTerm {
  field: string;
  desc: boolean;
}

export interface ListQuery {
  top: number;
  skip: number;
  count: boolean;
  orderBy: OrderTerm[];
  createdAfter: Date | null;
  createdBefore: Date | null;
  isStarred: boolean | null;
}

export interface ListQueryRules {
  /** Fields `$orderby` accepts; omitted → `$orderby` is rejected. */
  orderBy?: readonly string[];
  /** Whether created_after / created_before apply. */
  createdRange?: boolean;
  /** Whether is_starred applies. */
  starred?: boolean;
}

type Problem = { target: string; message: string };

function single(raw: Record<string, unknown>, name: string, problems: Problem[]): string | undefined {
  const value = raw[name];
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  problems.push({ target: name, message: `${name} must be given once` });
  return undefined;
}

function parseBool(value: string): boolean | undefined {
  const v = value.toLowerCase();
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  return undefined;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?([Zz]|[+\- ]\d{2}:?\d{2})?)?$/;

/** Parses an ISO 8601 date or date-time; naive values are UTC. Undefined when malformed or impossible. */
export function parseIsoDate(value: string): Date | undefined {
  const m = DATE_RE.exec(value.trim());
  if (m === null) return undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone = 'Z'] = m;
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const probe = new Date(Date.UTC(Number(y), month - 1, day));
  if (probe.getUTCDate() !== day) return undefined;
  const ms = frac === '' ? '' : frac.slice(0, 4).padEnd(4, '0');
  // `2025-08-01T12:00:00+00:00` typed into a URL unencoded decodes to `…00 00:00`: that space was a +.
  const signed = zone.startsWith(' ') ? `+${zone.slice(1)}` : zone;
  const offset = signed === 'Z' || signed === 'z' ? 'Z' : signed.includes(':') ? signed : `${signed.slice(0, 3)}:${signed.slice(3)}`;
  const parsed = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${ms}${offset}`);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed;
}

function parseNonNegativeInt(value: string): number | undefined {
  if (!/^\d{1,15}$/.test(value)) return undefined;
  return Number(value);
}

export function parseListQuery(raw: Record<string, unknown>, rules: ListQueryRules = {}): ListQuery {
  const problems: Problem[] = [];
  const query: ListQuery = { top: MAX_PAGE_SIZE, skip: 0, count: false, orderBy: [], createdAfter: null, createdBefore: null, isStarred: null };

  const top = single(raw, '$top', problems);
  if (top !== undefined) {
    const n = parseNonNegativeInt(top);
    if (n === undefined || n > MAX_PAGE_SIZE) problems.push({ target: '$top', message: `$top must be an integer between 0 and ${MAX_PAGE_SIZE}` });
    else query.top = n;
  }
  const skip = single(raw, '$skip', problems);
  if (skip !== undefined) {
    const n = parseNonNegativeInt(skip);
    if (n === undefined) problems.push({ target: '$skip', message: '$skip must be a non-negative integer' });
    else query.skip = n;
  }
  const count = single(raw, '$count', problems);
  if (count !== undefined) {
    const b = parseBool(count);
    if (b === undefined) problems.push({ target: '$count', message: '$count must be true or false' });
    else query.count = b;
  }
  const orderBy = single(raw, '$orderby', problems);
  if (orderBy !== undefined) {
    const allowed = rules.orderBy ?? [];
    if (allowed.length === 0) problems.push({ target: '$orderby', message: '$orderby is not supported here' });
    else {
      for (const term of orderBy.split(',')) {
        const parts = term.trim().split(/\s+/);
        const [field = '', dir, ...rest] = parts;
        const direction = dir?.toLowerCase();
        if (!allowed.includes(field) || rest.length > 0 || (direction !== undefined && direction !== 'asc' && direction !== 'desc')) {
          problems.push({ target: '$orderby', message: `$orderby term "${term.trim()}" is invalid; fields: ${allowed.join(', ')}, optionally followed by asc or desc` });
        } else if (query.orderBy.some((t) => t.field === field)) {
          problems.push({ target: '$orderby', message: `$orderby names ${field} twice` });
        } else {
          query.orderBy.push({ field, desc: direction === 'desc' });
        }
      }
    }
  }
  if (rules.createdRange === true) {
    for (const [name, key] of [['created_after', 'createdAfter'], ['created_before', 'createdBefore']] as const) {
      const value = single(raw, name, problems);
      if (value === undefined) continue;
      const date = parseIsoDate(value);
      if (date === undefined) problems.push({ target: name, message: `${name} must be an ISO 8601 date-time` });
      else query[key] = date;
    }
  }
  if (rules.starred === true) {
    const starred = single(raw, 'is_starred', problems);
    if (starred !== undefined) {
      const b = parseBool(starred);
      if (b === undefined) problems.push({ target: 'is_starred', message: 'is_starred must be true, 1, false or 0' });
      else query.isStarred = b;
    }
  }

  const first = problems[0];
  if (first !== undefined) {
    throw new StampedeError('STAMPEDE_ERR_VALIDATION', problems.length === 1 ? first.message : 'Invalid query parameters', {
      target: first.target,
      details: problems,
    });
  }
  return query;
}

/** A path or body id: a positive integer within JavaScript's safe range. */
export function parseId(value: unknown, target: string): number {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text === 'string' && /^[1-9]\d{0,15}$/.test(text)) {
    const n = Number(text);
    if (Number.isSafeInteger(n)) return n;
  }
  throw new StampedeError('STAMPEDE_ERR_VALIDATION', `${target} must be a positive integer`, { target, details: [{ target, message: `${target} must be a positive integer` }] });
}
