// The k6 options (JS names, k6 lib/options.go), as one tier sets them and as the consolidated result.
// Durations are milliseconds; `scenarios` stays the raw JSON object until consolidation, so only the
// winning tier's scenarios are decoded and validated.
import type { JsonObject, StageInput } from '../executors/config-fields.ts';

export type { StageInput } from '../executors/config-fields.ts';

/** One entry of a threshold list: an expression or the object form. Expressions are checked elsewhere. */
export type ThresholdInput = string | { threshold: string; abortOnFail?: boolean; delayAbortEval?: string };

export interface DnsOptions {
  /** "inf", "0" or a duration string. */
  ttl?: string;
  select?: 'first' | 'random' | 'roundRobin';
  policy?: 'preferIPv4' | 'preferIPv6' | 'onlyIPv4' | 'onlyIPv6' | 'any';
}

export interface TlsAuthEntry {
  domains?: string[];
  cert: string;
  key: string;
  password?: string;
}

/** What one tier (script, `K6_*` env, CLI) sets. Absent means "not set in this tier". */
export interface K6Options {
  paused?: boolean;
  vus?: number;
  duration?: number;
  iterations?: number;
  stages?: StageInput[];
  scenarios?: Record<string, JsonObject>;
  executionSegment?: string;
  executionSegmentSequence?: string;
  noSetup?: boolean;
  setupTimeout?: number;
  noTeardown?: boolean;
  teardownTimeout?: number;
  handleSummaryTimeout?: number;
  rps?: number;
  dns?: DnsOptions;
  maxRedirects?: number;
  userAgent?: string;
  batch?: number;
  batchPerHost?: number;
  /** "" (off), "headers" or "full". */
  httpDebug?: string;
  insecureSkipTLSVerify?: boolean;
  tlsCipherSuites?: string[];
  tlsVersion?: string | { min?: string; max?: string };
  tlsAuth?: TlsAuthEntry[];
  throw?: boolean;
  thresholds?: Record<string, ThresholdInput[]>;
  blacklistIPs?: string[];
  blockHostnames?: string[];
  /** Hostname (or `*.domain`) → "ip" or "ip:port". */
  hosts?: Record<string, string>;
  noConnectionReuse?: boolean;
  noVUConnectionReuse?: boolean;
  minIterationDuration?: number;
  /** Opaque; k6 itself reads only projectID, name, token, stackID. */
  cloud?: JsonObject;
  /** Legacy extension bag (k6 v2 ignores ext.loadimpact); opaque. */
  ext?: JsonObject;
  summaryTrendStats?: string[];
  summaryTimeUnit?: string;
  systemTags?: string[];
  tags?: Record<string, string>;
  metricSamplesBufferSize?: number;
  noCookiesReset?: boolean;
  discardResponseBodies?: boolean;
  localIPs?: string;
  consoleOutput?: string;
  features?: string[];
  /** A runtime option in k6 (env `K6_NO_THRESHOLDS`, `--no-thresholds`); not read from scripts. */
  noThresholds?: boolean;
}

export const STAMPEDE_VERSION = '0.1.0';
/** The k6 release whose semantics we follow; scripts and servers expect a `Grafana k6/…` User-Agent. */
export const K6_COMPAT_VERSION = '2.2.0';
export const DEFAULT_USER_AGENT = `Grafana k6/${K6_COMPAT_VERSION} Stampede/${STAMPEDE_VERSION}`;

export const DEFAULT_SUMMARY_TREND_STATS: readonly string[] = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'];

/** k6 metrics/system_tag.go: every known system tag, and those on by default. */
export const SYSTEM_TAGS: readonly string[] = [
  'proto', 'subproto', 'status', 'method', 'url', 'name', 'group', 'check', 'error', 'error_code',
  'tls_version', 'scenario', 'service', 'expected_response', 'vu', 'iter', 'ocsp_status', 'ip',
];
export const DEFAULT_SYSTEM_TAGS: readonly string[] = [
  'proto', 'subproto', 'status', 'method', 'url', 'name', 'group', 'check', 'error', 'error_code',
  'tls_version', 'scenario', 'service', 'expected_response',
];

/** Consolidated options: every tier merged and k6's hard-coded defaults filled in. */
export interface ResolvedOptions extends K6Options {
  setupTimeout: number;
  teardownTimeout: number;
  handleSummaryTimeout: number;
  noSetup: boolean;
  noTeardown: boolean;
  userAgent: string;
  batch: number;
  batchPerHost: number;
  httpDebug: string;
  insecureSkipTLSVerify: boolean;
  throw: boolean;
  thresholds: Record<string, ThresholdInput[]>;
  hosts: Record<string, string>;
  noConnectionReuse: boolean;
  noVUConnectionReuse: boolean;
  summaryTrendStats: string[];
  systemTags: string[];
  tags: Record<string, string>;
  dns: Required<DnsOptions>;
  discardResponseBodies: boolean;
  noCookiesReset: boolean;
  noThresholds: boolean;
}

/** k6 config.go applyDefault plus the flag defaults k6 bakes in. Only fills what is still unset. */
export function applyDefaults(o: K6Options): ResolvedOptions {
  return {
    ...o,
    setupTimeout: o.setupTimeout ?? 60_000,
    teardownTimeout: o.teardownTimeout ?? 60_000,
    handleSummaryTimeout: o.handleSummaryTimeout ?? 120_000,
    noSetup: o.noSetup ?? false,
    noTeardown: o.noTeardown ?? false,
    userAgent: o.userAgent ?? DEFAULT_USER_AGENT,
    batch: o.batch ?? 20,
    batchPerHost: o.batchPerHost ?? 6,
    httpDebug: o.httpDebug ?? '',
    insecureSkipTLSVerify: o.insecureSkipTLSVerify ?? false,
    throw: o.throw ?? false,
    thresholds: o.thresholds ?? {},
    hosts: o.hosts ?? {},
    noConnectionReuse: o.noConnectionReuse ?? false,
    noVUConnectionReuse: o.noVUConnectionReuse ?? false,
    summaryTrendStats: o.summaryTrendStats ?? [...DEFAULT_SUMMARY_TREND_STATS],
    systemTags: o.systemTags ?? [...DEFAULT_SYSTEM_TAGS],
    tags: o.tags ?? {},
    dns: { ttl: o.dns?.ttl ?? '5m', select: o.dns?.select ?? 'random', policy: o.dns?.policy ?? 'preferIPv4' },
    discardResponseBodies: o.discardResponseBodies ?? false,
    noCookiesReset: o.noCookiesReset ?? false,
    noThresholds: o.noThresholds ?? false,
  };
}
