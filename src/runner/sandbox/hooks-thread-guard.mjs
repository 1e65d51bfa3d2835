// Imported first by ts-loader-hooks.mjs: Node runs module hooks in a thread of their own, which the
// runner's `--import` never reaches, so the guard is installed there before any hook module loads.
import { createRequire } from 'node:module';

createRequire(import.meta.url)('./thread-guard.cjs').guardThread();
