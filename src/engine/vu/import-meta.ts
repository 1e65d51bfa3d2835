// `import.meta` in a script module: k6 gives each module an object with `resolve(specifier)`
// (internal/js/bundle.go SetFinalImportMeta), which resolves as an import statement in that module
// would (internal/loader/loader.go Resolve) and returns the URL as a string: `file:///…` for local
// paths, the URL itself for `https://…`. The compiler replaces `import.meta` with
// `__rt.importMeta(<the module's directory>, <the module>)`.
import { goError } from './go-error.ts';
import type { ScriptRealm } from './script-realm.ts';

/** The URL of `specifier` imported from a module in `dir` (a posix directory or an https directory URL). */
export function resolveImportSpecifier(dir: string, specifier: string): string {
  if (specifier === '') throw goError("require() can't be used with an empty specifier");
  const remoteDir = /^https:\/\//i.test(dir);
  const base = remoteDir ? (dir.endsWith('/') ? dir : `${dir}/`) : fileUrlOf(dir.endsWith('/') ? dir : `${dir}/`);
  if (specifier.startsWith('.') || specifier.startsWith('/')) return new URL(specifier, base).href;
  if (specifier.includes('://')) {
    let url: URL;
    try {
      url = new URL(specifier);
    } catch {
      throw goError(`parse "${specifier}": invalid URL`);
    }
    const scheme = url.protocol.slice(0, -1);
    if (scheme !== 'file' && scheme !== 'https') {
      throw goError(`only supported schemes for imports are file and https, ${specifier} has \`${scheme}\``);
    }
    if (scheme === 'file' && remoteDir) throw goError(`origin (${dir}) not allowed to load local file: ${specifier}`);
    return url.href;
  }
  throw goError(`The moduleSpecifier "${specifier}" couldn't be recognised as something k6 supports.`);
}

function fileUrlOf(absDir: string): string {
  const url = new URL('file:///');
  url.pathname = absDir;
  return url.href;
}

/** One `import.meta` object per module and VU, made in the script's realm. */
export class ImportMetas {
  readonly #byModule = new Map<string, Record<string, unknown>>();

  constructor(private readonly realm: ScriptRealm) {}

  /** `import.meta` of `module` (its path or URL), which resolves specifiers from `dir`. */
  for(dir: string, module: string): Record<string, unknown> {
    let meta = this.#byModule.get(module);
    if (meta === undefined) {
      meta = this.realm.object({ resolve: (specifier: unknown) => resolveImportSpecifier(dir, String(specifier)) });
      this.#byModule.set(module, meta);
    }
    return meta;
  }
}
