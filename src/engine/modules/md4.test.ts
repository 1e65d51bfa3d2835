import { describe, expect, it } from 'vitest';
import { md4 } from './md4.ts';

const hex = (s: string) => Buffer.from(md4(new TextEncoder().encode(s))).toString('hex');

describe('md4', () => {
  it('matches the RFC 1320 test suite', () => {
    expect(hex('')).toBe('31d6cfe0d16ae931b73c59d7e0c089c0');
    expect(hex('a')).toBe('bde52cb31de33e46245e05fbdbd6fb24');
    expect(hex('abc')).toBe('a448017aaf21d8525fc10ae87aa6729d');
    expect(hex('message digest')).toBe('d9130a8164549fe818874806e1c7014b');
    expect(hex('abcdefghijklmnopqrstuvwxyz')).toBe('d79e1c308aa5bbcdeea8ed63df412da9');
    expect(hex('12345678901234567890123456789012345678901234567890123456789012345678901234567890')).toBe('e33b4ddc9c38f2199c3e7b164fcc0536');
  });
});
