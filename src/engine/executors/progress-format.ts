// k6's fixed-width progress fragments (internal/ui/pb/helpers.go), so progress lines don't jump around:
// "%0Nd" counts padded to the width of their maximum, and durations like "0m05.0s/1m0s".
import { formatDuration } from '../../core/index.ts';

/** k6 GetFixedLengthIntFormat: zero-pads `v` to as many digits as `max` has. */
export function fixedInt(v: number, max: number): string {
  const width = String(Math.abs(Math.trunc(max))).length + (max < 0 ? 1 : 0);
  const s = String(Math.abs(Math.trunc(v))).padStart(width - (v < 0 ? 1 : 0), '0');
  return v < 0 ? `-${s}` : s;
}

/**
 * Go's `%.Nf`: toFixed, except that a value exactly halfway between two results rounds to the even one
 * (Go: 0.125 → "0.12"; toFixed: "0.13").
 */
export function goFixed(v: number, precision: number): string {
  const scale = 10 ** precision;
  const s = Math.abs(v) * scale;
  if (s % 1 !== 0.5 || s / scale !== Math.abs(v)) return v.toFixed(precision);
  const floor = Math.floor(s);
  const even = floor % 2 === 0 ? floor : floor + 1;
  return `${v < 0 ? '-' : ''}${(even / scale).toFixed(precision)}`;
}

/** k6 GetFixedLengthFloatFormat: `%0W.Pf` with W from the magnitude of `max`. */
export function fixedFloat(v: number, max: number, precision: number): string {
  let width = 1;
  let m = max;
  if (m < 0) {
    m = -m;
    width++;
  }
  if (m >= 10) width += Math.trunc(Math.log10(m));
  if (precision > 0) width += precision + 1;
  const s = goFixed(Math.abs(v), precision);
  return v < 0 ? `-${s.padStart(width - 1, '0')}` : s.padStart(width, '0');
}

/** k6 GetFixedLengthDuration: elapsed time rounded to 0.1s, with as many fields as `maxMs` needs. */
export function fixedDuration(ms: number, maxMs: number): string {
  const d = Math.abs(ms);
  let max = Math.max(Math.abs(maxMs), d);
  max = Math.round(max / 100) * 100;
  let u = Math.round(d / 100);
  const tenths = u % 10;
  u = Math.floor(u / 10);
  const secUnits = u % 10;
  u = Math.floor(u / 10);
  let out = `${secUnits}.${tenths}s`;
  if (max < 10_000) return out;
  out = `${u % 6}${out}`;
  u = Math.floor(u / 6);
  if (max < 60_000) return out;
  out = `${u % 10}m${out}`;
  u = Math.floor(u / 10);
  if (max < 600_000) return out;
  out = `${u % 6}${out}`;
  u = Math.floor(u / 6);
  if (max < 3_600_000) return out;
  const h = u % 24;
  u = Math.floor(u / 24);
  if (max < 36_000_000) return `${h % 10}h${out}`;
  out = `${Math.floor(h / 10)}${h % 10}h${out}`;
  if (max < 86_400_000) return out;
  let days = `${u % 10}`;
  u = Math.floor(u / 10);
  for (let rem = Math.floor(max / 864_000_000); rem > 0; rem = Math.floor(rem / 10)) {
    days = `${u % 10}${days}`;
    u = Math.floor(u / 10);
  }
  return `${days}d${out}`;
}

/** "spent/total" as k6 shows it, e.g. "05.0s/30s" or "0m05.0s/1m0s". */
export function spentOf(spentMs: number, totalMs: number): string {
  return `${fixedDuration(spentMs, totalMs)}/${formatDuration(totalMs)}`;
}
