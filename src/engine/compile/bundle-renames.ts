// The top-level names esbuild changed when it put every module into one scope: a second module's
// `function run()` becomes `run2`, `class Page` `Page2`. k6 runs each module in its own scope, so
// the script sees `run.name === 'run'` and its stack traces say `at run (…)`. The bundle's source
// map names the original identifier at each renamed one; from it the factory gives the functions and
// classes their written names back (`__NM` in the prelude) and the stack mapper the frames.
import type { Node, Program } from 'acorn';
import type MagicString from 'magic-string';
import type { SourceMapLookup } from './source-map-lookup.ts';

/** The helper the factory prelude defines: renames `f` from `generated` to `original` if it still has the generated name. */
export const RESTORE_NAME = '__NM';
export const RESTORE_NAME_PRELUDE =
  `const ${RESTORE_NAME} = (f, g, o) => { if (f.name === g) Object.defineProperty(f, 'name', { value: o, configurable: true }); }; `;

const IDENT = /[A-Za-z_$][\w$]*/y;

/** Generated identifier → the name written in the source, for identifiers the bundler renamed. */
export function renamedIdentifiers(code: string, starts: readonly number[], names: readonly string[], lookup: SourceMapLookup): Map<string, string> {
  const out = new Map<string, string>();
  const conflicting = new Set<string>();
  for (const seg of lookup.named()) {
    const original = names[seg.name];
    if (original === undefined) continue;
    IDENT.lastIndex = (starts[seg.line - 1] ?? 0) + seg.column;
    const generated = IDENT.exec(code)?.[0];
    if (generated === undefined || generated === original) continue;
    const known = out.get(generated);
    if (known !== undefined && known !== original) conflicting.add(generated);
    out.set(generated, original);
  }
  for (const name of conflicting) out.delete(name);
  return out;
}

interface Declared extends Node {
  id?: { type: string; name?: string } | null;
  init?: { type: string; id?: unknown } | null;
  declarations?: Declared[];
}

/** The top-level functions and classes whose binding was renamed, each with the statement that declares it. */
function renamedDeclarations(program: Program, renames: ReadonlyMap<string, string>): { name: string; end: number }[] {
  const out: { name: string; end: number }[] = [];
  for (const stmt of program.body as Declared[]) {
    if (stmt.type === 'FunctionDeclaration' || stmt.type === 'ClassDeclaration') {
      const name = stmt.id?.name;
      if (name !== undefined && renames.has(name)) out.push({ name, end: stmt.end });
    } else if (stmt.type === 'VariableDeclaration') {
      for (const d of stmt.declarations ?? []) {
        const name = d.id?.type === 'Identifier' ? d.id.name : undefined;
        const init = d.init;
        // Only anonymous function and class values take their name from the binding.
        const anonymous = init != null && (init.type === 'ArrowFunctionExpression'
          || ((init.type === 'FunctionExpression' || init.type === 'ClassExpression') && init.id == null));
        if (name !== undefined && anonymous && renames.has(name)) out.push({ name, end: stmt.end });
      }
    }
  }
  return out;
}

/** Appends `__NM(run2, "run2", "run")` after each renamed top-level function or class declaration. */
export function restoreRenamedNames(program: Program, s: MagicString, renames: ReadonlyMap<string, string>): void {
  for (const { name, end } of renamedDeclarations(program, renames)) {
    s.appendLeft(end, ` ${RESTORE_NAME}(${name}, ${JSON.stringify(name)}, ${JSON.stringify(renames.get(name))});`);
  }
}
