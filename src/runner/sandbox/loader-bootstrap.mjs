// Preloaded (`--import`) into every runner process and its worker threads. The runner runs under Node's
// permission model without child-process rights, so tsx (which spawns esbuild's native binary) cannot
// load TypeScript there; these hooks transpile in-process with esbuild's WebAssembly build instead,
// after looking in the transpile cache named by STAMPEDE_RUNNER_CACHE (set by spawnRunner).
import { register } from 'node:module';

register('./ts-loader-hooks.mjs', import.meta.url, { data: { cacheDir: process.env.STAMPEDE_RUNNER_CACHE ?? '' } });
