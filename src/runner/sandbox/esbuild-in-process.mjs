// What `import ... from 'esbuild'` gives code running inside a runner process: the async esbuild API
// backed by the in-process WebAssembly build. That build has no file system of its own, so a last
// plugin resolves relative and absolute paths and reads the files through Node (within the permission
// model's read list). Bare package imports are not resolved: k6 scripts do not import npm packages.
import { readFile } from 'node:fs/promises';
import { dirname, extname, isAbsolute, resolve as resolvePath } from 'node:path';
import { wasmEsbuild } from './wasm-esbuild.mjs';

const LOADERS = { '.js': 'js', '.mjs': 'js', '.cjs': 'js', '.jsx': 'jsx', '.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.tsx': 'tsx', '.json': 'json', '.txt': 'text', '.css': 'css' };

const nodeFileSystem = {
  name: 'stampede-runner-fs',
  setup(build) {
    build.onResolve({ filter: /^(\.{0,2}\/|\.\.?$)/ }, (args) => {
      if (args.namespace !== 'file' && args.namespace !== '') return undefined;
      const base = args.resolveDir || (args.importer ? dirname(args.importer) : process.cwd());
      return { path: isAbsolute(args.path) ? args.path : resolvePath(base, args.path) };
    });
    build.onLoad({ filter: /.*/, namespace: 'file' }, async (args) => ({
      contents: await readFile(args.path),
      loader: LOADERS[extname(args.path)] ?? 'js',
      resolveDir: dirname(args.path),
    }));
  },
};

function withFileSystem(options) {
  return { ...options, plugins: [...(options?.plugins ?? []), nodeFileSystem] };
}

export async function build(options) { return (await wasmEsbuild()).build(withFileSystem(options)); }
export async function context(options) { return (await wasmEsbuild()).context(withFileSystem(options)); }
export async function transform(input, options) { return (await wasmEsbuild()).transform(input, options); }
export async function formatMessages(messages, options) { return (await wasmEsbuild()).formatMessages(messages, options); }
export async function analyzeMetafile(metafile, options) { return (await wasmEsbuild()).analyzeMetafile(metafile, options); }
export async function initialize() { await wasmEsbuild(); }
export async function stop() {}

function syncUnavailable(name) {
  return () => { throw new Error(`esbuild.${name} is not available inside a runner process; use the async API`); };
}
export const buildSync = syncUnavailable('buildSync');
export const transformSync = syncUnavailable('transformSync');
export const formatMessagesSync = syncUnavailable('formatMessagesSync');
export const analyzeMetafileSync = syncUnavailable('analyzeMetafileSync');
export const version = '0.28.2';

export default { build, context, transform, formatMessages, analyzeMetafile, initialize, stop, buildSync, transformSync, formatMessagesSync, analyzeMetafileSync, version };
