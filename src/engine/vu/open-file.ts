// k6's `open(path, mode?)`: init context only; a string, or an ArrayBuffer for mode "b"; relative
// paths resolve from the directory the compiler passes: the module where `open` is written, or for a
// call inside a function the module whose top-level code is running (compile/module-scopes.ts).
import { posix } from 'node:path';
import { isThenable } from './blocking.ts';
import { callSite } from './call-site.ts';
import { goError } from './go-error.ts';
import type { ScriptRealm } from './script-realm.ts';
import type { FileSource } from './vu-services.ts';

export interface OpenDeps {
  inInit(): boolean;
  /** The test's first init (VU 0's, which finds the files the test opens): k6's deprecation warnings come from it only. */
  firstInit(): boolean;
  warn(message: string): void;
  readonly files: FileSource;
  readonly realm: ScriptRealm;
  block<T>(p: Promise<T>): Promise<T>;
}

/** k6's GoError (internal/js/initcontext.go) for open() and require() called outside the init stage. */
export function onlyInInitStage(fn: 'open' | 'require'): Error {
  return goError(`the "${fn}" function is only available in the init stage (i.e. the global scope), see https://grafana.com/docs/k6/latest/using-k6/test-lifecycle/ for more information`);
}

/**
 * `open(path, mode)` relative to `dir`. `writtenIn` is the module the call is written in when that is
 * not the module `dir` belongs to (a function called from another module's top-level code): k6 then
 * warns, in the test's first init, that the path will one day be relative to `writtenIn`.
 */
export function openFile(deps: OpenDeps, dir: string, path: unknown, mode: unknown, writtenIn?: string): unknown {
  if (!deps.inInit()) throw onlyInInitStage('open');
  // k6 takes a Go string: a missing, undefined or null path is "", anything else its String().
  const file = path === undefined || path === null ? '' : String(path);
  if (file === '') throw goError("open() can't be used with an empty filename");
  if (writtenIn !== undefined && deps.firstInit() && !isAbsoluteOpenPath(file) && moduleDirOf(writtenIn) !== dir) {
    deps.warn(relativityWarning(dir, writtenIn));
  }
  const convert = (bytes: Uint8Array): unknown => (mode === 'b' ? deps.realm.arrayBuffer(bytes) : new TextDecoder().decode(bytes));
  // As k6's openImpl: a file:// URL (what import.meta.resolve gives) is its path, not decoded.
  const read = deps.files.read(resolveOpenPath(dir, file.replace(/^file:\/\//, '')));
  if (!isThenable(read)) return convert(read);
  const attach = callSite(openFile);
  return deps.block(Promise.resolve(read).then(convert, (e: unknown) => {
    throw attach(e);
  }));
}

/** Absolute posix path (or https URL, for a remote module's directory) of `path` opened from `dir`. */
export function resolveOpenPath(dir: string, path: string): string {
  if (/^https?:\/\//i.test(path)) return path;
  if (/^https?:\/\//i.test(dir)) return new URL(path, dir.endsWith('/') ? dir : `${dir}/`).href;
  if (path.startsWith('/')) return normalise(path);
  if (/^[A-Za-z]:[\\/]/.test(path)) return path;
  return normalise(`${dir}/${path}`);
}

function normalise(p: string): string {
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}`;
}

/** As k6 tells (a file URL or an absolute path): no warning for those. */
function isAbsoluteOpenPath(path: string): boolean {
  return path.startsWith('file://') || path.startsWith('/');
}

/** The directory form the compiler passes for a module (compile/factory-source.ts). */
function moduleDirOf(file: string): string {
  return /^https?:\/\//i.test(file) ? new URL('.', file).href : posix.dirname(file);
}

/** A path as k6 names modules: a file URL (percent-encoded), a remote module by its URL. */
function moduleUrl(file: string): string {
  return file.startsWith('/') ? `file://${encodeURI(file)}` : file;
}

/** k6's text (internal/js/bundle.go) for an `open()` whose relative path depends on who called it. */
function relativityWarning(runningDir: string, writtenIn: string): string {
  const pwd = moduleUrl(runningDir.endsWith('/') ? runningDir : `${runningDir}/`);
  return `open() was used and is currently relative to '${pwd}', but in the future it will be aligned with how \`require\` and imports work `
    + `and will be relative to '${moduleUrl(writtenIn)}'. This means that in the future open will open relative path relative to the `
    + 'module/file it is written in. You can future proof this by using `import.meta.resolve()` to get relative paths to the file it is '
    + 'written in the current k6 version.';
}
