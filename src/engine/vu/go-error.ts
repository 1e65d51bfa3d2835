// Errors k6 raises from its Go code reach scripts as sobek's GoError: an Error whose name is
// "GoError", so String(e) and the logged stack read "GoError: <message>" as in k6.

export function goError(message: string): Error {
  const e = new Error(message);
  e.name = 'GoError';
  return e;
}
