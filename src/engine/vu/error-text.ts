// Script errors come from the script's realm (another vm context), so `instanceof Error` is false
// for them: read the stack structurally.
export function errorText(e: unknown): string {
  if (typeof e === 'object' && e !== null) {
    const stack = (e as { stack?: unknown }).stack;
    if (typeof stack === 'string' && stack !== '') return stack;
    const message = (e as { message?: unknown }).message;
    if (typeof message === 'string') return message;
  }
  return String(e);
}
