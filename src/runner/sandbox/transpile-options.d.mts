import type { TransformOptions } from 'esbuild';

export function transpileOptions(path: string): TransformOptions;
export function cacheKey(path: string, source: string): string;
