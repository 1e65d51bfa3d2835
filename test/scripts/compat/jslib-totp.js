// The totp jslib as k6's docs use it: codes from a base32 secret, checked against RFC 6238's SHA-1
// test vectors by shifting the clock back with `bias` (seconds), as the jslib's own tests do.
import { check } from 'k6';
import { TOTP } from 'https://jslib.k6.io/totp/1.0.0/index.js';

export const options = { iterations: 1, thresholds: { checks: ['rate==1'] } };

// RFC 6238's secret "12345678901234567890" in base32.
const SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

export default async function () {
  const totp = new TOTP(SECRET, 6);
  check(await totp.gen(), { 'six digits': (c) => /^\d{6}$/.test(c) });
  // A step of 10^9 s: the current step cannot end between gen() and verify().
  const code = await totp.gen(1e9);
  check(await totp.verify(code, 1e9), { 'verify accepts the current code': (v) => v === true });
  check(await totp.verify(code === '000000' ? '111111' : '000000', 1e9), { 'verify rejects another code': (v) => v === false });

  const totp8 = new TOTP(SECRET, 8);
  // Not floored: the few ms until gen() reads the clock cannot carry T=59 over into the next step.
  const now = Date.now() / 1000;
  const vectors = { 59: '94287082', 1111111109: '07081804', 1111111111: '14050471', 1234567890: '89005924', 2000000000: '69279037', 20000000000: '65353130' };
  for (const [t, expected] of Object.entries(vectors)) {
    const got = await totp8.gen(30, now - Number(t));
    check(got, { [`RFC 6238 T=${t}`]: (c) => c === expected });
  }
  check(await new TOTP(SECRET).gen(30, now - 59), { 'default is six digits': (c) => c === '287082' });
  check(await new TOTP(SECRET.toLowerCase(), 8).gen(60, now - 119), { 'lower case secret, 60 s step': (c) => c === '94287082' });
}
