// Built-in https://jslib.k6.io/totp/<version>/index.js: `TOTP(secret, digits = 6)` with
// `gen(timeStep = 30, bias = 0)` and `verify(code, timeStep = 30)`, both promises, as k6's docs describe
// them: RFC 6238 time-based codes (HMAC-SHA-1, RFC 4226 dynamic truncation) from a base32 secret. The
// time is the VU's clock in seconds minus `bias`; `verify` compares with the code of the current step.
import { createHmac } from 'node:crypto';
import vm from 'node:vm';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32, any case; spaces, dashes and `=` padding are ignored. Trailing bits short of a byte are dropped. */
export function decodeBase32(secret: string): Uint8Array {
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const c of secret.replace(/[\s=-]/g, '').toUpperCase()) {
    const v = BASE32.indexOf(c);
    if (v < 0) throw new TypeError(`TOTP secret is not base32: unexpected character ${JSON.stringify(c)}`);
    value = ((value << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((value >> bits) & 0xff);
    }
  }
  return Uint8Array.from(out);
}

/** RFC 4226 HOTP with HMAC-SHA-1: `digits` decimal digits, zero-padded. */
export function hotp(key: Uint8Array, counter: bigint, digits: number): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt.asUintN(64, counter));
  const mac = createHmac('sha1', key).update(msg).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return (binary % 10 ** digits).toString().padStart(digits, '0');
}

/** The RFC 6238 code for `nowMs` (epoch ms) shifted back by `biasSeconds`, in steps of `stepSeconds`. */
export function totpCode(secret: unknown, digits: unknown, stepSeconds: unknown, biasSeconds: unknown, nowMs: number): string {
  if (typeof secret !== 'string') throw new TypeError('TOTP secret must be a base32 string');
  const step = Number(stepSeconds);
  if (!(step > 0)) throw new TypeError(`TOTP timeStep must be a positive number of seconds, got ${String(stepSeconds)}`);
  const n = Number(digits);
  if (!Number.isInteger(n) || n < 1) throw new TypeError(`TOTP digits must be a positive integer, got ${String(digits)}`);
  const counter = Math.floor((nowMs / 1000 - Number(biasSeconds)) / step);
  if (!Number.isFinite(counter)) throw new TypeError(`TOTP bias must be a number of seconds, got ${String(biasSeconds)}`);
  return hotp(decodeBase32(secret), BigInt(counter), n);
}

const SOURCE = `(function (code) {
  'use strict';
  const call = (totp, step, bias) => {
    try {
      return code(totp.key, totp.digits, step, bias);
    } catch (e) {
      throw new TypeError(e.message); // a TypeError of the script's realm
    }
  };
  class TOTP {
    constructor(secret, digits = 6) {
      this.key = secret;
      this.digits = digits;
    }
    async gen(timeStep = 30, bias = 0) { return call(this, timeStep, bias); }
    async verify(code, timeStep = 30) { return code === await this.gen(timeStep); }
  }
  return { TOTP };
})`;

let script: vm.Script | undefined;

/** The module's exports (`TOTP`) in the script realm `context`; `now` is the epoch-ms clock. */
export function createTotpModule(context: vm.Context, now: () => number): Record<string, unknown> {
  script ??= new vm.Script(SOURCE, { filename: 'https://jslib.k6.io/totp/index.js' });
  const make = script.runInContext(context) as (code: (...a: unknown[]) => string) => { TOTP: unknown };
  const { TOTP } = make((secret, digits, step, bias) => totpCode(secret, digits, step, bias, now()));
  return { TOTP };
}
