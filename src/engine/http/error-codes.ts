// k6's HTTP error_code table (lib/netext/httpext/error_codes.go), kept numerically identical so that
// thresholds and dashboards written for k6 keep working. Messages follow k6's short forms.
import { constants as osConstants } from 'node:os';
import { http2FailureOf } from './http2-error-codes.ts';
import { remoteTlsAlertText } from './tls-alerts.ts';

export const ERROR_CODE = {
  generic: 1000,
  nonTcp: 1010,
  invalidUrl: 1020,
  requestTimeout: 1050,
  dns: 1100,
  dnsNoSuchHost: 1101,
  blacklistedIp: 1110,
  blockedHostname: 1111,
  tcp: 1200,
  brokenPipe: 1201,
  unknownErrno: 1202,
  dial: 1210,
  dialTimeout: 1211,
  dialRefused: 1212,
  dialUnknownErrno: 1213,
  resetByPeer: 1220,
  tls: 1300,
  tlsHeader: 1301,
  x509UnknownAuthority: 1310,
  x509Hostname: 1311,
  decompression: 1701,
} as const;

export interface HttpFailure {
  readonly code: number;
  /** k6's message for the code: `res.error` and the `error` tag. */
  readonly message: string;
  /**
   * Go's text of the error, when k6 throws and logs other words than `message`: the dialer's
   * `hostname (x) is in a blocked pattern (p)` behind 1111's `hostname is blocked`.
   */
  readonly goText?: string;
}

/** Raised by this module itself (invalid URL, timeouts, aborts) with the code already decided. */
export class K6HttpError extends Error {
  readonly code: number;
  readonly goText: string | undefined;
  constructor(code: number, message: string, goText?: string) {
    super(message);
    this.code = code;
    this.goText = goText;
  }
}

/** Go's syscall.Errno texts of the dial errors k6 reports by number. */
const GO_ERRNO_TEXT = {
  EHOSTUNREACH: 'no route to host',
  ENETUNREACH: 'network is unreachable',
  EADDRNOTAVAIL: 'cannot assign requested address',
  // A connect the host refuses (a firewall rule; in a server's runner, an endpoint of the server's own).
  EACCES: 'permission denied',
} as const;

const UNKNOWN_AUTHORITY_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
]);

function errorCodeOf(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const code = (err as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

/**
 * Maps an error from undici, node:net or node:tls to k6's code and message. Classification goes by the
 * error's `code` (never its message text), walking `cause` the way k6 unwraps Go errors.
 */
export function classifyHttpError(err: unknown, op: string): HttpFailure {
  if (err instanceof K6HttpError) {
    return err.goText === undefined ? { code: err.code, message: err.message } : { code: err.code, message: err.message, goText: err.goText };
  }
  const code = errorCodeOf(err);
  switch (code) {
    case 'ECONNREFUSED':
      return { code: ERROR_CODE.dialRefused, message: 'dial: connection refused' };
    case 'ENOTFOUND':
      return { code: ERROR_CODE.dnsNoSuchHost, message: 'lookup: no such host' };
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
      return { code: ERROR_CODE.dns, message: `lookup: ${code}` };
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return { code: ERROR_CODE.dialTimeout, message: 'dial: i/o timeout' };
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return { code: ERROR_CODE.requestTimeout, message: 'request timeout' };
    case 'ECONNRESET':
      return { code: ERROR_CODE.resetByPeer, message: `${op}: connection reset by peer` };
    case 'UND_ERR_SOCKET':
      // A GOAWAY frame closes the h2 connection; otherwise the peer closed it without answering:
      // Go reports io.EOF, which k6 leaves at 1000.
      return http2FailureOf(messageOf(err)) ?? { code: ERROR_CODE.generic, message: 'EOF' };
    case 'ERR_HTTP2_STREAM_ERROR':
    case 'ERR_HTTP2_SESSION_ERROR':
    case 'UND_ERR_INFO': {
      const h2 = http2FailureOf(messageOf(err));
      if (h2 !== undefined) return h2;
      break;
    }
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
    case 'ERR_SSL_PACKET_LENGTH_TOO_LONG':
    case 'ERR_SSL_HTTP_REQUEST':
      // Go's tls.RecordHeaderError: the server's first bytes are no TLS record (a plain-TCP or HTTP port).
      return { code: ERROR_CODE.tlsHeader, message: 'tls: first record does not look like a TLS handshake' };
    case 'EPIPE':
      return { code: ERROR_CODE.brokenPipe, message: `${op}: broken pipe` };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EADDRNOTAVAIL':
    case 'EACCES':
      // k6 names the errno's number and Go's text for it (syscall.Errno.Error()).
      return { code: ERROR_CODE.dialUnknownErrno, message: `dial: unknown errno ${osConstants.errno[code]} error with msg \`${GO_ERRNO_TEXT[code]}\`` };
    case 'CERT_HAS_EXPIRED':
    case 'CERT_NOT_YET_VALID':
      // Go's x509.CertificateInvalidError has no code of its own in k6: the generic 1000 with Go's text.
      return { code: ERROR_CODE.generic, message: 'x509: certificate has expired or is not yet valid' };
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return { code: ERROR_CODE.x509Hostname, message: "x509: certificate doesn't match hostname" };
    case 'ERR_INVALID_URL':
      return { code: ERROR_CODE.invalidUrl, message: messageOf(err) };
    default:
      break;
  }
  if (code !== undefined) {
    if (UNKNOWN_AUTHORITY_CODES.has(code)) {
      return { code: ERROR_CODE.x509UnknownAuthority, message: 'x509: unknown authority' };
    }
    const alert = remoteTlsAlertText(code);
    if (alert !== undefined) return { code: ERROR_CODE.nonTcp, message: alert };
    if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || code.startsWith('CERT_')) {
      return { code: ERROR_CODE.tls, message: messageOf(err) };
    }
  }
  const cause = typeof err === 'object' && err !== null ? (err as { cause?: unknown }).cause : undefined;
  if (cause !== undefined && cause !== err) {
    const inner = classifyHttpError(cause, op);
    if (inner.code !== ERROR_CODE.generic) return inner;
  }
  return { code: ERROR_CODE.generic, message: messageOf(err) };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
