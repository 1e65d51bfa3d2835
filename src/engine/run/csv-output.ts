// `--out csv`: k6's CSV output (internal/output/csv) made from the run's sample points. One row per
// sample: metric_name, timestamp, metric_value (Go's %f), a column per enabled system tag (sorted,
// vu and iter excluded: they are metadata in k6), extra_tags (the others, "k=v&k=v") and metadata.
// The argument is a file name, or fileName=…,timeFormat=…,saveInterval=…; "-" is stdout, none is
// K6_CSV_FILENAME or file.csv, and a name ending in .gz is gzipped.

import { parseDuration } from '../../core/index.ts';

export type CsvTimeFormat = 'unix' | 'unix_milli' | 'unix_micro' | 'unix_nano' | 'rfc3339' | 'rfc3339_nano';

const TIME_FORMATS: readonly CsvTimeFormat[] = ['unix', 'unix_milli', 'unix_micro', 'unix_nano', 'rfc3339', 'rfc3339_nano'];
const NON_INDEXABLE = new Set(['vu', 'iter']);

export interface CsvOutputConfig {
  /** "-" for stdout. */
  readonly file: string;
  readonly timeFormat: CsvTimeFormat;
}

/** k6's types.NullDuration text check (Go's time.ParseDuration message); the value itself is unused. */
function checkSaveInterval(v: string): string | undefined {
  try {
    parseDuration(v);
    return undefined;
  } catch {
    return `time: invalid duration ${JSON.stringify(v)}`;
  }
}

/**
 * k6's csv ParseArg and config checks; throws a message for an invalid argument. `saveInterval`
 * (also K6_CSV_SAVE_INTERVAL) is checked as k6 does, but rows are written as the points arrive.
 */
export function parseCsvArgument(arg: string, env: Readonly<Record<string, string>> = {}, json?: unknown): CsvOutputConfig {
  // k6 GetConsolidatedConfig: defaults, then the config file's `collectors.csv`, then K6_CSV_*, then the argument.
  const fromJson = jsonConfig(json);
  const envInterval = env.K6_CSV_SAVE_INTERVAL;
  const envIntervalError = envInterval === undefined || envInterval === '' ? undefined : checkSaveInterval(envInterval);
  if (envIntervalError !== undefined) {
    throw new Error(`envconfig.Process: assigning K6_CSV_SAVE_INTERVAL to SaveInterval: converting '${envInterval}' to type types.NullDuration. details: ${envIntervalError}`);
  }
  let file = env.K6_CSV_FILENAME ?? fromJson.file_name ?? 'file.csv';
  let timeFormat = env.K6_CSV_TIME_FORMAT ?? fromJson.time_format ?? 'unix';
  if (arg === '') {
    // `-o csv`: k6 parses no argument, so the file is K6_CSV_FILENAME or file.csv.
  } else if (!arg.includes('=')) {
    file = arg;
  } else {
    for (const pair of arg.split(',')) {
      const eq = pair.indexOf('=');
      const key = eq < 0 ? pair : pair.slice(0, eq);
      const value = eq < 0 ? '' : pair.slice(eq + 1);
      if (value === '') throw new Error(`couldn't parse "${arg}" as argument for csv output`);
      if (key === 'fileName') file = value;
      else if (key === 'timeFormat') timeFormat = value;
      else if (key === 'saveInterval') {
        const invalid = checkSaveInterval(value);
        if (invalid !== undefined) throw new Error(invalid);
      } else throw new Error(`unknown key "${key}" as argument for csv output`);
    }
  }
  if (!(TIME_FORMATS as readonly string[]).includes(timeFormat)) {
    throw new Error(`${timeFormat} does not belong to TimeFormat values`);
  }
  return { file: file === '' ? '-' : file, timeFormat: timeFormat as CsvTimeFormat };
}

/** A config file's `collectors.csv` (k6's Config JSON: file_name, save_interval, time_format), checked as Go decodes it. */
function jsonConfig(json: unknown): { file_name?: string; time_format?: string } {
  if (json === undefined || json === null) return {};
  if (typeof json !== 'object' || Array.isArray(json)) {
    throw new Error(`json: cannot unmarshal ${Array.isArray(json) ? 'array' : typeof json} into Go value of type csv.Config`);
  }
  const out: { file_name?: string; time_format?: string } = {};
  for (const key of ['file_name', 'time_format'] as const) {
    const v = (json as Record<string, unknown>)[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') throw new Error(`json: cannot unmarshal ${Array.isArray(v) ? 'array' : typeof v} into Go struct field Config.${key} of type string`);
    out[key] = v;
  }
  const interval = (json as Record<string, unknown>).save_interval;
  if (typeof interval === 'string') {
    const invalid = checkSaveInterval(interval);
    if (invalid !== undefined) throw new Error(invalid);
  }
  return out;
}

/** Go's encoding/csv quoting of one field. */
function csvField(s: string): string {
  if (s === '') return s;
  const needs = s === '\\.' || /[",\r\n]/.test(s) || /^\s/u.test(s);
  return needs ? `"${s.replace(/"/g, '""')}"` : s;
}

function timestamp(iso: string, format: CsvTimeFormat): string {
  const ms = Date.parse(iso);
  switch (format) {
    case 'unix': return String(Math.floor(ms / 1000));
    case 'unix_milli': return String(ms);
    case 'unix_micro': return String(BigInt(ms) * 1000n);
    case 'unix_nano': return String(BigInt(ms) * 1000000n);
    case 'rfc3339': return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
    default: return new Date(ms).toISOString().replace(/\.?0+Z$/, 'Z');
  }
}

function pairs(values: Readonly<Record<string, string>> | undefined, skip: ReadonlySet<string>): string {
  if (values === undefined) return '';
  return Object.entries(values).filter(([k]) => !skip.has(k)).map(([k, v]) => `${k}=${v}`).join('&');
}

interface PointLine {
  readonly metric: string;
  readonly type: string;
  readonly data: { readonly time: string; readonly value: number; readonly tags?: Record<string, string>; readonly metadata?: Record<string, string> };
}

/** k6's CSV header row, with its newline. */
export function csvHeader(systemTags: readonly string[]): string {
  return `${['metric_name', 'timestamp', 'metric_value', ...csvColumns(systemTags), 'extra_tags', 'metadata'].join(',')}\n`;
}

function csvColumns(systemTags: readonly string[]): string[] {
  return [...new Set(systemTags)].filter((t) => !NON_INDEXABLE.has(t)).sort();
}

/** The CSV rows, each with its newline, of the Point lines among `lines` (`--out json` lines). */
export function csvRows(lines: readonly string[], systemTags: readonly string[], format: CsvTimeFormat): string {
  const columns = csvColumns(systemTags);
  const asColumn = new Set(columns);
  const none = new Set<string>();
  let out = '';
  for (const line of lines) {
    if (!line.startsWith('{"metric"')) continue;
    const p = JSON.parse(line) as PointLine;
    if (p.type !== 'Point') continue;
    const tags = p.data.tags ?? {};
    const row = [p.metric, timestamp(p.data.time, format), p.data.value.toFixed(6), ...columns.map((c) => tags[c] ?? '')];
    row.push(pairs(tags, asColumn), pairs(p.data.metadata, none));
    out += `${row.map(csvField).join(',')}\n`;
  }
  return out;
}

/** The CSV text (header and a row per Point line) for the run's `--out json` lines. */
export function csvFromPointLines(lines: readonly string[], systemTags: readonly string[], format: CsvTimeFormat): string {
  return csvHeader(systemTags) + csvRows(lines, systemTags, format);
}
