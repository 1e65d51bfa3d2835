// The script realm's `crypto`: results are values of the realm, keys show their fields as k6's do.
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { ScriptRealm } from './script-realm.ts';

async function inRealm(body: string): Promise<unknown> {
  const realm = new ScriptRealm();
  const run = vm.runInContext(`(async () => { ${body} })`, realm.context) as () => Promise<unknown>;
  return JSON.parse(JSON.stringify(await run())) as unknown;
}

describe('the script realm\'s crypto.subtle', () => {
  it('gives keys whose fields JSON.stringify shows, as k6\'s (generateKey-aes.js logs them), usable again as keys', async () => {
    const out = await inRealm(`
      const key = await crypto.subtle.generateKey({ name: 'AES-CBC', length: 256 }, true, ['encrypt', 'decrypt']);
      const pair = await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
      const iv = new Uint8Array(16);
      const ct = await crypto.subtle.encrypt({ name: 'AES-CBC', iv }, key, new TextEncoder().encode('hi'));
      const pt = await crypto.subtle.decrypt({ name: 'AES-CBC', iv }, key, ct);
      return {
        json: JSON.stringify(key),
        hmac: JSON.stringify(pair.algorithm),
        tag: Object.prototype.toString.call(key),
        isKey: key instanceof crypto.CryptoKey && key.constructor === crypto.CryptoKey,
        plain: new TextDecoder().decode(pt),
      };`);
    expect(out).toEqual({
      json: '{"type":"secret","extractable":true,"algorithm":{"name":"AES-CBC","length":256},"usages":["encrypt","decrypt"]}',
      hmac: '{"name":"HMAC","hash":{"name":"SHA-256"},"length":512}',
      tag: '[object CryptoKey]',
      isKey: true,
      plain: 'hi',
    });
  });

  it('returns promises, key pairs (privateKey first) and JWKs of the script realm', async () => {
    const out = await inRealm(`
      const p = crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
      const pair = await p;
      const jwk = await crypto.subtle.exportKey('jwk', pair.publicKey);
      return {
        promise: p instanceof Promise,
        pairKeys: Object.keys(pair),
        pairIsObject: pair instanceof Object,
        jwk: jwk instanceof Object && jwk.key_ops instanceof Array && jwk.kty,
        usages: [pair.privateKey.usages, pair.publicKey.usages],
      };`);
    expect(out).toEqual({ promise: true, pairKeys: ['privateKey', 'publicKey'], pairIsObject: true, jwk: 'EC', usages: [['sign'], ['verify']] });
  });

  it('rejects exportKey of a key that is not extractable with InvalidAccessError (Node says "InvalidAccessException")', async () => {
    const out = await inRealm(`
      const key = await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
      try { await crypto.subtle.exportKey('raw', key); return 'exported'; } catch (e) { return e.name; }`);
    expect(out).toBe('InvalidAccessError');
  });

  it('refuses an RSA-PSS saltLength of 0 with k6\'s ImplementationError (Go cannot sign or verify with an empty salt); 32 works', async () => {
    const out = await inRealm(`
      const { privateKey, publicKey } = await crypto.subtle.generateKey(
        { name: 'RSA-PSS', modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['sign', 'verify']);
      const data = new TextEncoder().encode('hello');
      const failure = (p) => p.then(() => 'resolved', (e) => e.name + ': ' + e.message);
      const sig = await crypto.subtle.sign({ name: 'RSA-PSS', saltLength: 32 }, privateKey, data);
      return {
        sign: await failure(crypto.subtle.sign({ name: 'rsa-pss', saltLength: 0 }, privateKey, data)),
        verify: await failure(crypto.subtle.verify({ name: 'RSA-PSS', saltLength: 0 }, publicKey, sig, data)),
        ok: await crypto.subtle.verify({ name: 'RSA-PSS', saltLength: 32 }, publicKey, sig, data),
      };`);
    expect(out).toEqual({
      sign: "ImplementationError: k6 RSA-PSS uses standard Golang SDK that doesn't supportsalt length=0 but generates salt with maximum length . Sign result might be different.",
      verify: "ImplementationError: k6 RSA-PSS uses standard Golang SDK that doesn't supportsalt length=0 but tries to auto-detect salt length if 0 is used. Verify result might be different.",
      ok: true,
    });
  });

  it('keeps CryptoKey unconstructible and its fields read-only', async () => {
    const out = await inRealm(`
      let made = 'made';
      try { new crypto.CryptoKey(); } catch (e) { made = e instanceof TypeError ? 'TypeError' : String(e); }
      const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 128 }, false, ['encrypt']);
      key.type = 'public';
      return [made, key.type];`);
    expect(out).toEqual(['TypeError', 'secret']);
  });
});
