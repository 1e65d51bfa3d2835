import { describe, expect, it } from 'vitest';
import { normalizeCidr, normalizeHostAddress } from './go-ip.ts';
import { parseOptionsObject } from './parse-options.ts';
import { resolveHostsEntry } from '../http/vu-connections.ts';

describe('normalizeCidr: net.ParseCIDR then IPNet.String()', () => {
  it.each([
    ['10.1.2.3/8', '10.0.0.0/8'],
    ['10.1.2.3/32', '10.1.2.3/32'],
    ['1.2.3.4/08', '1.0.0.0/8'],
    ['2001:0DB8:0:0::1/64', '2001:db8::/64'],
    ['1:0:0:2:0:0:0:3/128', '1:0:0:2::3/128'],
    ['::ffff:10.1.2.3/104', '10.0.0.0/8'],
    ['::ffff:10.1.2.3/96', '0.0.0.0/0'],
    ['::ffff:10.1.2.3/90', '::ffc0:0:0/90'],
  ])('%s → %s', (given, printed) => {
    expect(normalizeCidr(given)).toBe(printed);
  });
  it.each(['1.2.3.4', '1.2.3.4/33', '::1/129', 'fe80::1%eth0/64', '010.1.2.3/8', 'x/8'])('rejects %s', (given) => {
    expect(normalizeCidr(given)).toBeUndefined();
  });
});

describe('normalizeHostAddress: types.NullHosts as k6 marshals it', () => {
  it.each([
    ['1.2.3.4', '1.2.3.4'],
    ['1.2.3.4:0', '1.2.3.4'],
    ['1.2.3.4:080', '1.2.3.4:80'],
    ['::ffff:1.2.3.4', '1.2.3.4'],
    ['[::ffff:1.2.3.4]:80', '1.2.3.4:80'],
    ['2001:0DB8::0001', '2001:db8::1'],
    ['[2001:0DB8::0001]:8080', '[2001:db8::1]:8080'],
  ])('%s → %s', (given, printed) => {
    expect(normalizeHostAddress(given)).toBe(printed);
  });
});

describe('the options keep the normalised forms', () => {
  it('blacklistIPs and hosts from the script; a host name in capitals still maps a request (k6 lowercases names)', () => {
    const r = parseOptionsObject({ blacklistIPs: ['10.1.2.3/8'], hosts: { 'API.Example.com': '[::ffff:127.0.0.1]:8080' } });
    expect(r.problems).toEqual([]);
    expect(r.options.blacklistIPs).toEqual(['10.0.0.0/8']);
    expect(r.options.hosts).toEqual({ 'api.example.com': '127.0.0.1:8080' });
    // URL host names are lowercase: the entry written in capitals applies.
    expect(resolveHostsEntry(r.options.hosts ?? {}, new URL('http://API.EXAMPLE.COM/').hostname)).toEqual({ host: '127.0.0.1', port: 8080 });
  });
});
