// A run's log lines as the server shows them: as JSON items of the `/test_runs/{id}/logs` extension,
// and in Loki's shapes (streams of [nanoseconds, line] values grouped by label set) for the Loki query
// and tail endpoints k6 and Grafana speak. Also the one Loki query the server answers: a label
// selector naming a test run, `{test_run_id="123"}`, optionally with more `label="value"` matchers.
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

/** Loki's push/tail/query stream: its labels (the line's, with `level`) and its [ns, line] values. */
export interface LokiStream {
  stream: Record<string, string>;
  values: [string, string][];
}

/** Lines grouped into Loki streams by label set, each stream's values in the lines' order. */
export function lokiStreams(lines: readonly StoredRunLogLine[]): LokiStream[] {
  const streams = new Map<string, LokiStream>();
  for (const line of lines) {
    const labels = { ...line.labels, level: line.level };
    const key = JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    let stream = streams.get(key);
    if (stream === undefined) {
      stream = { stream: labels, values: [] };
      streams.set(key, stream);
    }
    stream.values.push([`${Math.trunc(line.time)}000`, line.message]);
  }
  return [...streams.values()];
}

/** A parsed Loki selector: the run it names and the other labels a line must carry. */
export interface LokiSelector {
  testRunId: number;
  matchers: Record<string, string>;
}

const MATCHER = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*$/;

/** Parses `{test_run_id="123", level="error"}`; anything else (regex matchers, pipelines) is a 400 saying what is supported. */
export function parseLokiSelector(query: unknown): LokiSelector {
  const fail = (why: string): never => {
    const message = `${why}: this server answers label selectors naming a test run, such as {test_run_id="123"} or {test_run_id="123", level="error"}`;
    throw new StampedeError('STAMPEDE_ERR_VALIDATION', message, { target: 'query', details: [{ target: 'query', message }] });
  };
  if (typeof query !== 'string' || query.trim() === '') return fail('The query parameter "query" is required');
  const text = query.trim();
  if (!text.startsWith('{') || !text.endsWith('}')) return fail(`Unsupported query ${JSON.stringify(text)}`);
  const matchers: Record<string, string> = {};
  for (const part of splitMatchers(text.slice(1, -1))) {
    const m = MATCHER.exec(part);
    if (m === null) return fail(`Unsupported matcher ${JSON.stringify(part.trim())}`);
    matchers[m[1] as string] = JSON.parse(`"${m[2] as string}"`) as string;
  }
  const { test_run_id: runId, ...rest } = matchers;
  if (runId === undefined || !/^[1-9]\d{0,15}$/.test(runId)) return fail('The selector must name a test run by its id (test_run_id="…")');
  return { testRunId: Number(runId), matchers: rest };
}

/** Splits matchers on commas outside quoted values. */
function splitMatchers(body: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c === '\\' && quoted) {
      current += c + (body[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === ',' && !quoted) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  if (current.trim() !== '' || parts.length > 0) parts.push(current);
  return parts;
}

/** Whether a line carries every matcher's label value (`level` is the line's level). */
export function matchesSelector(line: StoredRunLogLine, matchers: Readonly<Record<string, string>>): boolean {
  for (const [key, value] of Object.entries(matchers)) {
    const actual = key === 'level' ? line.level : line.labels[key];
    if (actual !== value) return false;
  }
  return true;
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
