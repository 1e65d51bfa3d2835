import { describe, expect, it } from 'vitest';
import vm from 'node:vm';
import { ScriptRealm } from '../vu/script-realm.ts';
import { createTotpModule, decodeBase32, hotp, totpCode } from './totp-module.ts';

// RFC 6238 appendix B, SHA-1: the secret "12345678901234567890", 8 digits, 30 s steps.
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const RFC_VECTORS: Array<[number, string]> = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('totp', () => {
  it('decodes RFC 4648 base32 in any case, ignoring padding, spaces and dashes', () => {
    expect(Buffer.from(decodeBase32(RFC_SECRET)).toString()).toBe('12345678901234567890');
    expect(Buffer.from(decodeBase32('mzxw6ytboi======')).toString()).toBe('foobar');
    expect(Buffer.from(decodeBase32('MZXW 6YTB-OI')).toString()).toBe('foobar');
    // Leading zero bytes are part of the key.
    expect([...decodeBase32('AAAQ')]).toEqual([0, 1]);
    expect(() => decodeBase32('MZXW1')).toThrow(/not base32: unexpected character "1"/);
  });

  it('gives RFC 6238\'s SHA-1 test vectors, and their last six digits by default', () => {
    for (const [t, code] of RFC_VECTORS) {
      expect(totpCode(RFC_SECRET, 8, 30, 0, t * 1000)).toBe(code);
      expect(totpCode(RFC_SECRET, 6, 30, 0, t * 1000)).toBe(code.slice(2));
    }
    // bias shifts the clock back; a longer step counts slower.
    expect(totpCode(RFC_SECRET, 8, 30, 1000, 1059_000)).toBe('94287082');
    expect(totpCode(RFC_SECRET, 8, 60, 0, 119_000)).toBe('94287082');
    // RFC 4226 appendix D: HOTP counter 0 to 2 of the same secret.
    expect([0n, 1n, 2n].map((c) => hotp(decodeBase32(RFC_SECRET), c, 6))).toEqual(['755224', '287082', '359152']);
  });

  it('rejects a time step that is not positive and digits that are not a positive integer', () => {
    expect(() => totpCode(RFC_SECRET, 6, 0, 0, 0)).toThrow(/timeStep must be a positive number/);
    expect(() => totpCode(RFC_SECRET, 0, 30, 0, 0)).toThrow(/digits must be a positive integer/);
    expect(() => totpCode(42, 6, 30, 0, 0)).toThrow(/secret must be a base32 string/);
  });

  it('TOTP in the script realm: gen and verify are promises of the code and the verdict at the VU clock', async () => {
    const realm = new ScriptRealm();
    let now = 59_500;
    const { TOTP } = createTotpModule(realm.context, () => now) as { TOTP: new (s: string, d?: number) => {
      key: string; digits: number; gen(step?: number, bias?: number): Promise<string>; verify(code: string, step?: number): Promise<boolean>;
    } };
    const totp = new TOTP(RFC_SECRET, 8);
    expect([totp.key, totp.digits]).toEqual([RFC_SECRET, 8]);
    expect(new TOTP(RFC_SECRET).digits).toBe(6);
    const pending = totp.gen();
    expect(pending).toBeInstanceOf(realm.Promise);
    expect(await pending).toBe('94287082');
    expect(await totp.verify('94287082')).toBe(true);
    now = 60_000; // the next step
    expect(await totp.verify('94287082')).toBe(false);
    const bad = new TOTP('not base32!');
    const err = await bad.gen().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(vm.runInContext('TypeError', realm.context) as ErrorConstructor);
    expect((err as Error).message).toMatch(/not base32/);
  });
});
