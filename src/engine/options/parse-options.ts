// Decoding an options object (the script's `export const options` after its JSON round trip, or an
// archive's metadata options) into one tier. Type errors are problems (exit 104); unknown keys are only
// warnings, as in k6.
import {
  ProblemList,
  isObject,
  readBool,
  readDuration,
  readInt,
  readStages,
  readString,
  readStringList,
  readStringMap,
  type JsonObject,
} from '../executors/config-fields.ts';
import { parseExecutionSegment, parseExecutionSegmentSequence } from '../executors/execution-segment.ts';
import type { K6Options } from './k6-options.ts';
import {
  readCidrList,
  readDns,
  readHostnamePatterns,
  readHosts,
  readHttpDebug,
  readOpaqueObject,
  readSummaryTimeUnit,
  readSystemTags,
  readThresholds,
  readTlsAuth,
  readTlsCipherSuites,
  readTlsVersion,
  readTrendStats,
} from './option-values.ts';

type Reader = (v: unknown, path: string, problems: ProblemList) => unknown;

function readScenarioMap(v: unknown, path: string, problems: ProblemList): Record<string, JsonObject> | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) {
    problems.add(path, 'expected an object of scenario name → config');
    return undefined;
  }
  const out: Record<string, JsonObject> = {};
  for (const [name, cfg] of Object.entries(v)) {
    if (isObject(cfg)) out[name] = cfg;
    else problems.add(`${path}.${name}`, 'expected an object');
  }
  return out;
}

function segmentReader(parse: (s: string) => unknown): Reader {
  return (v, path, problems) => {
    const s = typeof v === 'number' ? String(v) : readString(v, path, problems);
    if (s === undefined) return undefined;
    try {
      parse(s);
      return s;
    } catch (err) {
      problems.add(path, (err as Error).message);
      return undefined;
    }
  };
}

/** Every option a script may set, with its decoder (JSON names of k6 lib/options.go). */
const SCRIPT_FIELDS: { readonly [K in keyof K6Options]?: Reader } = {
  paused: readBool,
  vus: readInt,
  duration: readDuration,
  iterations: readInt,
  stages: (v, p, pr) => readStages(v, p, pr, true),
  scenarios: readScenarioMap,
  executionSegment: segmentReader(parseExecutionSegment),
  executionSegmentSequence: segmentReader(parseExecutionSegmentSequence),
  noSetup: readBool,
  setupTimeout: readDuration,
  noTeardown: readBool,
  teardownTimeout: readDuration,
  handleSummaryTimeout: readDuration,
  rps: readInt,
  dns: readDns,
  maxRedirects: readInt,
  userAgent: readString,
  batch: readInt,
  batchPerHost: readInt,
  httpDebug: readHttpDebug,
  insecureSkipTLSVerify: readBool,
  tlsCipherSuites: readTlsCipherSuites,
  tlsVersion: readTlsVersion,
  tlsAuth: readTlsAuth,
  throw: readBool,
  thresholds: readThresholds,
  blacklistIPs: readCidrList,
  blockHostnames: readHostnamePatterns,
  hosts: readHosts,
  noConnectionReuse: readBool,
  noVUConnectionReuse: readBool,
  minIterationDuration: readDuration,
  cloud: readOpaqueObject,
  ext: readOpaqueObject,
  summaryTrendStats: readTrendStats,
  summaryTimeUnit: readSummaryTimeUnit,
  systemTags: readSystemTags,
  tags: readStringMap,
  metricSamplesBufferSize: readInt,
  noCookiesReset: readBool,
  discardResponseBodies: readBool,
  features: readStringList,
};

const FIELD_BY_FOLDED = new Map(Object.keys(SCRIPT_FIELDS).map((k) => [k.toLowerCase(), k]));

export interface ParsedTier {
  readonly options: K6Options;
  readonly problems: string[];
  readonly warnings: string[];
  /** The problems among `problems` that k6 attaches no exit code to (see OptionsError). */
  readonly uncoded?: string[];
}

/**
 * Decodes one options object. `source` names it in warnings ("script", "archive"); `warnUnknown` false
 * ignores unknown keys quietly (k6 reads its JSON config file with a plain json.Unmarshal).
 */
export function parseOptionsObject(raw: unknown, source = 'script', warnUnknown = true): ParsedTier {
  if (raw === undefined || raw === null) return { options: {}, problems: [], warnings: [] };
  if (!isObject(raw)) return { options: {}, problems: ['options: expected an object'], warnings: [] };
  const problems = new ProblemList();
  const uncoded: string[] = [];
  const unknown: string[] = [];
  const options: Record<string, unknown> = {};
  for (const [given, value] of Object.entries(raw)) {
    // Go's encoding/json takes a key matching a field name but for case ("VUs", "Iterations").
    const key = Object.hasOwn(SCRIPT_FIELDS, given) ? given : FIELD_BY_FOLDED.get(given.toLowerCase());
    const reader = key === undefined ? undefined : SCRIPT_FIELDS[key as keyof K6Options];
    if (key === undefined || !reader) {
      unknown.push(given);
      continue;
    }
    const before = problems.items.length;
    const decoded = reader(value, key, problems);
    if (key === 'summaryTrendStats') uncoded.push(...problems.items.slice(before));
    if (decoded !== undefined) options[key] = decoded;
  }
  // k6 decodes the options as JSON with sorted keys and stops at the first unknown one: one warning.
  const first = warnUnknown ? unknown.sort()[0] : undefined;
  const warnings = first === undefined ? [] : [`There were unknown fields in the options exported in the ${source}: json: unknown field "${first}"`];
  return { options: options as K6Options, problems: problems.items, warnings, uncoded };
}
