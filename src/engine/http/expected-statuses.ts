// `http.expectedStatuses(...)` builds the response callback that decides `expected_response` and
// `http_req_failed`. Like k6, only values built by it are accepted as callbacks.

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

  matches(status: number): boolean {
    if (this.exact.has(status)) return true;
    for (const r of this.ranges) if (status >= r.min && status <= r.max) return true;
    return false;
  }
}

export function expectedStatuses(...args: unknown[]): ExpectedStatuses {
  const exact: number[] = [];
  const ranges: StatusRange[] = [];
  args.forEach((arg, i) => {
    if (typeof arg === 'number' && Number.isInteger(arg)) {
      exact.push(arg);
    } else if (arg !== null && typeof arg === 'object' && 'min' in arg && 'max' in arg) {
      const { min, max } = arg as { min: unknown; max: unknown };
      if (typeof min !== 'number' || typeof max !== 'number') {
        throw new TypeError(`expectedStatuses: argument ${i} has non-numeric min/max`);
      }
      ranges.push({ min, max });
    } else {
      throw new TypeError(
        `expectedStatuses: argument ${i} must be an integer status or an object {min, max}, got ${JSON.stringify(arg)}`,
      );
    }
  });
  return new ExpectedStatuses(exact, ranges);
}

export const DEFAULT_RESPONSE_CALLBACK = new ExpectedStatuses([], [{ min: 200, max: 399 }]);

/** Validates a value given to setResponseCallback or the responseCallback param. */
export function toResponseCallback(value: unknown): ExpectedStatuses | null {
  if (value === null || value === undefined) return null;
  if (value instanceof ExpectedStatuses) return value;
  throw new TypeError('the response callback must be the result of http.expectedStatuses() or null');
}
