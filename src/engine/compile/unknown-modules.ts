// k6 resolves every module a script imports before it runs anything, collecting the k6 modules it
// does not know ('k6/x/…' extensions it was not built with); then it fails once, naming all of them
// (js/modules/resolution.go, UnknownModulesError; internal/cmd/test_load.go adds the prefix, exit 107).
// Stampede builds no binaries: besides the official extensions it has built in (k6-module-names.ts),
// it is k6 with K6_AUTO_EXTENSION_RESOLUTION=false.
import { CompileError } from './compile-error.ts';
import { isK6BuiltinModule, providedModuleList } from '../modules/k6-module-names.ts';

/** Go's sort.Strings order: by bytes (UTF-8), not UTF-16 code units. */
function byBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/**
 * The error for the script's unknown modules, or undefined when it imports none. `scriptName` is the
 * script as the command named it, `testUrl` the file URL k6 loaded it from.
 */
export function unknownModulesError(imported: readonly string[], scriptName: string, testUrl: string): CompileError | undefined {
  const unknown = [...new Set(imported.filter((m) => !isK6BuiltinModule(m)))].sort(byBytes);
  if (unknown.length === 0) return undefined;
  // Go's strconv.Quote: the same as JSON's quoting for module names.
  const list = unknown.map((m) => JSON.stringify(m)).join(', ');
  return new CompileError(
    `could not initialize '${scriptName}': could not load JS test '${testUrl}': `
      + `unknown modules [${list}] were tried to be loaded, but couldn't - `
      + 'this likely means automatic extension resolution is required or a custom k6 binary with the required extensions',
    undefined,
    { fields: { hint: `Stampede loads no other extensions than the official ones it builds in; its modules are ${providedModuleList().join(', ')}` } },
  );
}
