import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { ScriptRealm } from '../vu/script-realm.ts';
import { createX509Module } from './x509-module.ts';

const fixture = (name: string): string => readFileSync(new URL(`../../../test/scripts/fixtures/x509/${name}`, import.meta.url), 'utf8');
type Fn = (encoded: unknown) => Record<string, unknown>;

describe('k6/crypto/x509', () => {
  const realm = new ScriptRealm();
  const x509 = createX509Module(realm) as Record<string, Fn>;
  const parse = x509.parse as Fn;
  const rsa = fixture('rsa.pem');

  it('parse() gives k6\'s Certificate: subject, issuer, dates, alt names, algorithm, SHA-1 fingerprint bytes', () => {
    const cert = parse(rsa);
    expect(cert.subject).toEqual({
      commonName: 'stampede.test', country: 'ZZ', postalCode: '12345', stateOrProvinceName: 'Test Province',
      localityName: 'Testville', streetAddress: '1 Load Street', organizationName: 'Stampede Tests',
      organizationalUnitName: ['Load Team', 'Ops Team'],
      names: [
        { type: '2.5.4.6', value: 'ZZ' }, { type: '2.5.4.8', value: 'Test Province' }, { type: '2.5.4.7', value: 'Testville' },
        { type: '2.5.4.9', value: '1 Load Street' }, { type: '2.5.4.17', value: '12345' }, { type: '2.5.4.10', value: 'Stampede Tests' },
        { type: '2.5.4.11', value: 'Load Team' }, { type: '2.5.4.11', value: 'Ops Team' }, { type: '2.5.4.3', value: 'stampede.test' },
      ],
    });
    // The issuer has no postalCode, streetAddress or organizationalUnitName fields in k6.
    expect(Object.keys(cert.issuer as object)).toEqual(['commonName', 'country', 'stateOrProvinceName', 'localityName', 'organizationName', 'names']);
    expect(cert.notBefore).toBe('2026-11-26T17:12:32Z');
    expect(cert.notAfter).toBe('2036-11-23T17:12:32Z');
    expect(cert.altNames).toEqual(['stampede.test', 'api.stampede.test', 'ops@stampede.test', '192.0.2.7', '2001:db8::1', 'http://stampede.test/about']);
    expect(cert.signatureAlgorithm).toBe('SHA256-RSA');
    expect((cert.fingerPrint as number[]).map((b) => b.toString(16).padStart(2, '0')).join(':').toUpperCase())
      .toBe('E3:E8:D6:C8:AE:16:E9:4C:C0:35:EF:BA:77:EF:BA:6A:35:94:0F:21');
    // Objects and arrays of the script's realm.
    const RealmArray = vm.runInContext('Array', realm.context) as ArrayConstructor;
    expect(cert.altNames).toBeInstanceOf(RealmArray);
  });

  it('public keys: RSA n (bigint) and e (number), ECDSA curve/x/y, DSA parameters/y', () => {
    const rsaKey = parse(rsa).publicKey as { algorithm: string; key: { n: bigint; e: number } };
    expect(rsaKey.algorithm).toBe('RSA');
    expect(rsaKey.key.e).toBe(65537);
    expect(typeof rsaKey.key.n).toBe('bigint');
    expect(rsaKey.key.n.toString(2)).toHaveLength(2048);
    const ec = parse(fixture('ec.pem'));
    expect(ec.signatureAlgorithm).toBe('ECDSA-SHA384');
    const ecKey = ec.publicKey as { algorithm: string; key: { curve: { params(): { name: string } }; x: bigint; y: bigint } };
    expect(ecKey.algorithm).toBe('ECDSA');
    expect(ecKey.key.x.toString(16)).toBe('953bc2bd4c08bf0b7b9f77b9ca7b4a0822595430f3c9647cf25734f35b912db0');
    expect(typeof ecKey.key.y).toBe('bigint');
    expect(ecKey.key.curve.params().name).toBe('P-256');
    const dsa = parse(fixture('dsa.pem'));
    expect(dsa.signatureAlgorithm).toBe('DSA-SHA256');
    const dsaKey = dsa.publicKey as { algorithm: string; key: { parameters: Record<string, unknown>; y: bigint } };
    expect(dsaKey.algorithm).toBe('DSA');
    expect(Object.keys(dsaKey.key.parameters)).toEqual(['p', 'q', 'g']);
    expect(dsaKey.key.y.toString(16).startsWith('2d4233ea3f14e76f')).toBe(true);
  });

  it('getAltNames, getIssuer and getSubject read one part', () => {
    expect(x509.getAltNames?.(rsa)).toHaveLength(6);
    expect((x509.getIssuer?.(rsa) as Record<string, unknown>).commonName).toBe('stampede.test');
    expect((x509.getSubject?.(new TextEncoder().encode(rsa).buffer) as Record<string, unknown>).organizationalUnitName).toEqual(['Load Team', 'Ops Team']);
  });

  it('fails with k6\'s GoErrors: not PEM, not a certificate', () => {
    expect(() => parse('bad-certificate')).toThrow(expect.objectContaining({ name: 'GoError', message: 'failed to decode certificate PEM file' }));
    const spki = '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAElTvCvUwIvwt7n3e5yntKCCJZVDDzyWR88lc0817kS2w+tw0LFrOxpKPBYt+33fKrflsdG218oH4YI3fbKvQ/No=\n-----END PUBLIC KEY-----\n';
    expect(() => parse(spki)).toThrow(/^failed to parse certificate: x509: malformed/);
    expect(() => x509.getSubject?.('nope')).toThrow('failed to decode certificate PEM file');
  });
});
