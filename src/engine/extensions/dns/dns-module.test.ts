import { describe, expect, it } from 'vitest';
import { createFakeHost } from '../../http/fake-vu-host.test-helper.ts';
import { VuEventLoop } from '../../vu/vu-event-loop.ts';
import { createDnsModule } from './dns-module.ts';

type Dns = { resolve: (...args: unknown[]) => Promise<unknown>; lookup: (...args: unknown[]) => Promise<unknown> };

function setup(phase: 'init' | 'vu' = 'vu', options = {}): { host: ReturnType<typeof createFakeHost>; dns: Dns } {
  const host = createFakeHost(options);
  host.stateRef.phase = phase;
  return { host, dns: createDnsModule(host, new VuEventLoop()) as Dns };
}

const failure = (p: Promise<unknown>): Promise<string> => p.then(() => 'resolved', (e: unknown) => String(e));

describe('k6/x/dns argument checks', () => {
  it('refuses the init context', async () => {
    const { dns } = setup('init');
    expect(await failure(dns.resolve('a.test', 'A', '127.0.0.1'))).toBe('resolve can not be used in the init context');
    expect(await failure(dns.lookup('localhost'))).toBe('lookup can not be used in the init context');
  });

  it('needs a nameserver, an IP one, before any metric', async () => {
    const { host, dns } = setup();
    expect(await failure(dns.resolve('a.test', 'A'))).toBe('nameserver argument must be provided');
    expect(await failure(dns.resolve('a.test', 'A', '127.0.0.1:x'))).toBe('parsing nameserver address failed: nameserver port not a number x: strconv.Atoi: parsing "x": invalid syntax');
    expect(host.recorded).toEqual([]);
  });

  it('an unsupported record type fails after the blockHostnames check, and counts as a failed resolution', async () => {
    const { host, dns } = setup('vu', { blockHostnames: ['bad.test'] });
    expect(await failure(dns.resolve('a.test', 'a', '127.0.0.1'))).toBe('resolve operation failed with unsupported record type, a is an invalid DNS record type');
    expect(await failure(dns.resolve('BAD.test.', 'MX', '127.0.0.1'))).toBe('Refused: DNS query blocked by k6 option blockHostnames: bad.test');
    expect(host.samplesOf('dns_resolution_failed').map((s) => s.value)).toEqual([1, 1]);
    expect(host.samplesOf('dns_resolutions')[0]?.tags).toMatchObject({ query: 'a.test', recordType: 'a', nameserver: '127.0.0.1:53' });
  });

  it('lookup: an IP is itself, an empty name is no such host', async () => {
    const { host, dns } = setup();
    expect(await dns.lookup('::1')).toEqual(['::1']);
    expect(await failure(dns.lookup(''))).toBe('Refused: lookup of  failed: lookup : no such host');
    expect(host.samplesOf('dns_lookup_failed').map((s) => s.value)).toEqual([0, 1]);
  });
});
