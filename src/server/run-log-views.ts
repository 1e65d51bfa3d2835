// A run's log lines as the server shows them: as JSON items of the `/test_runs/{id}/logs` extension,
// and in Loki's shapes (streams of [nanoseconds, line] values grouped by label set) for the Loki query
// and tail endpoints k6 and Grafana speak (the queries they take are read in logql.ts).
import { StampedeError } from '../core/index.ts';
import type { StoredRunLogLine } from '../store/index.ts';

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

/** Lines grouped into Loki streams by label set, each stream's values in the lines' order. */
export function lokiStreams(lines: readonly StoredRunLogLine[], withIds = false): LokiStream[] {
  const streams = new Map<string, LokiStream>();
  for (const line of lines) {
    const labels = { ...line.labels, level: line.level };
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
 * A Loki time parameter as epoch microseconds: nanoseconds (k6 and Grafana send those), or an RFC
 * 3339 date; `undefined` when absent. A bad one is a 400 naming the parameter.
 */
export function lokiTimeUs(raw: unknown, name: string): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw === 'string' && /^\d{1,19}$/.test(raw)) {
    // Loki reads a number as nanoseconds; a short one (seconds, as some clients send) as seconds.
    return raw.length <= 10 ? Number(raw) * 1_000_000 : Number(BigInt(raw) / 1000n);
  }
  if (typeof raw === 'string' && /^\d{4}-\d\d-\d\dT/.test(raw) && !Number.isNaN(Date.parse(raw))) return Date.parse(raw) * 1000;
  const message = `${name} must be a Unix time in nanoseconds or an RFC 3339 date`;
  throw new StampedeError('STAMPEDE_ERR_VALIDATION', message, { target: name, details: [{ target: name, message }] });
}
