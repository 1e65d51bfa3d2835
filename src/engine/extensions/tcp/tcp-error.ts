// The values k6/x/tcp's promises reject with and its 'error' event carries. xk6-tcp hands sobek Go
// values: its TCPError struct (fields name, method, message; method error()) and, for a failed write,
// a plain Go error (only error()). sobek gives both the Go error text as their string form.

export interface ErrorRealm {
  object(entries?: Record<string, unknown>): Record<string, unknown>;
}

/** TCPError{Name: "TCPError", Method, Message}: "TCP error during <method>: <message>". */
export function tcpErrorValue(realm: ErrorRealm, method: string, message: string): Record<string, unknown> {
  const value = realm.object({ name: 'TCPError', method, message });
  const text = (): string => `TCP error during ${method}: ${message}`;
  Object.defineProperties(value, { error: { value: text }, toString: { value: text } });
  return value;
}

/** A plain Go error: its text through error() and String(e). */
export function goErrorValue(realm: ErrorRealm, message: string): Record<string, unknown> {
  const value = realm.object();
  const text = (): string => message;
  Object.defineProperties(value, { error: { value: text }, toString: { value: text } });
  return value;
}
