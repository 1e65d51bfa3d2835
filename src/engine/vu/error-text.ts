// Script errors come from the script's realm (another vm context), so `instanceof Error` is false
// for them: read the stack structurally.
export function errorText(e: unknown): string {
  if (typeof e === 'object' && e !== null) {
    const stack = (e as { stack?: unknown }).stack;
    if (typeof stack === 'string' && stack !== '') return stack;
    // A Go value a module rejects with (k6/x/tcp's TCPError) reads as its Go error text, as sobek
    // prints it; other objects by their message.
    const own = (e as { toString?: unknown }).toString;
    if (typeof own === 'function' && Object.prototype.hasOwnProperty.call(e, 'toString')) return String(e);
    const message = (e as { message?: unknown }).message;
    if (typeof message === 'string') return message;
  }
  return String(e);
}
