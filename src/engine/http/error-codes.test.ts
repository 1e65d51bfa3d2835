import { describe, expect, it } from 'vitest';
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
    expect(classifyHttpError(sysErr('ERR_SSL_WRONG_VERSION_NUMBER', 'wrong version number'), 'read')).toEqual({
      code: 1300,
      message: 'wrong version number',
    });
  });

  it('looks through `cause` like k6 unwraps errors, and defaults to 1000', () => {
    const wrapped = Object.assign(new Error('fetch failed'), { cause: sysErr('ECONNREFUSED') });
    expect(classifyHttpError(wrapped, 'read').code).toBe(1212);
    expect(classifyHttpError(new Error('something odd'), 'read')).toEqual({ code: 1000, message: 'something odd' });
  });

  it('keeps codes decided by the module itself', () => {
    expect(classifyHttpError(new K6HttpError(1050, 'request timeout'), 'read')).toEqual({ code: 1050, message: 'request timeout' });
  });
});
