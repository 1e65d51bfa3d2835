// Preloaded (`--import`) into every runner process and its worker threads, before any other code.
//
// 1. TypeScript: the runner runs under Node's permission model without child-process rights, so tsx
//    (which spawns esbuild's native binary) cannot load TypeScript there; these hooks transpile
//    in-process with esbuild's WebAssembly build instead, after looking in the transpile cache named
//    by STAMPEDE_RUNNER_CACHE (set by spawnRunner).
// 2. What the permission model leaves open to a script that reaches this thread's `process` (a host
//    function's constructor evaluates in the host realm): signals, renicing other processes, and
//    threads started without this file. thread-guard.cjs closes them, for good, in this thread and,
//    through its `Worker`, in every thread started from it.
import { createRequire, register } from 'node:module';

// The hooks first: the guard then refuses `module.register` to scripts (a hook module of theirs would
// run in the hooks thread; ours guards that thread as it loads). No script code runs in between.
register('./ts-loader-hooks.mjs', import.meta.url, { data: { cacheDir: process.env.STAMPEDE_RUNNER_CACHE ?? '' } });

createRequire(import.meta.url)('./thread-guard.cjs').guardThread();
