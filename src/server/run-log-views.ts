// A run's log lines as the server shows them: as JSON items of the `/test_runs/{id}/logs` extension,
// and in Loki's shapes (streams of [nanoseconds, line] values grouped by label set) for the Loki query
// and tail endpoints k6 and Grafana speak (the queries they take are read in logql.ts).
import type { StoredRunLogLine } from '../store/index.ts';
import { validationError } from './validation-error.ts';

/** Where the Loki tail WebSocket is served (k6's K6_CLOUD_LOGS_TAIL_URL points here). */
export const LOKI_TAIL_PATH = '/loki/api/v1/tail';

/** An item of GET /cloud/v6/test_runs/{id}/logs. */
export interface RunLogItem {
  id: number;
  /** RFC 3339 with microseconds. */
  time: string;
  level: string;
  message: string;
  labels: Record<string, string>;
}

export function runLogItem(line: StoredRunLogLine): RunLogItem {
  const us = line.time;
  const iso = new Date(Math.floor(us / 1000)).toISOString();
  const micros = String(((us % 1_000_000) + 1_000_000) % 1_000_000).padStart(6, '0');
  return { id: line.id, time: `${iso.slice(0, 19)}.${micros}Z`, level: line.level, message: line.message, labels: line.labels };
}

/**
 * Loki's push/tail/query stream: its labels (the line's, with `level`) and its [ns, line] values; with
 * ids (a tail resumed by line id) each value has a third element, `{"id": "<line id>"}`.
 */
export interface LokiStream {
  stream: Record<string, string>;
  values: ([string, string] | [string, string, { id: string }])[];
}

/** Lines grouped into Loki streams by label set (less the `| drop` labels), each stream's values in the lines' order. */
export function lokiStreams(lines: readonly StoredRunLogLine[], withIds = false, dropped: readonly string[] = []): LokiStream[] {
  const streams = new Map<string, LokiStream>();
  for (const line of lines) {
    const labels: Record<string, string> = { ...line.labels, level: line.level };
    for (const d of dropped) delete labels[d];
    const key = JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    let stream = streams.get(key);
    if (stream === undefined) {
      stream = { stream: labels, values: [] };
      streams.set(key, stream);
    }
    const ns = `${Math.trunc(line.time)}000`;
    stream.values.push(withIds ? [ns, line.message, { id: String(line.id) }] : [ns, line.message]);
  }
  return [...streams.values()];
}

/**
 * A Loki time parameter as epoch microseconds, read as Loki's parseTimestamp does: an integer of up
 * to 10 digits is seconds, a longer one nanoseconds (k6 and Grafana send those), a number with a
 * point is seconds with a fraction, else an RFC 3339 date; `undefined` when absent. A bad one is a
 * 400 naming the parameter.
 */
export function lokiTimeUs(raw: unknown, name: string): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw === 'string' && /^\d{1,19}$/.test(raw)) {
    return raw.length <= 10 ? Number(raw) * 1_000_000 : Number(BigInt(raw) / 1000n);
  }
  if (typeof raw === 'string' && /^(\d{1,10}\.\d*|\.\d+)$/.test(raw)) return Math.round(Number(raw) * 1000) * 1000;
  if (typeof raw === 'string' && /^\d{4}-\d\d-\d\dT/.test(raw) && !Number.isNaN(Date.parse(raw))) return Date.parse(raw) * 1000;
  const message = `${name} must be a Unix time in nanoseconds or seconds, or an RFC 3339 date`;
  throw validationError(name, message);
}

/** Loki's window when neither `start` nor `since` is given: the hour before `end`. */
const LOKI_DEFAULT_SINCE_US = 3_600_000_000;

const DURATION_UNITS_US: Record<string, number> = { y: 365 * 86_400e6, w: 7 * 86_400e6, d: 86_400e6, h: 3_600e6, m: 60e6, s: 1e6, ms: 1e3 };

/** A Prometheus duration (`1h30m`, `7d`, `500ms`: units y w d h m s ms, largest first) in µs. */
export function durationUs(raw: string, name: string): number {
  const m = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/.exec(raw);
  if (raw === '0') return 0;
  if (m === null || raw === '') {
    const message = `${name} must be a duration such as 30m, 1h or 7d`;
    throw validationError(name, message);
  }
  return ['y', 'w', 'd', 'h', 'm', 's', 'ms'].reduce((us, unit, i) => us + Number(m[i + 1] ?? 0) * (DURATION_UNITS_US[unit] as number), 0);
}

/**
 * The window [since, until) in epoch µs of a Loki request's `start`, `end` and `since`, as Loki's
 * determineBounds reads them: `end` defaults to now; `start` to `since` (default 1h) before `end`,
 * or before now when `end` is in the future.
 */
export function lokiBounds(query: Record<string, unknown>, nowUs: number): { since: number; until: number } {
  const rawSince = query['since'];
  const back = rawSince === undefined || rawSince === '' ? LOKI_DEFAULT_SINCE_US : durationUs(typeof rawSince === 'string' ? rawSince : '', 'since');
  const until = lokiTimeUs(query['end'], 'end') ?? nowUs;
  const since = lokiTimeUs(query['start'], 'start') ?? Math.min(until, nowUs) - back;
  return { since, until };
}
