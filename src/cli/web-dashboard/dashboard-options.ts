// The web dashboard's options as k6's built-in xk6-dashboard reads them (internal/dashboard/options.go):
// K6_WEB_DASHBOARD_* variables first, then the `--out web-dashboard=key=value&…` argument over them
// (a URL query: `port=5665&period=2s&export=report.html`). Errors carry k6's text; the caller wraps
// them as k6's createOutputs does ("could not create the 'web-dashboard' output: …").

export interface DashboardOptions {
  /** -1: no HTTP server (the report can still be exported); 0: any free port. */
  readonly port: number;
  /** "" binds every interface, as Go's net.Listen(":5665"); the printed URL then says 127.0.0.1. */
  readonly host: string;
  /** How often snapshot events are sent (before the run-length adjustment of `eventPeriodMs`). */
  readonly periodMs: number;
  /** Accepted; no browser is opened. */
  readonly open: boolean;
  /** The HTML report written when the run ends ("" for none); `report` is its older name. */
  readonly export: string;
  /** An NDJSON file every event but `config` is written to as it happens ("" for none; `.gz`: gzipped). */
  readonly record: string;
  /** Tags whose values make submetrics (`http_req_duration{group:::main}`); default `group`. */
  readonly tags: readonly string[];
}

export const DEFAULT_DASHBOARD_PORT = 5665;
const DEFAULT_PERIOD_MS = 10_000;
/** xk6-dashboard caps a run at this many periods (about 1 MB of report for 8 h at 10 s). */
const MAX_POINTS = 2880;

export class DashboardOptionsError extends Error {}

/** Go's strconv.Atoi, with its error text. */
function goAtoi(text: string): number {
  if (!/^[+-]?\d+$/.test(text)) throw new DashboardOptionsError(`strconv.Atoi: parsing ${JSON.stringify(text)}: invalid syntax`);
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new DashboardOptionsError(`strconv.Atoi: parsing ${JSON.stringify(text)}: value out of range`);
  return n;
}

const UNIT_MS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go's time.ParseDuration ("10s", "1m30s", "0"); xk6-dashboard reports any failure as "invalid duration". */
function goDurationMs(text: string): number {
  const invalid = new DashboardOptionsError('invalid duration');
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') throw invalid;
  let total = 0;
  const part = /^(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/;
  while (rest !== '') {
    const m = part.exec(rest);
    if (m === null) throw invalid;
    total += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
    rest = rest.slice(m[0].length);
  }
  return sign * total;
}

/** Go's url.QueryUnescape ('+' is a space), with its error for a bad escape. */
function queryUnescape(s: string): string {
  const bad = /%(?![0-9a-fA-F]{2})(.{0,2})/.exec(s);
  if (bad !== null) throw new DashboardOptionsError(`invalid URL escape ${JSON.stringify(`%${bad[1] ?? ''}`)}`);
  const spaced = s.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    // Bytes that are not UTF-8: Go keeps them; here they become replacement characters.
    return Buffer.from(spaced.replace(/%([0-9a-fA-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
  }
}

/** Go's url.ParseQuery: every value of every key, in order; its first error wins. */
function parseQuery(query: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    if (pair.includes(';')) throw new DashboardOptionsError('invalid semicolon separator in query');
    const eq = pair.indexOf('=');
    const key = queryUnescape(eq < 0 ? pair : pair.slice(0, eq));
    const value = queryUnescape(eq < 0 ? '' : pair.slice(eq + 1));
    out.set(key, [...(out.get(key) ?? []), value]);
  }
  return out;
}

/** k6's envopts then getopts: the variables, then the output argument over them. Throws DashboardOptionsError. */
export function dashboardOptions(query: string, env: Readonly<Record<string, string | undefined>>): DashboardOptions {
  let port = DEFAULT_DASHBOARD_PORT;
  let host = '';
  let periodMs = DEFAULT_PERIOD_MS;
  let open = false;
  let exportFile = '';
  let record = '';
  let tags: string[] = ['group'];

  const envPort = env.K6_WEB_DASHBOARD_PORT;
  if (envPort !== undefined) port = goAtoi(envPort);
  if (env.K6_WEB_DASHBOARD_HOST !== undefined) host = env.K6_WEB_DASHBOARD_HOST;
  const envExport = env.K6_WEB_DASHBOARD_EXPORT ?? env.K6_WEB_DASHBOARD_REPORT;
  if (envExport !== undefined) exportFile = envExport;
  if (env.K6_WEB_DASHBOARD_RECORD !== undefined) record = env.K6_WEB_DASHBOARD_RECORD;
  if (env.K6_WEB_DASHBOARD_PERIOD !== undefined) periodMs = goDurationMs(env.K6_WEB_DASHBOARD_PERIOD);
  if (env.K6_WEB_DASHBOARD_OPEN === 'true') open = true;
  if (env.K6_WEB_DASHBOARD_TAGS !== undefined) tags = env.K6_WEB_DASHBOARD_TAGS.split(',');

  if (query !== '') {
    const q = parseQuery(query);
    const first = (key: string): string => q.get(key)?.[0] ?? '';
    if (first('port') !== '') port = goAtoi(first('port'));
    if (first('host') !== '') host = first('host');
    if (first('export') !== '') exportFile = first('export');
    else if (first('report') !== '') exportFile = first('report');
    if (first('record') !== '') record = first('record');
    if (first('period') !== '') periodMs = goDurationMs(first('period'));
    const tag = q.get('tag');
    if (tag !== undefined && tag.length > 0) tags = tag;
    if (q.has('open') && (first('open') === '' || first('open') === 'true')) open = true;
    if (first('tags') !== '') tags = [...tags, ...first('tags').split(',')];
  }
  return { port, host, periodMs, open, export: exportFile, record, tags };
}

/** The address to listen on, undefined for a negative port (no server). */
export function listenAddress(o: DashboardOptions): { host: string | undefined; port: number } | undefined {
  if (o.port < 0) return undefined;
  return { host: o.host === '' ? undefined : o.host, port: o.port };
}

/** What k6 prints after "web dashboard:": the URL, "" without a server. */
export function dashboardUrl(o: DashboardOptions, port: number = o.port): string {
  if (o.port < 0) return '';
  const host = o.host === '' ? '127.0.0.1' : o.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * The period events are sent at (xk6-dashboard options.period): the option's, or a whole multiple of
 * it so that a long run sends at most 2880 snapshots. `endOffsetMs` 0 keeps the option's.
 */
export function eventPeriodMs(o: DashboardOptions, endOffsetMs: number): number {
  if (endOffsetMs === 0 || o.periodMs <= 0) return o.periodMs;
  return Math.ceil(endOffsetMs / MAX_POINTS / o.periodMs) * o.periodMs;
}
