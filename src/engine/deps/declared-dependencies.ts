// The dependencies a test declares (k6 internal/cmd/test_load.go collectTestDependencies, before the
// manifest): what `k6 archive` writes as metadata.json `dependencies` and what `k6 deps` starts from.
import { isK6BuiltinModule } from '../modules/k6-module-names.ts';
import { processUseDirectives, type Dependencies } from './use-directives.ts';

/** Go's sort.Strings order: by bytes. */
export function byBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

export function toStringMap(deps: Dependencies): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of [...deps.keys()].sort(byBytes)) out[name] = deps.get(name)?.toString() ?? '*';
  return out;
}

/**
 * The dependencies a test declares before any manifest (collectTestDependencies' steps 1 to 3): k6,
 * the k6 modules Stampede does not know, every `k6/x/…` import, then the directives of every imported
 * file (read from `sources`; `nameOf` gives the URL k6 names it by). Throws a DependencyError.
 */
export function declaredDependencies(
  staticImports: readonly string[], sources: ReadonlyMap<string, Uint8Array>, nameOf: (module: string) => string,
): Dependencies {
  const deps: Dependencies = new Map();
  for (const name of staticImports) {
    if ((name === 'k6' || name.startsWith('k6/')) && !isK6BuiltinModule(name)) deps.set(name, null);
  }
  if (!deps.has('k6')) deps.set('k6', null);
  for (const name of staticImports) {
    if (name.startsWith('k6/x/') && !deps.has(name)) deps.set(name, null);
  }
  for (const file of staticImports.filter((m) => !(m === 'k6' || m.startsWith('k6/'))).sort(byBytes)) {
    const data = sources.get(file);
    // The jslib.k6.io modules Stampede has built in carry no directives.
    if (data !== undefined) processUseDirectives(nameOf(file), Buffer.from(data).toString('utf8'), deps);
  }
  return deps;
}
