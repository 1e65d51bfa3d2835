// One in-process esbuild (WebAssembly, no worker, no child process) per thread that asks for it.
// esbuild-wasm's browser build never touches the file system; every file it sees is handed to it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let ready;

export function wasmEsbuild() {
  ready ??= (async () => {
    // The browser build looks up `self` to build its Go runtime's global scope.
    globalThis.self ??= globalThis;
    const esbuild = await import('esbuild-wasm/esm/browser.js');
    const wasmModule = new WebAssembly.Module(readFileSync(require.resolve('esbuild-wasm/esbuild.wasm')));
    await esbuild.initialize({ wasmModule, worker: false });
    return esbuild;
  })();
  return ready;
}
