import { describe, expect, it } from 'vitest';
import { nameserverAddr, parseNameserver } from './dns-nameserver.ts';
import { formatGoIp, parseGoIpBytes } from '../../options/go-ip.ts';
import { buildQuery, parseResponse } from './dns-message.ts';
import { DnsFailure, rcodeFailure } from './dns-errors.ts';

const addr = (s: string): string => nameserverAddr(parseNameserver(s));

describe('k6/x/dns nameserver argument', () => {
  it('takes an IP with or without a port, IPv6 bracketed or bare; port 53 by default', () => {
    expect(addr('8.8.8.8')).toBe('8.8.8.8:53');
    expect(addr('1.1.1.1:5353')).toBe('1.1.1.1:5353');
    expect(addr('[2606:4700:4700::1111]:53')).toBe('[2606:4700:4700::1111]:53');
    expect(addr('[::1]')).toBe('[::1]:53');
    expect(addr('2001:DB8:0:0:0:0:0:1')).toBe('[2001:db8::1]:53');
    expect(addr('::ffff:127.0.0.1')).toBe('127.0.0.1:53');
    expect(addr('127.0.0.1:+53')).toBe('127.0.0.1:53');
  });

  it('rejects what the extension rejects, in its words', () => {
    expect(() => parseNameserver('dns.google')).toThrow('invalid nameserver IP address: dns.google');
    expect(() => parseNameserver('')).toThrow('invalid nameserver IP address: ');
    expect(() => parseNameserver('1.2.3.4:dns')).toThrow('nameserver port not a number dns: strconv.Atoi: parsing "dns": invalid syntax');
    expect(() => parseNameserver('1.2.3.4:70000')).toThrow('nameserver port out of range 70000');
    expect(() => parseNameserver('[::1]:5:3')).toThrow('invalid nameserver address format: address [::1]:5:3: too many colons in address');
    expect(() => parseNameserver('01.2.3.4')).toThrow('invalid nameserver IP address: 01.2.3.4');
  });
});

describe('Go IP formatting', () => {
  it('prints IPs as net.IP.String()', () => {
    const v6 = (s: string): string => formatGoIp(parseGoIpBytes(s) ?? new Uint8Array(16));
    expect(v6('2001:0db8:0000:0000:0001:0000:0000:0001')).toBe('2001:db8::1:0:0:1');
    expect(v6('::')).toBe('::');
    expect(v6('1:0:2:3:4:5:6:7')).toBe('1:0:2:3:4:5:6:7');
    expect(v6('::ffff:10.0.0.1')).toBe('10.0.0.1');
    expect(formatGoIp(Uint8Array.from([192, 168, 0, 1]))).toBe('192.168.0.1');
  });
});

describe('k6/x/dns messages', () => {
  it('asks with recursion desired and an EDNS0 record', () => {
    const q = buildQuery('k6.io', 28, 0x1234);
    expect(Array.from(q.subarray(0, 12))).toEqual([0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1]);
    expect(Array.from(q.subarray(12, 23))).toEqual([2, 0x6b, 0x36, 2, 0x69, 0x6f, 0, 0, 28, 0, 1]);
    expect(Array.from(q.subarray(23))).toEqual([0, 0, 41, 0x10, 0, 0, 0, 0, 0, 0, 0]);
    expect(() => buildQuery('a..b', 1, 1)).toThrow('dns: bad rdata');
  });

  it('reads the rcode and the answers, failing on answer types the extension does not handle', () => {
    const question = [1, 0x61, 0, 0, 1, 0, 1];
    const header = (rcode: number, an: number): number[] => [0, 1, 0x81, 0x80 | rcode, 0, 1, 0, an, 0, 0, 0, 0];
    const a = [0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, 7];
    const cname = [0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 2, 0xc0, 12];
    expect(parseResponse(Uint8Array.from([...header(0, 1), ...question, ...a])).answers).toEqual(['10.0.0.7']);
    expect(parseResponse(Uint8Array.from([...header(3, 0), ...question])).rcode).toBe(3);
    expect(() => parseResponse(Uint8Array.from([...header(0, 1), ...question, ...cname])).answers).toThrow('*dns.CNAME');
    expect(() => parseResponse(Uint8Array.from([0, 1, 2]))).toThrow('dns: overflowing header size');
  });

  it('words errors as the extension: "<Kind>: <message>" for DNS errors', () => {
    expect(rcodeFailure(3, 'DNS query failed').text).toBe('NonExistingDomain: DNS query failed');
    expect(rcodeFailure(2, 'DNS query failed').dns).toEqual({ name: 'ServerFailure', kind: 2 });
    expect(new DnsFailure('plain').text).toBe('plain');
  });
});
