// The `K6_*` environment tier (k6 lib/options.go envconfig tags, plus K6_NO_THRESHOLDS from
// runtime_options.go). scenarios, executionSegment*, tlsVersion and ext cannot be set through env.
// Empty values count as unset.
import {
  ProblemList,
  readDuration,
  readInt,
  readString,
} from '../executors/config-fields.ts';
import { parseNullBool } from '../../core/index.ts';
import type { K6Options } from './k6-options.ts';
import type { ParsedTier } from './parse-options.ts';
import { parseStageText, parseTagPair } from './flag-values.ts';
import {
  readCidrList,
  readDns,
  readHostnamePatterns,
  readHosts,
  readIpPool,
  readHttpDebug,
  readSummaryTimeUnit,
  readSystemTags,
  readThresholds,
  readTlsAuth,
  readTlsCipherSuites,
  readTrendStats,
} from './option-values.ts';

type TextReader = (text: string, path: string, problems: ProblemList) => unknown;

/**
 * k6's boolean options are guregu null.Bool fields that envconfig fills through UnmarshalText: `true`
 * and `false`; empty and `null` leave the option unset; anything else (Go's `1`, `t`, `TRUE` too) is
 * an error.
 */
function readNullBool(text: string, path: string, problems: ProblemList): boolean | undefined {
  const b = parseNullBool(text);
  if (b === undefined) problems.add(path, `invalid boolean "${text}" (true or false)`);
  return b ?? undefined;
}

const list = (text: string): string[] => text.split(',').map((s) => s.trim()).filter((s) => s !== '');
const json = (text: string, path: string, problems: ProblemList): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    problems.add(path, 'expected a JSON value');
    return undefined;
  }
};

const int: TextReader = (t, p, pr) => readInt(t, p, pr);
const bool: TextReader = readNullBool;
const duration: TextReader = (t, p, pr) => readDuration(t, p, pr);
const string: TextReader = (t, p, pr) => readString(t, p, pr);

const ENV_FIELDS: Readonly<Record<string, readonly [keyof K6Options, TextReader]>> = {
  K6_PAUSED: ['paused', bool],
  K6_VUS: ['vus', int],
  K6_DURATION: ['duration', duration],
  K6_ITERATIONS: ['iterations', int],
  K6_STAGES: [
    'stages',
    (t, p, pr) =>
      list(t).flatMap((s, i) => {
        // envconfig gives each element to Stage.UnmarshalText: Go durations, a stage may lack either part.
        const stage = parseStageText(s, `${p}[${i}]`, pr);
        return stage ? [stage] : [];
      }),
  ],
  K6_NO_SETUP: ['noSetup', bool],
  K6_SETUP_TIMEOUT: ['setupTimeout', duration],
  K6_NO_TEARDOWN: ['noTeardown', bool],
  K6_TEARDOWN_TIMEOUT: ['teardownTimeout', duration],
  K6_HANDLE_SUMMARY_TIMEOUT: ['handleSummaryTimeout', duration],
  K6_RPS: ['rps', int],
  K6_DNS: ['dns', (t, p, pr) => readDns(t, p, pr)],
  K6_MAX_REDIRECTS: ['maxRedirects', int],
  K6_USER_AGENT: ['userAgent', string],
  K6_BATCH: ['batch', int],
  K6_BATCH_PER_HOST: ['batchPerHost', int],
  K6_HTTP_DEBUG: ['httpDebug', (t, p, pr) => readHttpDebug(t, p, pr)],
  K6_INSECURE_SKIP_TLS_VERIFY: ['insecureSkipTLSVerify', bool],
  K6_TLS_CIPHER_SUITES: ['tlsCipherSuites', (t, p, pr) => readTlsCipherSuites(list(t), p, pr)],
  K6_TLSAUTH: ['tlsAuth', (t, p, pr) => readTlsAuth(json(t, p, pr), p, pr)],
  K6_THROW: ['throw', bool],
  K6_THRESHOLDS: ['thresholds', (t, p, pr) => readThresholds(json(t, p, pr), p, pr)],
  K6_BLACKLIST_IPS: ['blacklistIPs', (t, p, pr) => readCidrList(list(t), p, pr)],
  K6_BLOCK_HOSTNAMES: ['blockHostnames', (t, p, pr) => readHostnamePatterns(list(t), p, pr)],
  K6_HOSTS: ['hosts', (t, p, pr) => readHosts(json(t, p, pr), p, pr)],
  K6_NO_CONNECTION_REUSE: ['noConnectionReuse', bool],
  K6_NO_VU_CONNECTION_REUSE: ['noVUConnectionReuse', bool],
  K6_MIN_ITERATION_DURATION: ['minIterationDuration', duration],
  // envconfig splits on commas without trimming, as pflag does for the flag.
  K6_SUMMARY_TREND_STATS: ['summaryTrendStats', (t, p, pr) => readTrendStats(t.split(','), p, pr)],
  K6_SUMMARY_TIME_UNIT: ['summaryTimeUnit', (t, p, pr) => readSummaryTimeUnit(t, p, pr)],
  K6_SYSTEM_TAGS: ['systemTags', (t, p, pr) => readSystemTags(list(t), p, pr)],
  K6_TAGS: [
    'tags',
    (t, p, pr) => {
      const tags: Record<string, string> = {};
      for (const pair of list(t)) {
        const kv = parseTagPair(pair, p, pr, ':');
        if (kv) tags[kv[0]] = kv[1];
      }
      return tags;
    },
  ],
  K6_METRIC_SAMPLES_BUFFER_SIZE: ['metricSamplesBufferSize', int],
  K6_NO_COOKIES_RESET: ['noCookiesReset', bool],
  K6_DISCARD_RESPONSE_BODIES: ['discardResponseBodies', bool],
  K6_CONSOLE_OUTPUT: ['consoleOutput', string],
  K6_LOCAL_IPS: ['localIPs', (t, p, pr) => readIpPool(t, p, pr)],
  K6_NO_THRESHOLDS: ['noThresholds', bool],
};

/** The names this tier reads, for documentation and `--help`. */
export const K6_ENV_NAMES: readonly string[] = Object.keys(ENV_FIELDS);

/** Reads the `K6_*` tier from an environment map (the caller decides which environment that is). */
export function optionsFromEnv(env: Readonly<Record<string, string | undefined>>): ParsedTier {
  const problems = new ProblemList();
  const uncoded: string[] = [];
  const options: Record<string, unknown> = {};
  for (const [name, [key, read]] of Object.entries(ENV_FIELDS)) {
    const text = env[name];
    if (text === undefined || text === '') continue;
    const before = problems.items.length;
    const value = read(text, name, problems);
    // Bad trend stats fail k6's consolidation without an exit code; other K6_* problems are 104.
    if (key === 'summaryTrendStats') uncoded.push(...problems.items.slice(before));
    if (value !== undefined) options[key] = value;
  }
  return { options: options as K6Options, problems: problems.items, warnings: [], uncoded };
}
