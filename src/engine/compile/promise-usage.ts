// Whether a bundled script may create promises of its own: an `async` function, `await`, `Promise`,
// a `.then`, `http.asyncRequest` or a dynamic `import()`. Only then are its VUs' promises tracked for
// unhandled rejections (vu/promise-owners.ts), which costs a little per promise of the whole thread.
// A false positive (the word in a string or comment) only costs that; a script without any of these
// words has no promise to leave unhandled.
const PROMISE_WORDS = /\b(?:async|await|Promise|then|asyncRequest)\b|\bimport\s*\(/;

export function usesPromises(bundleCode: string): boolean {
  return PROMISE_WORDS.test(bundleCode);
}
