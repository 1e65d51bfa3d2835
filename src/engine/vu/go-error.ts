// Errors k6 raises from its Go code reach scripts as sobek's GoError: an Error whose name is
// "GoError", so String(e) and the logged stack read "GoError: <message>" as in k6.

export function goError(message: string): Error {
  const e = new Error(message);
  e.name = 'GoError';
  return e;
}

/** The Go type sobek's Export() gives a script value, as k6's "invalid type %T" messages name it. */
export function goTypeName(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return '[]interface {}';
  if (typeof v === 'function') return 'func(sobek.FunctionCall) sobek.Value';
  if (typeof v === 'object') return 'map[string]interface {}';
  return typeof v;
}
