// Whether a bundled script may create promises of its own: an `async` function, `await`, `Promise`,
// a `.then`, `http.asyncRequest`, gRPC's `asyncInvoke`, `crypto.subtle`, a dynamic `import()`, or an
// import of a module whose calls return promises (k6/experimental/fs, csv, streams, redis, k6/secrets,
// k6/websockets' Blob, the k6/x/ extensions): an `open()` of k6/experimental/fs nobody awaits still
// rejects, and k6 fails the init context with it. Only then are its VUs' promises tracked for
// unhandled rejections (vu/promise-owners.ts), which costs a little per promise of the whole thread.
// A false positive (the word in a string or comment) only costs that; a script without any of these
// words has no promise to leave unhandled.
const PROMISE_WORDS =
  /\b(?:async|await|Promise|then|asyncRequest|asyncInvoke|subtle)\b|\bimport\s*\(|['"]k6\/(?:experimental\/(?:fs|csv|streams|redis|websockets)|secrets|websockets|x\/[\w-]+)['"]/;

export function usesPromises(bundleCode: string): boolean {
  return PROMISE_WORDS.test(bundleCode);
}
