// The TLS alerts a server sends, in Go's words. crypto/tls returns a received alert as
// `&net.OpError{Op: "remote error", Err: alert}`: its text is `remote error: tls: <alert>`, and
// having no network ("tcp") it is k6's 1010 for HTTP requests. Node reports the same alert as an
// OpenSSL reason (`ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL`).

/** Go's crypto/tls alert texts, by OpenSSL's reason name of the alert a server sent. */
const ALERTS: Readonly<Record<string, string>> = {
  SSLV3_ALERT_UNEXPECTED_MESSAGE: 'unexpected message',
  SSLV3_ALERT_BAD_RECORD_MAC: 'bad record MAC',
  TLSV1_ALERT_DECRYPTION_FAILED: 'decryption failed',
  TLSV1_ALERT_RECORD_OVERFLOW: 'record overflow',
  SSLV3_ALERT_DECOMPRESSION_FAILURE: 'decompression failure',
  SSLV3_ALERT_HANDSHAKE_FAILURE: 'handshake failure',
  SSLV3_ALERT_BAD_CERTIFICATE: 'bad certificate',
  SSLV3_ALERT_UNSUPPORTED_CERTIFICATE: 'unsupported certificate',
  SSLV3_ALERT_CERTIFICATE_REVOKED: 'revoked certificate',
  SSLV3_ALERT_CERTIFICATE_EXPIRED: 'expired certificate',
  SSLV3_ALERT_CERTIFICATE_UNKNOWN: 'unknown certificate',
  SSLV3_ALERT_ILLEGAL_PARAMETER: 'illegal parameter',
  TLSV1_ALERT_UNKNOWN_CA: 'unknown certificate authority',
  TLSV1_ALERT_ACCESS_DENIED: 'access denied',
  TLSV1_ALERT_DECODE_ERROR: 'error decoding message',
  TLSV1_ALERT_DECRYPT_ERROR: 'error decrypting message',
  TLSV1_ALERT_EXPORT_RESTRICTION: 'export restriction',
  TLSV1_ALERT_PROTOCOL_VERSION: 'protocol version not supported',
  TLSV1_ALERT_INSUFFICIENT_SECURITY: 'insufficient security level',
  TLSV1_ALERT_INTERNAL_ERROR: 'internal error',
  TLSV1_ALERT_INAPPROPRIATE_FALLBACK: 'inappropriate fallback',
  TLSV1_ALERT_USER_CANCELLED: 'user canceled',
  TLSV1_ALERT_NO_RENEGOTIATION: 'no renegotiation',
  TLSV13_ALERT_MISSING_EXTENSION: 'missing extension',
  TLSV1_UNSUPPORTED_EXTENSION: 'unsupported extension',
  TLSV1_CERTIFICATE_UNOBTAINABLE: 'certificate unobtainable',
  TLSV1_UNRECOGNIZED_NAME: 'unrecognized name',
  TLSV1_BAD_CERTIFICATE_STATUS_RESPONSE: 'bad certificate status response',
  TLSV1_BAD_CERTIFICATE_HASH_VALUE: 'bad certificate hash value',
  TLSV13_ALERT_CERTIFICATE_REQUIRED: 'certificate required',
  TLSV1_ALERT_NO_APPLICATION_PROTOCOL: 'no application protocol',
};

/** `remote error: tls: <alert>` for a Node error code naming a TLS alert the peer sent, else undefined. */
export function remoteTlsAlertText(code: string | undefined): string | undefined {
  if (code === undefined || !code.startsWith('ERR_SSL_')) return undefined;
  const alert = ALERTS[code.slice('ERR_SSL_'.length)];
  return alert === undefined ? undefined : `remote error: tls: ${alert}`;
}
