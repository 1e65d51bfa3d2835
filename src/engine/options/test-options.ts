// k6/execution `test.options`: the consolidated and derived options as k6 gives them to scripts
// (k6 internal/js/modules/k6/execution/execution.go optionsAsObject): `json.Marshal(lib.Options)`,
// then JSON.parse in the VU's runtime, without the execution shortcuts (vus, duration, iterations,
// stages: this object has them, for the VU's exported `options`), deeply frozen (both done by
// modules/k6-execution-module.ts). Go's marshalling decides the shape:
// - every field of lib.Options is present, in the struct's order; an option nobody set is null (the
//   null.* types and types.NullDuration marshal "not valid" as null), except what k6's applyDefault
//   fills with a valid value (systemTags, summaryTrendStats) and `cloud` (omitempty);
// - k6's other defaults (setupTimeout 60 s, dns, a scenario's gracefulStop 30 s, startVUs 1, …) are
//   "not valid" values, so they show as null too; only what a script, env or flag set is a value;
// - durations are Go duration strings ("1m0s", "30s", "500ms"); map keys are sorted;
// - a scenario has every field of its executor's config struct (k6 lib/executor/*.go);
// - consoleOutput and localIPs are added last (null unless set by env or flag).
import { formatDuration, parseDuration } from '../../core/index.ts';
import { foldFieldNames, type JsonObject } from '../executors/config-fields.ts';
import { parseExecutionSegment, parseExecutionSegmentSequence, sequenceToString } from '../executors/execution-segment.ts';
import { DEFAULT_SUMMARY_TREND_STATS, DEFAULT_SYSTEM_TAGS, type K6Options, type ThresholdInput } from './k6-options.ts';

type Shape = 'duration' | 'stages' | 'map' | 'value';

/** BaseConfig's fields (k6 lib/executor/base_config.go), `options` is omitempty. */
const BASE_FIELDS: ReadonlyArray<readonly [string, Shape]> = [
  ['executor', 'value'],
  ['startTime', 'duration'],
  ['gracefulStop', 'duration'],
  ['env', 'map'],
  ['exec', 'value'],
  ['tags', 'map'],
];

/** Each executor config struct's own fields, in declaration order. */
const EXECUTOR_FIELDS: Readonly<Record<string, ReadonlyArray<readonly [string, Shape]>>> = {
  'shared-iterations': [['vus', 'value'], ['iterations', 'value'], ['maxDuration', 'duration']],
  'per-vu-iterations': [['vus', 'value'], ['iterations', 'value'], ['maxDuration', 'duration']],
  'constant-vus': [['vus', 'value'], ['duration', 'duration']],
  'ramping-vus': [['startVUs', 'value'], ['stages', 'stages'], ['gracefulRampDown', 'duration']],
  'constant-arrival-rate': [
    ['rate', 'value'], ['timeUnit', 'duration'], ['duration', 'duration'], ['preAllocatedVUs', 'value'], ['maxVUs', 'value'],
  ],
  'ramping-arrival-rate': [
    ['startRate', 'value'], ['timeUnit', 'duration'], ['stages', 'stages'], ['preAllocatedVUs', 'value'], ['maxVUs', 'value'],
  ],
};

function isAbsent(v: unknown): v is null | undefined {
  return v === undefined || v === null;
}

export function goDuration(v: unknown): string | null {
  return isAbsent(v) ? null : formatDuration(parseDuration(v));
}

/** A Go map[string]T: keys sorted, null when unset. */
function sortedMap(v: unknown): JsonObject | null {
  if (isAbsent(v) || typeof v !== 'object') return null;
  const entries = Object.entries(v as JsonObject).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([k, x]) => [k, structuredClone(x)]));
}

export function stagesJson(v: unknown): unknown {
  if (!Array.isArray(v)) return null;
  return (v as Array<{ duration?: unknown; target?: unknown }>).map((s) => ({
    duration: goDuration(s.duration),
    target: s.target ?? null,
  }));
}

function shaped(v: unknown, shape: Shape): unknown {
  switch (shape) {
    case 'duration':
      return goDuration(v);
    case 'stages':
      return stagesJson(v);
    case 'map':
      return sortedMap(v);
    case 'value':
      return isAbsent(v) ? null : structuredClone(v);
  }
}

/** One scenario as k6 marshals its executor config: every field, null where the script set none. */
export function scenarioJson(given: JsonObject): JsonObject {
  // Go's encoding/json matched the script's keys to the struct's fields ignoring case (`startvus`).
  const base = BASE_FIELDS.map(([k]) => k);
  const executor = foldFieldNames(given, base).executor;
  const raw = foldFieldNames(given, [...base, 'options', ...(EXECUTOR_FIELDS[String(executor)] ?? []).map(([k]) => k)]);
  const out: JsonObject = {};
  for (const [key, shape] of BASE_FIELDS) out[key] = shaped(raw[key], shape);
  if (!isAbsent(raw.options)) out.options = structuredClone(raw.options);
  for (const [key, shape] of EXECUTOR_FIELDS[String(raw.executor)] ?? []) out[key] = shaped(raw[key], shape);
  return out;
}

/** metrics.Thresholds MarshalJSON: a plain source unless abortOnFail is set. */
function thresholdJson(t: ThresholdInput): unknown {
  if (typeof t === 'string') return t;
  if (t.abortOnFail !== true) return t.threshold;
  return { threshold: t.threshold, abortOnFail: true, delayAbortEval: goDuration(t.delayAbortEval) };
}

function tlsVersionJson(v: K6Options['tlsVersion']): unknown {
  if (v === undefined) return null;
  if (typeof v === 'string') return { min: v, max: v };
  return { min: v.min ?? '', max: v.max ?? '' };
}

const orNull = <T>(v: T | undefined): T | null => (v === undefined ? null : structuredClone(v));

/**
 * The `test.options` object for `given` (every tier merged, before Stampede fills in k6's defaults) and
 * the scenarios that run, as raw objects (the script's, or those derived from the shortcuts).
 */
export function testOptionsJson(given: K6Options, scenarios: Readonly<Record<string, JsonObject>>): JsonObject {
  const o = given;
  const names = Object.keys(scenarios).sort();
  return {
    paused: orNull(o.paused),
    // The execution shortcuts, which k6/execution's test.options deletes (as k6's optionsAsObject
    // does) but k6's bundle writes into the script's exported `options` with the rest.
    vus: orNull(o.vus),
    duration: goDuration(o.duration),
    iterations: orNull(o.iterations),
    stages: o.stages === undefined ? null : stagesJson(o.stages),
    scenarios: Object.fromEntries(names.map((n) => [n, scenarioJson(scenarios[n] ?? {})])),
    executionSegment: o.executionSegment === undefined ? null : parseExecutionSegment(o.executionSegment).toString(),
    executionSegmentSequence:
      o.executionSegmentSequence === undefined ? null : sequenceToString(parseExecutionSegmentSequence(o.executionSegmentSequence)),
    noSetup: orNull(o.noSetup),
    setupTimeout: goDuration(o.setupTimeout),
    noTeardown: orNull(o.noTeardown),
    teardownTimeout: goDuration(o.teardownTimeout),
    handleSummaryTimeout: goDuration(o.handleSummaryTimeout),
    rps: orNull(o.rps),
    dns: { ttl: o.dns?.ttl ?? null, select: o.dns?.select ?? null, policy: o.dns?.policy ?? null },
    maxRedirects: orNull(o.maxRedirects),
    userAgent: orNull(o.userAgent),
    batch: orNull(o.batch),
    batchPerHost: orNull(o.batchPerHost),
    httpDebug: orNull(o.httpDebug),
    insecureSkipTLSVerify: orNull(o.insecureSkipTLSVerify),
    tlsCipherSuites: orNull(o.tlsCipherSuites),
    tlsVersion: tlsVersionJson(o.tlsVersion),
    tlsAuth:
      o.tlsAuth === undefined
        ? null
        : o.tlsAuth.map((a) => ({ cert: a.cert, key: a.key, password: a.password ?? null, domains: orNull(a.domains) })),
    throw: orNull(o.throw),
    thresholds:
      o.thresholds === undefined
        ? null
        : sortedMap(Object.fromEntries(Object.entries(o.thresholds).map(([k, list]) => [k, list.map(thresholdJson)]))),
    blacklistIPs: orNull(o.blacklistIPs),
    blockHostnames: orNull(o.blockHostnames),
    hosts: sortedMap(o.hosts),
    noConnectionReuse: orNull(o.noConnectionReuse),
    noVUConnectionReuse: orNull(o.noVUConnectionReuse),
    minIterationDuration: goDuration(o.minIterationDuration),
    ...(o.cloud === undefined ? {} : { cloud: structuredClone(o.cloud) }),
    ext: sortedMap(o.ext),
    summaryTrendStats: [...(o.summaryTrendStats ?? DEFAULT_SUMMARY_TREND_STATS)],
    summaryTimeUnit: orNull(o.summaryTimeUnit),
    systemTags: [...new Set(o.systemTags ?? DEFAULT_SYSTEM_TAGS)].sort(),
    tags: sortedMap(o.tags),
    metricSamplesBufferSize: orNull(o.metricSamplesBufferSize),
    noCookiesReset: orNull(o.noCookiesReset),
    discardResponseBodies: orNull(o.discardResponseBodies),
    features: orNull(o.features),
    consoleOutput: orNull(o.consoleOutput),
    localIPs: orNull(o.localIPs),
  };
}
