import { describe, expect, it } from 'vitest';
import { parseConnectArgs, parseWriteOptions, socketOptionTags, writeBytes } from './tcp-args.ts';
import { blacklistedRange, blockedPattern } from '../dialer-rules.ts';
import { socketTags } from './tcp-metrics.ts';

const text = (b: Uint8Array): string => new TextDecoder().decode(b);

describe('k6/x/tcp connect() arguments', () => {
  it('takes a port (number or numeric string) and an optional host, defaulting to localhost', () => {
    expect(parseConnectArgs(8080, undefined)).toEqual({ port: 8080, host: 'localhost', tls: false, tags: {} });
    expect(parseConnectArgs('9000', '10.0.0.1')).toMatchObject({ port: 9000, host: '10.0.0.1' });
    expect(parseConnectArgs('nope', null)).toMatchObject({ port: 0, host: 'localhost' });
  });

  it('takes an options object, ignoring a second argument', () => {
    expect(parseConnectArgs({ port: '443', host: 'example.test', tls: true, tags: { a: 1 } }, 'other'))
      .toEqual({ port: 443, host: 'example.test', tls: true, tags: { a: '1' } });
    expect(parseConnectArgs({ port: 1 }, undefined)).toMatchObject({ host: 'localhost', tls: false });
  });

  it('rejects anything else with the extension text', () => {
    for (const bad of [true, 1.5, null, undefined, [80], new Uint8Array(1)]) {
      expect(() => parseConnectArgs(bad, undefined)).toThrow('invalid type: expected integer or object');
    }
  });

  it('reads constructor tags as strings', () => {
    expect(socketOptionTags({ tags: { service: 'echo', n: 2 } })).toEqual({ service: 'echo', n: '2' });
    expect(socketOptionTags(undefined)).toEqual({});
  });
});

describe('k6/x/tcp write() data', () => {
  it('encodes strings as UTF-8 by default and for utf8/utf-8/ascii (any case)', () => {
    for (const enc of ['', 'utf8', 'UTF-8', 'ascii']) expect(text(writeBytes('héllo', enc))).toBe('héllo');
  });

  it('decodes base64, base64url (padded or not) and hex as Go does', () => {
    expect(text(writeBytes('aGVsbG8=', 'base64'))).toBe('hello');
    expect(text(writeBytes('aGVs\nbG8=', 'base64'))).toBe('hello');
    expect(Array.from(writeBytes('-_8', 'base64url'))).toEqual([0xfb, 0xff]);
    expect(Array.from(writeBytes('-_8=', 'base64url'))).toEqual([0xfb, 0xff]);
    expect(Array.from(writeBytes('00fFA0', 'hex'))).toEqual([0, 255, 160]);
  });

  it('reports Go\'s decoding errors', () => {
    expect(() => writeBytes('aGVsbG8', 'base64')).toThrow('illegal base64 data at input byte 4');
    expect(() => writeBytes('aG!s', 'base64')).toThrow('illegal base64 data at input byte 2');
    expect(() => writeBytes('aGk=x', 'base64')).toThrow('illegal base64 data at input byte 4');
    expect(() => writeBytes('a===', 'base64')).toThrow('illegal base64 data at input byte 1');
    expect(() => writeBytes('abc', 'hex')).toThrow('encoding/hex: odd length hex string');
    expect(() => writeBytes('zz', 'hex')).toThrow("encoding/hex: invalid byte: U+007A 'z'");
    expect(() => writeBytes('a\u0001', 'hex')).toThrow('encoding/hex: invalid byte: U+0001');
    expect(() => writeBytes('x', 'latin1')).toThrow('unsupported encoding "latin1"');
  });

  it('sends ArrayBuffers and Uint8Arrays as they are, nothing else', () => {
    expect(Array.from(writeBytes(new Uint8Array([1, 2, 3]).buffer, 'hex'))).toEqual([1, 2, 3]);
    expect(Array.from(writeBytes(new Uint8Array([9, 8, 7]).subarray(1), ''))).toEqual([8, 7]);
    for (const bad of [42, null, undefined, {}, new Int16Array(2)]) {
      expect(() => writeBytes(bad, '')).toThrow('invalid type: String or ArrayBuffer expected');
    }
  });

  it('reads encoding and tags from the options object only', () => {
    expect(parseWriteOptions({ encoding: 'hex', tags: { op: 'x' } })).toEqual({ encoding: 'hex', tags: { op: 'x' } });
    expect(parseWriteOptions('hex')).toEqual({ encoding: '', tags: {} });
  });
});

describe('k6/x/tcp dialer rules and tags', () => {
  it('names the blockHostnames pattern and blacklistIPs range that matched', () => {
    expect(blockedPattern(['*.Blocked.test', 'exact.test'], 'a.b.blocked.test')).toBe('*.blocked.test');
    expect(blockedPattern(['exact.test'], 'EXACT.test')).toBe('exact.test');
    expect(blockedPattern(['*.blocked.test'], 'blocked.test')).toBeUndefined();
    expect(blacklistedRange(['10.0.0.0/8', '::1/128'], '10.2.3.4')).toBe('10.0.0.0/8');
    expect(blacklistedRange(['10.0.0.0/8', '::1/128'], '::1')).toBe('::1/128');
    expect(blacklistedRange(['10.0.0.0/8'], '127.0.0.1')).toBeUndefined();
    // k6 dialer_test.go: `::1/24` is Go's ::/24, which holds ::1 but no IPv4 address.
    expect(blacklistedRange(['8.9.10.0/24', '::1/24'], '::1')).toBe('::/24');
    expect(blacklistedRange(['::1/24'], '1.2.3.4')).toBeUndefined();
    expect(blacklistedRange(['::1/24'], '127.0.0.1')).toBeUndefined();
  });

  it('builds socket tags as the extension: VU tags, proto, socket tags, connect tags, host, port, ip', () => {
    expect(socketTags({ scenario: 's', host: 'vu' }, { socketTags: { a: '1', proto: 'x' } })).toEqual({ scenario: 's', host: 'vu', proto: 'x', a: '1' });
    expect(socketTags({ scenario: 's' }, {
      socketTags: { a: '1' },
      connect: { host: 'h', port: 7, tags: { a: '2' } },
      remoteIp: '127.0.0.1',
    })).toEqual({ scenario: 's', proto: 'TCP', a: '2', host: 'h', port: '7', ip: '127.0.0.1' });
  });
});
