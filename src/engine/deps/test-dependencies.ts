// A test's dependencies as k6 v2 works them out before it runs anything (internal/cmd/test_load.go
// collectTestDependencies, for `k6 deps`, an archive's metadata.json `dependencies` and the decision to
// provision a custom binary): k6 itself, every k6 module it does not know, every `k6/x/…` import, then
// the `"use k6 …"` directives of every file it imports, whose constraints replace the bare ones; then
// the K6_DEPENDENCIES_MANIFEST defaults for what is still unconstrained. Stampede builds no binaries:
// a custom build is required when a dependency names a module Stampede does not provide, or k6's
// constraint excludes the k6 version Stampede reproduces (K6_COMPAT_VERSION). Constraints on the
// extensions Stampede builds in are not checked: they have no version of their own.
import { pathToFileURL } from 'node:url';
import { loadModules, type CompileIo, type ScriptInput } from '../compile/compile-script.ts';
import { unknownModulesError } from '../compile/unknown-modules.ts';
import { CompileError } from '../compile/compile-error.ts';
import { isK6BuiltinModule, PROVIDED_MODULES } from '../modules/k6-module-names.ts';
import { byBytes, declaredDependencies, toStringMap } from './declared-dependencies.ts';
import { K6_COMPAT_VERSION } from '../options/k6-options.ts';
import { Constraint, ConstraintError, parseVersion } from './semver-constraint.ts';
import { DependencyError, updateDependency, type Dependencies } from './use-directives.ts';

export interface TestDependencies {
  /** After the manifest (what `k6 deps` prints): name → constraint, `*` for any version. */
  readonly dependencies: Readonly<Record<string, string>>;
  /** Before the manifest (what `k6 archive` writes into metadata.json). */
  readonly declared: Readonly<Record<string, string>>;
  /** k6's `Imported()`: k6 modules by name, files by URL, sorted. */
  readonly imports: readonly string[];
  readonly customBuildRequired: boolean;
}

export interface DependencyRequest {
  /** k6 `--type`. */
  readonly type?: 'js' | 'archive';
  /** The environment k6 reads K6_DEPENDENCIES_MANIFEST and K6_AUTO_EXTENSION_RESOLUTION from. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** strconv.ParseBool's false values (k6's K6_AUTO_EXTENSION_RESOLUTION; anything unparsable keeps true). */
function autoResolution(env: DependencyRequest['env']): boolean {
  return !['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(env.K6_AUTO_EXTENSION_RESOLUTION ?? '');
}

/** K6_DEPENDENCIES_MANIFEST: a JSON object of name → constraint ("" for any version). */
function parseManifest(text: string | undefined): Dependencies {
  const out: Dependencies = new Map();
  if (text === undefined || text === '') return out;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new DependencyError(`invalid dependencies manifest ${(e as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || Object.values(parsed).some((v) => typeof v !== 'string')) {
    throw new DependencyError('invalid dependencies manifest json: cannot unmarshal into Go value of type map[string]string');
  }
  for (const [name, value] of Object.entries(parsed as Record<string, string>)) out.set(name, value === '' ? null : Constraint.parse(value));
  return out;
}

/** Whether Stampede runs the test as it is (checkBuiltinDependencies). */
export function satisfiedByStampede(deps: Dependencies): boolean {
  const provided = new Set<string>(PROVIDED_MODULES);
  const k6 = parseVersion(K6_COMPAT_VERSION);
  for (const [name, constraint] of deps) {
    if (name === 'k6') {
      if (constraint !== null && (k6 === undefined || !constraint.check(k6))) return false;
    } else if (!provided.has(name)) {
      return false;
    }
  }
  return true;
}

/** A module's URL as k6 names it: files as file:// URLs (stdin's main `file:///-`), others as they are. */
function importName(name: string, mainPath: string, stdin: boolean): string {
  if (name === 'k6' || name.startsWith('k6/') || /^https:\/\//i.test(name)) return name;
  if (stdin && name === mainPath) return 'file:///-';
  return pathToFileURL(name).href;
}

/**
 * Loads the test's modules (nothing runs) and works out its dependencies. Throws a CompileError: the
 * load's own, k6's unknown-modules error with K6_AUTO_EXTENSION_RESOLUTION=false, or a directive or
 * manifest error (`could not initialize '…': could not load JS test '…': error while parsing use
 * directives …`, no exit code of its own).
 */
export async function testDependencies(input: ScriptInput, io: CompileIo, request: DependencyRequest): Promise<TestDependencies> {
  const loaded = await loadModules(input, io, request.type);
  const { bundle, displayName, testUrl, mainPath } = loaded;
  const stdin = !('path' in input) && input.name === '-' && loaded.archive === undefined;
  const fail = (message: string): CompileError => new CompileError(
    `could not initialize '${displayName}': could not load JS test '${stdin ? 'file:///-' : testUrl}': ${message}`,
    undefined,
    { exitCode: 255 },
  );

  const unknown = bundle.staticImports.filter((m) => (m === 'k6' || m.startsWith('k6/')) && !isK6BuiltinModule(m));
  if (unknown.length > 0 && !autoResolution(request.env)) {
    const err = unknownModulesError(unknown, displayName, testUrl);
    if (err !== undefined) throw err;
  }

  let deps: Dependencies;
  try {
    deps = declaredDependencies(bundle.staticImports, loaded.sources, (m) => importName(m, mainPath, stdin));
  } catch (e) {
    if (e instanceof DependencyError) throw fail(e.message);
    throw e;
  }
  const declared = toStringMap(deps);

  try {
    const manifest = parseManifest(request.env.K6_DEPENDENCIES_MANIFEST);
    for (const [name, constraint] of deps) {
      if (constraint !== null && constraint.toString() !== '*') continue;
      const wanted = manifest.get(name);
      if (wanted !== undefined) updateDependency(deps, name, wanted);
    }
  } catch (e) {
    if (e instanceof DependencyError || e instanceof ConstraintError) throw fail(e.message);
    throw e;
  }

  return {
    dependencies: toStringMap(deps),
    declared,
    imports: bundle.staticImports.map((m) => importName(m, mainPath, stdin)).sort(byBytes),
    customBuildRequired: !satisfiedByStampede(deps),
  };
}
