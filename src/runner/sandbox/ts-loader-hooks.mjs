// Module hooks for the sandboxed runner: `.ts` files are transpiled by the in-process esbuild, and the
// bare specifier `esbuild` resolves to an in-process stand-in so code that bundles scripts still works
// without the right to spawn esbuild's native service.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { wasmEsbuild } from './wasm-esbuild.mjs';

const standIn = new URL('./esbuild-in-process.mjs', import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'esbuild') return { url: standIn, shortCircuit: true, format: 'module' };
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
