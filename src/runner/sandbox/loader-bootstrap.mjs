// Preloaded (`--import`) into every runner process and its worker threads, before any other code.
//
// 1. TypeScript: the runner runs under Node's permission model without child-process rights, so tsx
//    (which spawns esbuild's native binary) cannot load TypeScript there; these hooks transpile
//    in-process with esbuild's WebAssembly build instead, after looking in the transpile cache named
//    by STAMPEDE_RUNNER_CACHE (set by spawnRunner).
// 2. Signals: a script can reach this thread's `process` (a host function's constructor evaluates in
//    the host realm), and the permission model does not cover signals, so `process.kill` could stop
//    the server or any other process. Nothing in a runner needs to signal a process: both entry
//    points are replaced, for good, by functions that refuse.
import { register } from 'node:module';

for (const name of ['kill', '_kill']) {
  Object.defineProperty(process, name, {
    value: () => {
      throw Object.assign(new Error(`process.${name} is not allowed in a runner`), { code: 'ERR_ACCESS_DENIED' });
    },
    writable: false,
    configurable: false,
    enumerable: true,
  });
}

register('./ts-loader-hooks.mjs', import.meta.url, { data: { cacheDir: process.env.STAMPEDE_RUNNER_CACHE ?? '' } });
