// `http.expectedStatuses(...)` builds the response callback that decides `expected_response` and
// `http_req_failed`. Like k6, only values built by it are accepted as callbacks.
import { goError } from '../vu/go-error.ts';

interface StatusRange {
  readonly min: number;
  readonly max: number;
}

export class ExpectedStatuses {
  private readonly exact: ReadonlySet<number>;
  private readonly ranges: readonly StatusRange[];

  constructor(exact: Iterable<number>, ranges: readonly StatusRange[]) {
    this.exact = new Set(exact);
    this.ranges = ranges;
  }

  /** This callback, also expecting `status`. */
  plus(status: number): ExpectedStatuses {
    return new ExpectedStatuses([...this.exact, status], this.ranges);
  }

  matches(status: number): boolean {
    if (this.exact.has(status)) return true;
    for (const r of this.ranges) if (status >= r.min && status <= r.max) return true;
    return false;
  }
}

/**
 * k6's expectedStatuses (response_callback.go): integers (Number.isInteger) and {min, max} objects of
 * integers, numbered from 1 in its errors; no argument at all is an error too.
 */
export function expectedStatuses(...args: unknown[]): ExpectedStatuses {
  if (args.length === 0) throw goError('no arguments');
  const exact: number[] = [];
  const ranges: StatusRange[] = [];
  args.forEach((arg, i) => {
    if (arg === null || arg === undefined) throw new TypeError('Cannot convert undefined or null to object');
    if (Number.isInteger(arg)) {
      exact.push(arg as number);
      return;
    }
    const o = Object(arg) as { min?: unknown; max?: unknown };
    if (!('min' in o) || !('max' in o)) {
      throw goError(`argument number ${i + 1} to expectedStatuses was neither an integer nor an object like {min:100, max:329}`);
    }
    if (!Number.isInteger(o.min) || !Number.isInteger(o.max)) {
      throw goError(`both min and max need to be integers for argument number ${i + 1}`);
    }
    ranges.push({ min: o.min as number, max: o.max as number });
  });
  return new ExpectedStatuses(exact, ranges);
}

export const DEFAULT_RESPONSE_CALLBACK = new ExpectedStatuses([], [{ min: 200, max: 399 }]);

/**
 * Validates a value given to setResponseCallback (`where` 'setResponseCallback') or the
 * responseCallback param, with k6's message for each.
 */
export function toResponseCallback(value: unknown, where: 'setResponseCallback' | 'param' = 'param'): ExpectedStatuses | null {
  // k6's param reads Export() (undefined is nil: no callback); SetResponseCallback accepts only null
  // besides an expectedStatuses object, so `http.setResponseCallback()` / `(undefined)` throws there.
  if (value === null || (value === undefined && where === 'param')) return null;
  if (value instanceof ExpectedStatuses) return value;
  throw goError(where === 'param' ? 'unsupported responseCallback' : 'unsupported argument, expected http.expectedStatuses');
}
