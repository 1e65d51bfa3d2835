// The `tlsCipherSuites` option: k6's cipher suite names (Go's crypto/tls constants, lib/tlsconfig.go)
// and the OpenSSL names Node's TLS takes for them. As in Go, the list restricts TLS 1.0–1.2 suites
// only: TLS 1.3 suites are not configurable there, and Node keeps its TLS 1.3 defaults when `ciphers`
// names none. Responses report the negotiated suite by k6's name (`res.tls_cipher_suite`).

/** k6's name → OpenSSL's. */
const SUITES: ReadonlyMap<string, string> = new Map([
  ['TLS_RSA_WITH_RC4_128_SHA', 'RC4-SHA'],
  ['TLS_RSA_WITH_3DES_EDE_CBC_SHA', 'DES-CBC3-SHA'],
  ['TLS_RSA_WITH_AES_128_CBC_SHA', 'AES128-SHA'],
  ['TLS_RSA_WITH_AES_256_CBC_SHA', 'AES256-SHA'],
  ['TLS_RSA_WITH_AES_128_CBC_SHA256', 'AES128-SHA256'],
  ['TLS_RSA_WITH_AES_128_GCM_SHA256', 'AES128-GCM-SHA256'],
  ['TLS_RSA_WITH_AES_256_GCM_SHA384', 'AES256-GCM-SHA384'],
  ['TLS_ECDHE_ECDSA_WITH_RC4_128_SHA', 'ECDHE-ECDSA-RC4-SHA'],
  ['TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA', 'ECDHE-ECDSA-AES128-SHA'],
  ['TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA', 'ECDHE-ECDSA-AES256-SHA'],
  ['TLS_ECDHE_RSA_WITH_RC4_128_SHA', 'ECDHE-RSA-RC4-SHA'],
  ['TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA', 'ECDHE-RSA-DES-CBC3-SHA'],
  ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', 'ECDHE-RSA-AES128-SHA'],
  ['TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA', 'ECDHE-RSA-AES256-SHA'],
  ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'ECDHE-RSA-AES128-GCM-SHA256'],
  ['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'ECDHE-ECDSA-AES128-GCM-SHA256'],
  ['TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'ECDHE-RSA-AES256-GCM-SHA384'],
  ['TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', 'ECDHE-ECDSA-AES256-GCM-SHA384'],
  ['TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256', 'ECDHE-ECDSA-AES128-SHA256'],
  ['TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305', 'ECDHE-RSA-CHACHA20-POLY1305'],
  ['TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305', 'ECDHE-ECDSA-CHACHA20-POLY1305'],
  ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256', 'ECDHE-RSA-AES128-SHA256'],
  // TLS 1.3: accepted, not configurable (Go ignores them in its config).
  ['TLS_AES_128_GCM_SHA256', ''],
  ['TLS_AES_256_GCM_SHA384', ''],
  ['TLS_CHACHA20_POLY1305_SHA256', ''],
]);

/** Whether k6 knows this cipher suite name (else its options error: unknown cipher suite 'NAME'). */
export function isK6CipherSuite(name: string): boolean {
  return SUITES.has(name);
}

/**
 * Node's `ciphers` string for k6 names, or undefined when they name no TLS 1.0–1.2 suite (Node's
 * defaults then, as Go with only TLS 1.3 names).
 */
export function opensslCiphers(names: readonly string[] | undefined): string | undefined {
  if (names === undefined) return undefined;
  const openssl = names.map((n) => SUITES.get(n) ?? '').filter((n) => n !== '');
  return openssl.length === 0 ? undefined : openssl.join(':');
}

/**
 * k6's name of a negotiated suite, from Node's `getCipher().standardName` (the IANA name). Go's
 * constants drop the `_SHA256` of the two ECDHE ChaCha20 suites; the rest are the IANA names.
 */
export function k6CipherSuiteName(standardName: string): string {
  return standardName.endsWith('_CHACHA20_POLY1305_SHA256') && standardName.startsWith('TLS_ECDHE_')
    ? standardName.slice(0, -'_SHA256'.length)
    : standardName;
}
