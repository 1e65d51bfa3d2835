// Module hooks for the sandboxed runner: `.ts` files are transpiled by the in-process esbuild (or
// taken from the read-only cache the parent warmed, see transpile-cache.ts), and the bare specifiers
// `esbuild` and `tsx/esm/api` resolve to in-process stand-ins, so code that bundles scripts or
// registers tsx for its workers still works without the right to spawn processes.
import './hooks-thread-guard.mjs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheKey, transpileOptions } from './transpile-options.mjs';
import { wasmEsbuild } from './wasm-esbuild.mjs';

const STAND_INS = new Map([
  ['esbuild', new URL('./esbuild-in-process.mjs', import.meta.url).href],
  ['tsx/esm/api', new URL('./tsx-stand-in.mjs', import.meta.url).href],
]);

let cacheDir = null;

export function initialize(data) {
  cacheDir = typeof data?.cacheDir === 'string' && data.cacheDir.length > 0 ? data.cacheDir : null;
}

export async function resolve(specifier, context, nextResolve) {
  const standIn = STAND_INS.get(specifier);
  if (standIn !== undefined) return { url: standIn, shortCircuit: true, format: 'module' };
  return nextResolve(specifier, context);
}

async function cached(path, source) {
  if (cacheDir === null) return null;
  try {
    return await readFile(join(cacheDir, cacheKey(path, source)), 'utf8');
  } catch {
    return null;
  }
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return nextLoad(url, context);
  const path = fileURLToPath(url);
  const source = await readFile(path, 'utf8');
  const code = (await cached(path, source)) ?? (await (await wasmEsbuild()).transform(source, transpileOptions(path))).code;
  return { format: 'module', source: code, shortCircuit: true };
}
