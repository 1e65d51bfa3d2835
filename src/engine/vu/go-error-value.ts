// A Go error value as sobek hands it to a script (a promise a k6 module or extension rejects with the
// Go error itself, an 'error' event's payload): an object of the script realm whose string form and
// `error()` method give the error's text, with whatever fields the Go value exposes (a struct's
// exported fields, e.g. TCPError's name, method and message).

export interface ErrorObjectRealm {
  object(entries?: Record<string, unknown>): Record<string, unknown>;
}

export function goErrorValue(realm: ErrorObjectRealm, text: string, fields?: Record<string, unknown>): Record<string, unknown> {
  const value = fields === undefined ? realm.object() : realm.object(fields);
  const textOf = (): string => text;
  Object.defineProperties(value, { error: { value: textOf }, toString: { value: textOf } });
  return value;
}
