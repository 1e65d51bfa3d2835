// k6's number formatting for the end-of-test summary (internal/js/summary.js humanizeValue & co.).
import type { MetricContains, MetricType } from '../vu/vu-host.ts';

export interface MetricKind {
  readonly type: MetricType;
  readonly contains: MetricContains;
}

const BYTE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
const TIME_UNITS: Readonly<Record<string, { unit: string; coef: number }>> = {
  s: { unit: 's', coef: 0.001 },
  ms: { unit: 'ms', coef: 1 },
  us: { unit: 'µs', coef: 1000 },
};

/** `val.toFixed(prec)` without trailing zeros ("1.5", "2"). */
export function toFixedNoTrailingZeros(val: number, prec: number): string {
  return String(parseFloat(val.toFixed(prec)));
}

function toFixedNoTrailingZerosTrunc(val: number, prec: number): string {
  const mult = 10 ** prec;
  return toFixedNoTrailingZeros(Math.trunc(mult * val) / mult, prec);
}

/** Decimal (SI) byte sizes: "999 B", "1.2 kB", "12 MB". */
export function humanizeBytes(bytes: number): string {
  if (bytes < 10) return `${bytes} B`;
  const e = Math.floor(Math.log(bytes) / Math.log(1000));
  const val = Math.floor((bytes / 1000 ** e) * 10 + 0.5) / 10;
  return `${val.toFixed(val < 10 ? 1 : 0)} ${BYTE_UNITS[e | 0] ?? ''}`;
}

/** A duration in ms, humanised ("1.23ms", "4.56s", "1m2s") and truncated rather than rounded. */
export function humanizeGenericDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 0.001) return `${Math.trunc(ms * 1_000_000)}ns`;
  if (ms < 1) return `${toFixedNoTrailingZerosTrunc(ms * 1000, 2)}µs`;
  if (ms < 1000) return `${toFixedNoTrailingZerosTrunc(ms, 2)}ms`;
  let out = `${toFixedNoTrailingZerosTrunc((ms % 60000) / 1000, ms > 60000 ? 0 : 2)}s`;
  let rest = Math.trunc(ms / 60000);
  if (rest < 1) return out;
  out = `${rest % 60}m${out}`;
  rest = Math.trunc(rest / 60);
  if (rest < 1) return out;
  return `${rest}h${out}`;
}

/** With `summaryTimeUnit` (s, ms, us) set, a fixed unit with 2 decimals; otherwise humanised. */
export function humanizeDuration(ms: number, timeUnit: string | undefined): string {
  const fixed = timeUnit && Object.hasOwn(TIME_UNITS, timeUnit) ? TIME_UNITS[timeUnit] : undefined;
  if (fixed) return `${(ms * fixed.coef).toFixed(2)}${fixed.unit}`;
  return humanizeGenericDuration(ms);
}

export function humanizeValue(val: number, metric: MetricKind, timeUnit: string | undefined): string {
  if (metric.type === 'rate') return `${(Math.trunc(val * 100 * 100) / 100).toFixed(2)}%`;
  switch (metric.contains) {
    case 'data':
      return humanizeBytes(val);
    case 'time':
      return humanizeDuration(val, timeUnit);
    default:
      return toFixedNoTrailingZeros(val, 6);
  }
}
