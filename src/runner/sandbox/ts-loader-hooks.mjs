// Module hooks for the sandboxed runner: `.ts` files are transpiled by the in-process esbuild, and the
// bare specifiers `esbuild` and `tsx/esm/api` resolve to in-process stand-ins, so code that bundles
// scripts or registers tsx for its workers still works without the right to spawn processes.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { wasmEsbuild } from './wasm-esbuild.mjs';

const STAND_INS = new Map([
  ['esbuild', new URL('./esbuild-in-process.mjs', import.meta.url).href],
  ['tsx/esm/api', new URL('./tsx-stand-in.mjs', import.meta.url).href],
]);

export async function resolve(specifier, context, nextResolve) {
  const standIn = STAND_INS.get(specifier);
  if (standIn !== undefined) return { url: standIn, shortCircuit: true, format: 'module' };
  return nextResolve(specifier, context);
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return nextLoad(url, context);
  const path = fileURLToPath(url);
  const source = await readFile(path, 'utf8');
  const esbuild = await wasmEsbuild();
  const out = await esbuild.transform(source, {
    loader: 'ts', format: 'esm', target: 'node20', sourcemap: 'inline', sourcefile: path,
  });
  return { format: 'module', source: out.code, shortCircuit: true };
}
