import { describe, expect, it } from 'vitest';
import { constants as osConstants } from 'node:os';
import { classifyHttpError, K6HttpError } from './error-codes.ts';

function sysErr(code: string, message = code): Error {
  return Object.assign(new Error(message), { code });
}

describe('classifyHttpError', () => {
  it.each([
    ['ECONNREFUSED', 1212, 'dial: connection refused'],
    ['ENOTFOUND', 1101, 'lookup: no such host'],
    ['UND_ERR_CONNECT_TIMEOUT', 1211, 'dial: i/o timeout'],
    ['ECONNRESET', 1220, 'read: connection reset by peer'],
    ['EPIPE', 1201, 'read: broken pipe'],
    ['UND_ERR_SOCKET', 1000, 'EOF'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 1310, 'x509: unknown authority'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 1311, "x509: certificate doesn't match hostname"],
    // k6 TestRequestAndBatchTLS/cert_expired: Go's CertificateInvalidError is not one of k6's codes.
    ['CERT_HAS_EXPIRED', 1000, 'x509: certificate has expired or is not yet valid'],
    ['CERT_NOT_YET_VALID', 1000, 'x509: certificate has expired or is not yet valid'],
  ])('%s → %i', (code, expected, message) => {
    expect(classifyHttpError(sysErr(code), 'read')).toEqual({ code: expected, message });
  });

  it('maps other TLS failures to 1300 and keeps their message', () => {
    expect(classifyHttpError(sysErr('ERR_SSL_UNSAFE_LEGACY_RENEGOTIATION_DISABLED', 'unsafe legacy renegotiation disabled'), 'read')).toEqual({
      code: 1300,
      message: 'unsafe legacy renegotiation disabled',
    });
    // A peer that speaks no TLS is Go's RecordHeaderError, 1301 (k6 TestDefaultTLSError).
    expect(classifyHttpError(sysErr('ERR_SSL_WRONG_VERSION_NUMBER', 'wrong version number'), 'read')).toEqual({
      code: 1301,
      message: 'tls: first record does not look like a TLS handshake',
    });
  });

  it("reports an alert the server sent as Go's `remote error: tls: …`, 1010 (a net.OpError without a network)", () => {
    expect(classifyHttpError(sysErr('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', 'sslv3 alert handshake failure'), 'read')).toEqual({
      code: 1010,
      message: 'remote error: tls: handshake failure',
    });
    expect(classifyHttpError(sysErr('ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL', 'tlsv1 alert no application protocol'), 'read')).toEqual({
      code: 1010,
      message: 'remote error: tls: no application protocol',
    });
  });

  it('looks through `cause` like k6 unwraps errors, and defaults to 1000', () => {
    const wrapped = Object.assign(new Error('fetch failed'), { cause: sysErr('ECONNREFUSED') });
    expect(classifyHttpError(wrapped, 'read').code).toBe(1212);
    expect(classifyHttpError(new Error('something odd'), 'read')).toEqual({ code: 1000, message: 'something odd' });
  });

  it("dial errnos k6 has no code for name the errno's number and Go's text (k6 TestTCPErrors)", () => {
    const n = (code: string): number => (osConstants.errno as Record<string, number>)[code] ?? -1;
    expect(classifyHttpError(sysErr('EADDRNOTAVAIL'), 'read')).toEqual({
      code: 1213,
      message: `dial: unknown errno ${n('EADDRNOTAVAIL')} error with msg \`cannot assign requested address\``,
    });
    expect(classifyHttpError(sysErr('EHOSTUNREACH'), 'read').message).toBe(`dial: unknown errno ${n('EHOSTUNREACH')} error with msg \`no route to host\``);
    expect(classifyHttpError(sysErr('EACCES'), 'read')).toEqual({ code: 1213, message: `dial: unknown errno ${n('EACCES')} error with msg \`permission denied\`` });
  });

  it.each([
    // k6 TestHTTP2MessageFallback's cases, in the words undici and node:http2 use.
    ['UND_ERR_SOCKET', 'HTTP/2: "GOAWAY" frame received with code 12', 1623, 'http2: received GoAway with http2 ErrCode INADEQUATE_SECURITY'],
    ['UND_ERR_SOCKET', 'HTTP/2: "GOAWAY" frame received with code 14', 1610, 'http2: received GoAway with http2 ErrCode unknown error code 0xe'],
    ['ERR_HTTP2_STREAM_ERROR', 'Stream closed with error code NGHTTP2_INTERNAL_ERROR', 1633, 'http2: stream error with http2 ErrCode INTERNAL_ERROR'],
    ['UND_ERR_INFO', 'HTTP/2: "stream error" received - code 8', 1639, 'http2: stream error with http2 ErrCode CANCEL'],
    ['ERR_HTTP2_SESSION_ERROR', 'Session closed with error code 1', 1652, 'http2: connection error with http2 ErrCode PROTOCOL_ERROR'],
    ['UND_ERR_SOCKET', 'other side closed', 1000, 'EOF'],
  ])('%s %s → %i', (code, message, expected, text) => {
    expect(classifyHttpError(sysErr(code, message), 'read')).toEqual({ code: expected, message: text });
  });

  it('keeps codes decided by the module itself', () => {
    expect(classifyHttpError(new K6HttpError(1050, 'request timeout'), 'read')).toEqual({ code: 1050, message: 'request timeout' });
  });
});
