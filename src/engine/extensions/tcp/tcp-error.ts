// The values k6/x/tcp's promises reject with and its 'error' event carries. xk6-tcp hands sobek Go
// values: its TCPError struct (fields name, method, message; method error()) and, for a failed write,
// a plain Go error (only error()). sobek gives both the Go error text as their string form.

import { goErrorValue } from '../../vu/go-error-value.ts';

export interface ErrorRealm {
  object(entries?: Record<string, unknown>): Record<string, unknown>;
}

/** TCPError{Name: "TCPError", Method, Message}: "TCP error during <method>: <message>". */
export function tcpErrorValue(realm: ErrorRealm, method: string, message: string): Record<string, unknown> {
  return goErrorValue(realm, `TCP error during ${method}: ${message}`, { name: 'TCPError', method, message });
}
