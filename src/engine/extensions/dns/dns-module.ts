// `import dns from 'k6/x/dns'`: Grafana's official xk6-dns extension (k6 v2 resolves it on import),
// built in. resolve(query, recordType, nameserver) asks one nameserver over UDP (dns-exchange.ts) for
// A, AAAA or TXT records; lookup(hostname) asks the system's resolver. Both return promises of the
// script's realm, settled on the VU's loop (which each holds until then), reject with the extension's
// error values and texts, and emit its metrics: dns_resolutions, dns_resolution_duration,
// dns_resolution_failed and dns_lookups, dns_lookup_duration, dns_lookup_failed.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import { randomInt } from 'node:crypto';
import { connectionSettings } from '../../http/http-module.ts';
import type { MetricContains, MetricType, VuHost } from '../../vu/vu-host.ts';
import type { VuEventLoop } from '../../vu/vu-event-loop.ts';
import { loopPromise } from '../../vu/loop-promise.ts';
import { blockedPattern } from '../dialer-rules.ts';
import { DnsFailure, failureValue, rcodeFailure, REFUSED } from './dns-errors.ts';
import { exchange, ExchangeError } from './dns-exchange.ts';
import { buildQuery, DnsPackError, DnsUnpackError, parseResponse, RECORD_TYPES, UnhandledAnswerError } from './dns-message.ts';
import { nameserverAddr, parseNameserver, type Nameserver } from './dns-nameserver.ts';

export const DNS_METRICS: ReadonlyArray<readonly [string, MetricType, MetricContains]> = [
  ['dns_resolutions', 'counter', 'default'],
  ['dns_resolution_duration', 'trend', 'time'],
  ['dns_resolution_failed', 'rate', 'default'],
  ['dns_lookups', 'counter', 'default'],
  ['dns_lookup_duration', 'trend', 'time'],
  ['dns_lookup_failed', 'rate', 'default'],
];

export interface DnsRealm {
  readonly Promise: PromiseConstructor;
  object(entries?: Record<string, unknown>): Record<string, unknown>;
  parseJson(text: string): unknown;
}

/** For callers without a script realm (unit tests): Node's own builtins. */
export const HOST_DNS_REALM: DnsRealm = {
  Promise,
  object: (entries = {}) => ({ ...entries }),
  parseJson: (text) => JSON.parse(text) as unknown,
};

/** sobek's ExportTo(value, &string): undefined and null give "", anything else its String(). */
function goString(v: unknown): string {
  return v === undefined || v === null ? '' : String(v);
}

function normalized(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

function systemLookup(hostname: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    if (hostname === '') {
      reject(Object.assign(new Error('no such host'), { code: 'ENOTFOUND' }));
      return;
    }
    dnsLookup(hostname, { all: true, order: 'verbatim' }, (err, addresses: LookupAddress[]) => {
      if (err !== null) reject(err);
      else resolve([...new Set(addresses.map((a) => a.address))]);
    });
  });
}

export function createDnsModule(host: VuHost, loop: VuEventLoop, realm: DnsRealm = HOST_DNS_REALM): Record<string, unknown> {
  for (const [name, type, contains] of DNS_METRICS) {
    if (host.metrics.get(name) === undefined) host.metrics.define(name, type, contains);
  }
  const settings = connectionSettings(host.options, host.state.id);
  let sent = 0;
  let received = 0;
  const countBytes = (): void => {
    host.countBytes(sent, received);
    sent = 0;
    received = 0;
  };
  host.lifecycle.onIterationEnd(countBytes);
  host.lifecycle.onClose(countBytes);

  /** A promise of the script's realm settled on the VU's loop by `work`, holding the loop until then. */
  const promise = (work: (signal: AbortSignal) => Promise<string[]>): Promise<unknown> => loopPromise(realm, loop, host.signal, work, {
    value: (list) => realm.parseJson(JSON.stringify(list)),
    error: (e) => failureValue(realm, e instanceof DnsFailure ? e : new DnsFailure(e instanceof Error ? e.message : String(e))),
  });

  function emit(signal: AbortSignal, tags: Record<string, string>, metrics: readonly [string, string, string], ms: number, failed: boolean): void {
    if (signal.aborted) return;
    host.samples.addMany(tags, [[metrics[0], 1], [metrics[1], Math.trunc(ms)], [metrics[2], failed ? 1 : 0]]);
  }

  async function resolveWith(query: string, recordType: string, ns: Nameserver, signal: AbortSignal): Promise<string[]> {
    if (blockedPattern(settings.blockHostnames, normalized(query)) !== undefined) {
      throw new DnsFailure(`DNS query blocked by k6 option blockHostnames: ${normalized(query)}`, { name: 'BlockedHostname', kind: REFUSED });
    }
    const type = Object.hasOwn(RECORD_TYPES, recordType) ? RECORD_TYPES[recordType] : undefined;
    if (type === undefined) throw new DnsFailure(`resolve operation failed with unsupported record type, ${recordType} is an invalid DNS record type`);
    let packet: Uint8Array;
    try {
      packet = buildQuery(query, type, randomInt(0x10000));
    } catch (e) {
      if (!(e instanceof DnsPackError)) throw e;
      throw new DnsFailure(`querying the DNS nameserver failed: unable to serialize DNS packet; reason: ${e.message}`);
    }
    let answer;
    try {
      answer = await exchange(packet, ns, settings.blacklistIPs, signal);
    } catch (e) {
      if (e instanceof ExchangeError) sent += e.sent;
      throw new DnsFailure(`querying the DNS nameserver failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    sent += answer.sent;
    received += answer.received;
    let response;
    try {
      response = parseResponse(answer.response);
    } catch (e) {
      if (!(e instanceof DnsUnpackError)) throw e;
      throw new DnsFailure(`querying the DNS nameserver failed: unable to deserialize response DNS packet; reason: ${e.message}`);
    }
    if (response.rcode !== 0) throw rcodeFailure(response.rcode, 'DNS query failed');
    try {
      return response.answers;
    } catch (e) {
      if (!(e instanceof UnhandledAnswerError)) throw e;
      throw new DnsFailure(`resolve operation failed with unsupported record type: unhandled DNS answer type ${e.message}`);
    }
  }

  async function lookupWith(hostname: string): Promise<string[]> {
    if (blockedPattern(settings.blockHostnames, normalized(hostname)) !== undefined) {
      throw new DnsFailure(`blocked hostname: ${normalized(hostname)}`, { name: 'BlockedHostname', kind: REFUSED });
    }
    if (isIP(hostname) !== 0) return [hostname];
    try {
      return await systemLookup(hostname);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === 'ENOTFOUND' || code === 'ENODATA' ? 'no such host' : code === 'EAI_AGAIN' ? 'i/o timeout' : (e as Error).message;
      throw new DnsFailure(`lookup of ${hostname} failed: lookup ${hostname}: ${why}`, { name: 'LookupFailed', kind: REFUSED });
    }
  }

  function resolve(...args: unknown[]): Promise<unknown> {
    if (host.state.phase === 'init') return promise(() => Promise.reject(new DnsFailure('resolve can not be used in the init context')));
    if (args.length < 3) return promise(() => Promise.reject(new DnsFailure('nameserver argument must be provided')));
    const query = goString(args[0]);
    const recordType = goString(args[1]);
    let ns: Nameserver;
    try {
      ns = parseNameserver(goString(args[2]));
    } catch (e) {
      return promise(() => Promise.reject(new DnsFailure(`parsing nameserver address failed: ${(e as Error).message}`)));
    }
    const tags = { ...host.state.tags, query, recordType, nameserver: nameserverAddr(ns) };
    return promise(async (signal) => {
      const started = performance.now();
      let failed = true;
      try {
        const out = await resolveWith(query, recordType, ns, signal);
        failed = false;
        return out;
      } finally {
        emit(signal, tags, ['dns_resolutions', 'dns_resolution_duration', 'dns_resolution_failed'], performance.now() - started, failed);
      }
    });
  }

  function lookup(hostname?: unknown): Promise<unknown> {
    if (host.state.phase === 'init') return promise(() => Promise.reject(new DnsFailure('lookup can not be used in the init context')));
    const name = goString(hostname);
    const tags = { ...host.state.tags, host: name };
    return promise(async (signal) => {
      const started = performance.now();
      let failed = true;
      try {
        const out = await lookupWith(name);
        failed = false;
        return out;
      } finally {
        emit(signal, tags, ['dns_lookups', 'dns_lookup_duration', 'dns_lookup_failed'], performance.now() - started, failed);
      }
    });
  }

  return { resolve, lookup };
}
