// Decoders for the option values that are more than a scalar (dns, hosts, thresholds, TLS, trend
// stats, system tags, IP ranges). Each reports problems into a ProblemList and returns undefined when
// the value is unusable.
import type {
  ProblemList} from '../executors/config-fields.ts';
import {
  foldFieldNames,
  isObject,
  readBool,
  readString,
  readStringList,
  readStringMap,
  type JsonObject,
} from '../executors/config-fields.ts';
import { IpPool } from './ip-pool.ts';
import { isK6CipherSuite } from '../http/tls-cipher-suites.ts';
import { isGoCidr, normalizeCidr, normalizeHostAddress } from './go-ip.ts';
import { SYSTEM_TAGS, type DnsOptions, type ThresholdInput, type TlsAuthEntry } from './k6-options.ts';

const DNS_SELECT = ['first', 'random', 'roundRobin'] as const;
const DNS_POLICY = ['preferIPv4', 'preferIPv6', 'onlyIPv4', 'onlyIPv6', 'any'] as const;
const TLS_VERSIONS = ['tls1.0', 'tls1.1', 'tls1.2', 'tls1.3'];
// k6 metrics.GetResolversForTrendColumns: avg, min, med, max, count, p(N) with 0 ≤ N ≤ 100.
const TREND_STATS = new Set(['avg', 'min', 'med', 'max', 'count']);
/** A number Go's strconv.ParseFloat reads (decimal, with an exponent). */
const GO_FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function readOpaqueObject(v: unknown, path: string, problems: ProblemList): JsonObject | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) {
    problems.add(path, 'expected an object');
    return undefined;
  }
  return v;
}

/** dns as an object or k6's text form "ttl=1m,select=first,policy=any". */
export function readDns(v: unknown, path: string, problems: ProblemList): DnsOptions | undefined {
  if (v === undefined || v === null) return undefined;
  let entries: Record<string, unknown>;
  if (typeof v === 'string') {
    entries = {};
    for (const part of v.split(',').filter((s) => s.trim() !== '')) {
      const [k, val] = part.split('=', 2);
      if (val === undefined) problems.add(path, `invalid dns setting "${part}", expected key=value`);
      else entries[(k as string).trim()] = val.trim();
    }
  } else if (isObject(v)) {
    entries = v;
  } else {
    problems.add(path, 'expected an object {ttl, select, policy} or "ttl=…,select=…,policy=…"');
    return undefined;
  }
  const out: DnsOptions = {};
  for (const [k, val] of Object.entries(entries)) {
    // Go's null types: k6 archives write every unset field as null ("dns": {"ttl": null, …}).
    if (val === null) continue;
    if (k === 'ttl') {
      const ttl = typeof val === 'number' ? String(val) : readString(val, `${path}.ttl`, problems);
      if (ttl === undefined) continue;
      if (ttl !== 'inf' && ttl !== '0' && !/^(\d+(\.\d*)?(ns|us|µs|ms|s|m|h|d)?)+$/.test(ttl)) {
        problems.add(`${path}.ttl`, `invalid ttl "${ttl}": use inf, 0 or a duration`);
      } else out.ttl = ttl;
    } else if (k === 'select') {
      if ((DNS_SELECT as readonly unknown[]).includes(val)) out.select = val as DnsOptions['select'];
      else problems.add(`${path}.select`, `invalid value ${JSON.stringify(val)}; use one of ${DNS_SELECT.join(', ')}`);
    } else if (k === 'policy') {
      if ((DNS_POLICY as readonly unknown[]).includes(val)) out.policy = val as DnsOptions['policy'];
      else problems.add(`${path}.policy`, `invalid value ${JSON.stringify(val)}; use one of ${DNS_POLICY.join(', ')}`);
    } else {
      problems.add(path, `unknown dns setting "${k}"`);
    }
  }
  return out;
}

function isHostAddress(value: string): boolean {
  return normalizeHostAddress(value) !== undefined;
}

/** hosts: name, "name:port" or "*.domain" → "ip" | "ip:port" | "[v6]:port" (k6 lib/types/hosts.go). */
export function readHosts(v: unknown, path: string, problems: ProblemList): Record<string, string> | undefined {
  const map = readStringMap(v, path, problems);
  if (map === undefined) return undefined;
  // As types.NullHosts keeps them: names lowercased, addresses as Go prints them.
  const out: Record<string, string> = {};
  for (const [host, addr] of Object.entries(map)) {
    if (host === '') problems.add(path, 'empty host name');
    if (!isHostAddress(addr)) problems.add(`${path}.${host}`, `"${addr}" is not an IP address or ip:port`);
    out[host.toLowerCase()] = normalizeHostAddress(addr) ?? addr;
  }
  return out;
}

/** thresholds: metric selector → list of expressions or {threshold, abortOnFail, delayAbortEval}. */
const THRESHOLD_FIELDS = ['threshold', 'abortOnFail', 'delayAbortEval'];

export function readThresholds(v: unknown, path: string, problems: ProblemList): Record<string, ThresholdInput[]> | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) {
    problems.add(path, 'expected an object of metric → threshold list');
    return undefined;
  }
  const out: Record<string, ThresholdInput[]> = {};
  for (const [metric, list] of Object.entries(v)) {
    const p = `${path}["${metric}"]`;
    if (!Array.isArray(list)) {
      problems.add(p, 'expected an array of threshold expressions');
      continue;
    }
    const items: ThresholdInput[] = [];
    list.forEach((item, i) => {
      if (typeof item === 'string') {
        items.push(item);
        return;
      }
      if (!isObject(item)) {
        problems.add(`${p}[${i}]`, 'expected an expression string or {threshold, abortOnFail, delayAbortEval}');
        return;
      }
      // k6's metrics.thresholdConfig decodes with a plain json.Unmarshal: keys match the fields ignoring
      // case (`abortonFail` is abortOnFail) and unknown ones are dropped quietly.
      const fields = foldFieldNames(item, THRESHOLD_FIELDS);
      const threshold = readString(fields.threshold, `${p}[${i}].threshold`, problems);
      if (threshold === undefined) {
        if (fields.threshold === undefined) problems.add(`${p}[${i}]`, 'missing threshold expression');
        return;
      }
      const abortOnFail = readBool(fields.abortOnFail, `${p}[${i}].abortOnFail`, problems);
      const delay = fields.delayAbortEval;
      let delayAbortEval: string | undefined;
      if (typeof delay === 'number') delayAbortEval = `${delay}ms`;
      else delayAbortEval = readString(delay, `${p}[${i}].delayAbortEval`, problems);
      items.push({
        threshold,
        ...(abortOnFail === undefined ? {} : { abortOnFail }),
        ...(delayAbortEval === undefined ? {} : { delayAbortEval }),
      });
    });
    out[metric] = items;
  }
  return out;
}

/** k6's metrics.GetResolversForTrendColumns: the first stat it cannot resolve, in its words. */
export function readTrendStats(v: unknown, path: string, problems: ProblemList): string[] | undefined {
  const list = readStringList(v, path, problems);
  if (list === undefined) return undefined;
  for (const stat of list) {
    if (TREND_STATS.has(stat)) continue;
    if (!stat.startsWith('p(') || !stat.endsWith(')')) {
      problems.add(path, `invalid trend stat '${stat}', unknown format`);
      break;
    }
    const n = stat.slice(2, -1);
    if (!GO_FLOAT.test(n) || Number(n) < 0 || Number(n) > 100) {
      problems.add(path, `invalid percentile trend stat value '${stat}', provide a number between 0 and 100`);
      break;
    }
  }
  return list;
}

/**
 * k6's metrics.ToSystemTagSet / SystemTagSet.UnmarshalText: names k6 does not know are dropped without
 * a word (a set: each once, in k6's sorted order).
 */
export function readSystemTags(v: unknown, path: string, problems: ProblemList): string[] | undefined {
  const list = readStringList(v, path, problems);
  if (list === undefined) return undefined;
  return [...new Set(list.filter((tag) => SYSTEM_TAGS.includes(tag)))].sort();
}

/** Any string: k6 validates only the --summary-time-unit flag (summary.js ignores units it does not know). */
export function readSummaryTimeUnit(v: unknown, path: string, problems: ProblemList): string | undefined {
  return readString(v, path, problems);
}

export function readHttpDebug(v: unknown, path: string, problems: ProblemList): string | undefined {
  const s = readString(v, path, problems);
  if (s !== undefined && !['', 'headers', 'full'].includes(s)) problems.add(path, `invalid value "${s}"; use "headers" or "full"`);
  return s;
}

/** Go's net.ParseCIDR accepts it: an IP (no zone), a slash and a prefix length within the family's width. */
export function isCidr(s: string): boolean {
  return isGoCidr(s);
}

/** blacklistIPs: CIDR ranges, kept as Go's IPNet prints them (`10.1.2.3/8` → `10.0.0.0/8`). */
export function readCidrList(v: unknown, path: string, problems: ProblemList): string[] | undefined {
  const list = readStringList(v, path, problems);
  if (list === undefined) return undefined;
  return list.map((s) => {
    const range = normalizeCidr(s);
    if (range === undefined) problems.add(path, `invalid IP range "${s}", expected CIDR like 10.0.0.0/8`);
    return range ?? s;
  });
}

// k6 lib/types/hostnametrie.go validHostnamePattern: an optional leading `*` (or `*.`), then labels.
const HOSTNAME_PATTERN = /^(\*\.?)?((([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])\.)*([A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9]))?$/;

/** blockHostnames: k6's HostnameTrie accepts only hostname patterns with an optional leading wildcard. */
export function readHostnamePatterns(v: unknown, path: string, problems: ProblemList): string[] | undefined {
  const list = readStringList(v, path, problems);
  if (list === undefined) return undefined;
  for (const s of list) if (!HOSTNAME_PATTERN.test(s.toLowerCase())) problems.add(path, `invalid hostname pattern '${s}'`);
  return list;
}

/** localIPs: k6's IPPool text (IPs, ranges, CIDRs, comma-separated); kept as given. */
export function readIpPool(v: unknown, path: string, problems: ProblemList): string | undefined {
  const text = readString(v, path, problems);
  if (text === undefined || text === '') return undefined;
  try {
    IpPool.parse(text);
    return text;
  } catch (e) {
    problems.add(path, (e as Error).message);
    return undefined;
  }
}

export function readTlsVersion(v: unknown, path: string, problems: ProblemList): string | { min?: string; max?: string } | undefined {
  if (v === undefined || v === null) return undefined;
  // k6 TLSVersion.UnmarshalJSON: "" is no bound on that side (tlsVersion: "" sets neither).
  const check = (s: unknown, p: string): string | undefined => {
    const str = readString(s, p, problems);
    if (str === '') return undefined;
    if (str !== undefined && !TLS_VERSIONS.includes(str)) problems.add(p, `unsupported TLS version "${str}"; use ${TLS_VERSIONS.join(', ')}`);
    return str;
  };
  if (v === '') return {};
  if (typeof v === 'string') return check(v, path);
  if (!isObject(v)) {
    problems.add(path, 'expected a version string or {min, max}');
    return undefined;
  }
  const min = check(v.min, `${path}.min`);
  const max = check(v.max, `${path}.max`);
  return { ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }) };
}

export function readTlsAuth(v: unknown, path: string, problems: ProblemList): TlsAuthEntry[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) {
    problems.add(path, 'expected an array of {domains, cert, key, password}');
    return undefined;
  }
  const out: TlsAuthEntry[] = [];
  v.forEach((item, i) => {
    const p = `${path}[${i}]`;
    if (!isObject(item)) {
      problems.add(p, 'expected {domains, cert, key, password}');
      return;
    }
    const cert = readString(item.cert, `${p}.cert`, problems);
    const key = readString(item.key, `${p}.key`, problems);
    if (cert === undefined || key === undefined) {
      problems.add(p, 'cert and key are required');
      return;
    }
    const domains = readStringList(item.domains, `${p}.domains`, problems);
    const password = readString(item.password, `${p}.password`, problems);
    out.push({ cert, key, ...(domains ? { domains } : {}), ...(password === undefined ? {} : { password }) });
  });
  return out;
}

/** `tlsCipherSuites`: k6's names only (lib.TLSCipherSuites UnmarshalJSON: unknown cipher suite 'X'). */
export function readTlsCipherSuites(v: unknown, path: string, problems: ProblemList): string[] | undefined {
  const names = readStringList(v, path, problems);
  if (names === undefined) return undefined;
  for (const name of names) if (!isK6CipherSuite(name)) problems.add(path, `unknown cipher suite '${name}'`);
  return names;
}
