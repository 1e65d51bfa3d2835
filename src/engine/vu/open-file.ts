// k6's `open(path, mode?)`: init context only; a string, or an ArrayBuffer for mode "b"; relative
// paths resolve from the directory of the module where `open` is written (the compiler passes it).
import { isThenable } from './blocking.ts';
import { callSite } from './call-site.ts';
import { goError } from './go-error.ts';
import type { ScriptRealm } from './script-realm.ts';
import type { FileSource } from './vu-services.ts';

export interface OpenDeps {
  inInit(): boolean;
  readonly files: FileSource;
  readonly realm: ScriptRealm;
  block<T>(p: Promise<T>): Promise<T>;
}

/** k6's GoError (internal/js/initcontext.go) for open() and require() called outside the init stage. */
export function onlyInInitStage(fn: 'open' | 'require'): Error {
  return goError(`the "${fn}" function is only available in the init stage (i.e. the global scope), see https://grafana.com/docs/k6/latest/using-k6/test-lifecycle/ for more information`);
}

export function openFile(deps: OpenDeps, dir: string, path: unknown, mode: unknown): unknown {
  if (!deps.inInit()) throw onlyInInitStage('open');
  // k6 takes a Go string: a missing, undefined or null path is "", anything else its String().
  const file = path === undefined || path === null ? '' : String(path);
  if (file === '') throw goError("open() can't be used with an empty filename");
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
