// The few k6 module types the TypeScript corpus scripts use (k6 ships its own in @types/k6).
declare module 'k6' {
  export function check<T>(value: T, sets: Record<string, ((v: T) => unknown) | boolean>, tags?: Record<string, string>): boolean;
  export function sleep(seconds: number): void;
}
declare module 'k6/execution' {
  const exec: { test: { abort(reason?: string): never } };
  export default exec;
}
