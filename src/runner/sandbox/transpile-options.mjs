// The one definition of how a runner's TypeScript is transpiled, shared by the in-process hooks and the
// parent's cache warmer, plus the cache key: a transpiled file is found by its path and exact source.
import { createHash } from 'node:crypto';

export function transpileOptions(path) {
  return { loader: 'ts', format: 'esm', target: 'node20', sourcemap: 'inline', sourcefile: path };
}

export function cacheKey(path, source) {
  return `${createHash('sha256').update(path).update('\0').update(source).digest('hex')}.js`;
}
