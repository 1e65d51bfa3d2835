// The CLI flag tier: `k6 run` option flags (k6 internal/cmd/options.go, runtime_options.go) turned into
// a partial options object. The command-line parser lives with the CLI; it passes the flags the user
// actually gave (an absent field means the flag was not given, so lower tiers keep their values).
import { ProblemList, readInt } from '../executors/config-fields.ts';
import { parseExecutionSegment, parseExecutionSegmentSequence } from '../executors/execution-segment.ts';
import { parseGoDuration, parseGoInt, parseStageText, parseTagPair } from './flag-values.ts';
import type { K6Options, StageInput } from './k6-options.ts';
import { normalizeCidr } from './go-ip.ts';
import { isCidr, readDns, readHostnamePatterns, readIpPool, readSystemTags, readTrendStats } from './option-values.ts';
import type { ParsedTier } from './parse-options.ts';

/**
 * Flag values as a command-line parser yields them (strings or already-converted values). Lists may be
 * given as repeated values or one comma-separated string, like pflag's StringSlice.
 */
export interface CliOptionFlags {
  vus?: number | string; // -u, --vus
  duration?: string; // -d, --duration
  iterations?: number | string; // -i, --iterations
  stage?: readonly string[]; // -s, --stage 30s:10 (repeatable)
  executionSegment?: string;
  executionSegmentSequence?: string;
  paused?: boolean;
  noSetup?: boolean;
  noTeardown?: boolean;
  maxRedirects?: number | string;
  batch?: number | string;
  batchPerHost?: number | string;
  rps?: number | string;
  userAgent?: string;
  /** `--http-debug` alone means "headers" (pass true or ""); `--http-debug=full` means "full". */
  httpDebug?: string | boolean;
  insecureSkipTlsVerify?: boolean;
  noConnectionReuse?: boolean;
  noVuConnectionReuse?: boolean;
  minIterationDuration?: string;
  throw?: boolean; // -w, --throw
  blacklistIp?: string | readonly string[];
  blockHostnames?: string | readonly string[];
  summaryTrendStats?: string | readonly string[];
  summaryTimeUnit?: string;
  systemTags?: string | readonly string[];
  tag?: readonly string[]; // --tag k=v (repeatable)
  consoleOutput?: string;
  discardResponseBodies?: boolean;
  localIps?: string;
  dns?: string;
  noThresholds?: boolean;
}

/** pflag's words for a value its Int64 or Duration flag cannot parse (`label` is "-u, --vus" or "--rps"). */
const invalidArgument = (value: string, label: string, err: unknown): string =>
  `invalid argument ${JSON.stringify(value)} for ${JSON.stringify(label)} flag: ${(err as Error).message}`;

/** An Int64 flag: Go's strconv.ParseInt with base 0, as pflag reads it. */
function flagInt(v: number | string, label: string, p: ProblemList): number | undefined {
  if (typeof v === 'number') return readInt(v, label, p);
  try {
    return parseGoInt(v);
  } catch (err) {
    p.add('', invalidArgument(v, label, err));
    return undefined;
  }
}

/** A Duration flag: Go's time.ParseDuration (units required, no days), as pflag reads it. */
function flagDuration(v: string, label: string, p: ProblemList): number | undefined {
  try {
    return parseGoDuration(v);
  } catch (err) {
    p.add('', invalidArgument(v, label, err));
    return undefined;
  }
}

const slice = (v: string | readonly string[]): string[] =>
  (typeof v === 'string' ? [v] : [...v]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== '');

/** Converts given CLI flags into the CLI tier; flag problems are reported with their flag names. */
export function optionsFromFlags(flags: CliOptionFlags): ParsedTier {
  const p = new ProblemList();
  const o: K6Options = {};
  const set = <K extends keyof K6Options>(key: K, value: K6Options[K] | undefined): void => {
    if (value !== undefined) o[key] = value;
  };
  if (flags.vus !== undefined) set('vus', flagInt(flags.vus, '-u, --vus', p));
  if (flags.duration !== undefined) set('duration', flagDuration(flags.duration, '-d, --duration', p));
  if (flags.iterations !== undefined) set('iterations', flagInt(flags.iterations, '-i, --iterations', p));
  if (flags.stage !== undefined) {
    // pflag's StringSlice reads each value as CSV (`-s ""` is no stage: an explicitly empty list).
    const stages: StageInput[] = [];
    flags.stage.flatMap((s) => (s === '' ? [] : s.split(','))).forEach((s, i) => {
      const stage = parseStageText(s, `error for stage ${i}`, p);
      if (stage === undefined) return;
      if (stage.duration === undefined) p.add('', `stage ${i} doesn't have a specified duration`);
      else stages.push(stage);
    });
    o.stages = stages;
  }
  for (const [flag, value, parse, key] of [
    ['--execution-segment', flags.executionSegment, parseExecutionSegment, 'executionSegment'],
    ['--execution-segment-sequence', flags.executionSegmentSequence, parseExecutionSegmentSequence, 'executionSegmentSequence'],
  ] as const) {
    if (value === undefined) continue;
    try {
      parse(value);
      set(key, value);
    } catch (err) {
      p.add(flag, (err as Error).message);
    }
  }
  set('paused', flags.paused);
  set('noSetup', flags.noSetup);
  set('noTeardown', flags.noTeardown);
  if (flags.maxRedirects !== undefined) set('maxRedirects', flagInt(flags.maxRedirects, '--max-redirects', p));
  if (flags.batch !== undefined) set('batch', flagInt(flags.batch, '--batch', p));
  if (flags.batchPerHost !== undefined) set('batchPerHost', flagInt(flags.batchPerHost, '--batch-per-host', p));
  if (flags.rps !== undefined) set('rps', flagInt(flags.rps, '--rps', p));
  set('userAgent', flags.userAgent);
  if (flags.httpDebug !== undefined && flags.httpDebug !== false) {
    const mode = flags.httpDebug === true || flags.httpDebug === '' ? 'headers' : flags.httpDebug;
    if (mode === 'headers' || mode === 'full') o.httpDebug = mode;
    else p.add('--http-debug', `invalid value "${mode}"; use --http-debug or --http-debug=full`);
  }
  set('insecureSkipTLSVerify', flags.insecureSkipTlsVerify);
  set('noConnectionReuse', flags.noConnectionReuse);
  set('noVUConnectionReuse', flags.noVuConnectionReuse);
  if (flags.minIterationDuration !== undefined) {
    set('minIterationDuration', flagDuration(flags.minIterationDuration, '--min-iteration-duration', p));
  }
  set('throw', flags.throw);
  if (flags.blacklistIp !== undefined) {
    // k6 getOptions: the first range Go's net.ParseCIDR rejects, in its words.
    const ranges = slice(flags.blacklistIp);
    const bad = ranges.find((s) => !isCidr(s));
    if (bad === undefined) set('blacklistIPs', ranges.map((s) => normalizeCidr(s) ?? s));
    else p.add('', `error parsing blacklist-ip '${bad}': invalid CIDR address: ${bad}`);
  }
  if (flags.blockHostnames !== undefined) set('blockHostnames', readHostnamePatterns(slice(flags.blockHostnames), '--block-hostnames', p));
  if (flags.summaryTrendStats !== undefined) {
    // pflag's StringSlice splits as CSV without trimming: "avg, p(95)" holds " p(95)", which k6 rejects.
    const given = typeof flags.summaryTrendStats === 'string' ? [flags.summaryTrendStats] : [...flags.summaryTrendStats];
    const stats = given.flatMap((s) => (s === '' ? [] : s.split(',')));
    set('summaryTrendStats', readTrendStats(stats, '--summary-trend-stats', p));
  }
  if (flags.summaryTimeUnit !== undefined && flags.summaryTimeUnit !== '') {
    // Only the flag is checked (internal/cmd/options.go); the script's or K6_SUMMARY_TIME_UNIT's value is
    // taken as it is, and an unknown unit just leaves durations humanised.
    if (['s', 'ms', 'us'].includes(flags.summaryTimeUnit)) set('summaryTimeUnit', flags.summaryTimeUnit);
    else p.add('--summary-time-unit', `invalid summary time unit '${flags.summaryTimeUnit}', use 's', 'ms' or 'us'`);
  }
  if (flags.systemTags !== undefined) set('systemTags', readSystemTags(slice(flags.systemTags), '--system-tags', p));
  if (flags.tag !== undefined && flags.tag.length > 0) {
    const tags: Record<string, string> = {};
    for (const t of flags.tag) {
      const kv = parseTagPair(t, '--tag', p);
      if (kv) tags[kv[0]] = kv[1];
    }
    o.tags = tags;
  }
  if (flags.consoleOutput !== undefined && flags.consoleOutput !== '') o.consoleOutput = flags.consoleOutput;
  set('discardResponseBodies', flags.discardResponseBodies);
  if (flags.localIps !== undefined && flags.localIps !== '') set('localIPs', readIpPool(flags.localIps, '--local-ips', p));
  // The flag's default text sets nothing (k6 DNSConfig.UnmarshalText), so lower tiers keep theirs.
  if (flags.dns !== undefined && flags.dns !== '' && flags.dns !== 'ttl=5m,select=random,policy=preferIPv4') set('dns', readDns(flags.dns, '--dns', p));
  set('noThresholds', flags.noThresholds);
  // k6 rejects every one of these before or while reading its flags, without an exit code.
  return { options: o, problems: p.items, warnings: [], uncoded: [...p.items] };
}
