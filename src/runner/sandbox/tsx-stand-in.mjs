// What `import ... from 'tsx/esm/api'` gives code inside a runner process. Code that registers tsx for
// its worker threads (the engine does) keeps working: every thread of a runner already has the
// in-process TypeScript hooks from loader-bootstrap.mjs, and tsx itself would need a child process.
export function register() {
  return async () => {};
}
