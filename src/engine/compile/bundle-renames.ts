// The top-level names esbuild changed when it put every module into one scope: a second module's
// `function run()` becomes `run2`, `class Page` `Page2`. k6 runs each module in its own scope, so
// the script sees `run.name === 'run'` and its stack traces say `at run (…)`. The bundle's source
// map names the original identifier at each renamed one; from it the factory gives the functions and
// classes their written names back (`__NM` in the prelude) and the stack mapper the frames.
//
// esbuild also names each module's anonymous default export (`export default function () {}`,
// `export default () => {}`, `export default class {}`) after its file: `bar_default`. The language
// names it `default`, and so does k6 (`at default (file:///…/bar.js:3:7)`): such a name is given
// back as `default` (anonymousDefaults).
import type { Node, Program } from 'acorn';
import type MagicString from 'magic-string';
import type { SourceMapLookup } from './source-map-lookup.ts';
import { offsetToPosition } from './line-starts.ts';

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

/** The name esbuild gives an anonymous default export: the file's base name, then `_default` (and a number when taken). */
const SYNTHESISED_DEFAULT = /_default\d*$/;

/**
 * Top-level bindings esbuild made up for a module's anonymous default export, each mapped to
 * `default`: a binding whose name ends in `_default` and whose position in the bundle maps to the
 * `default` keyword of an `export default` in its original file, not to a name written there.
 */
export function anonymousDefaults(
  program: Program, code: string, starts: readonly number[], lookup: SourceMapLookup, sources: readonly string[],
  sourceText: (file: string) => string | undefined,
): Map<string, string> {
  const out = new Map<string, string>();
  const texts = new Map<string, string[] | undefined>();
  const linesOf = (file: string): string[] | undefined => {
    if (!texts.has(file)) texts.set(file, sourceText(file)?.split('\n'));
    return texts.get(file);
  };
  for (const { name, at } of topLevelBindings(program)) {
    if (!SYNTHESISED_DEFAULT.test(name) || code.slice(at, at + name.length) !== name) continue;
    const { line, column } = offsetToPosition(starts, at);
    const hit = lookup.findExact(line, column);
    const file = hit === undefined ? undefined : sources[hit.source];
    const text = hit === undefined || file === undefined ? undefined : linesOf(file)?.[hit.line - 1]?.slice(hit.column);
    if (text !== undefined && !text.startsWith(name) && /^default\b/.test(text)) out.set(name, 'default');
  }
  return out;
}

/** A name esbuild made up for a module's default export, as the code refers to it: `helpers_default`, `bar_default2`. */
const SYNTHESISED_DEFAULT_REFERENCE = /(?<![\w$.])[A-Za-z_$][\w$]*_default\d*(?![\w$])/g;
const WRITTEN_IDENTIFIER = /^[A-Za-z_$][\w$]*/;

/**
 * The name the importers wrote for a module's default export, for each name esbuild made up for it
 * (`import helpers from './helpers.js'` then `helpers.login()` is `helpers_default.login()` in the
 * bundle): the identifier at each reference's original position. A name whose importers wrote
 * different local names (`helpers` in one module, `h` in another) is left out.
 */
export function importedDefaultNames(
  code: string, starts: readonly number[], lookup: SourceMapLookup, sources: readonly string[],
  sourceText: (file: string) => string | undefined,
): Map<string, string> {
  const written = new Map<string, Set<string>>();
  const texts = new Map<string, string[] | undefined>();
  const linesOf = (file: string): string[] | undefined => {
    if (!texts.has(file)) texts.set(file, sourceText(file)?.split('\n'));
    return texts.get(file);
  };
  for (const m of code.matchAll(SYNTHESISED_DEFAULT_REFERENCE)) {
    const name = m[0];
    const { line, column } = offsetToPosition(starts, m.index);
    const hit = lookup.findExact(line, column);
    const file = hit === undefined ? undefined : sources[hit.source];
    const text = hit === undefined || file === undefined ? undefined : linesOf(file)?.[hit.line - 1]?.slice(hit.column);
    const id = text === undefined ? undefined : WRITTEN_IDENTIFIER.exec(text)?.[0];
    // The declaration maps to `export default …` (or to a name written as such): not a reference.
    if (id === undefined || id === name || id === 'export' || id === 'default') continue;
    let set = written.get(name);
    if (set === undefined) written.set(name, (set = new Set()));
    set.add(id);
  }
  const out = new Map<string, string>();
  for (const [name, ids] of written) if (ids.size === 1) out.set(name, [...ids][0] as string);
  return out;
}

/** Top-level function and class declarations, and `var`/`let`/`const` bindings of anonymous functions and classes: name and offset. */
function topLevelBindings(program: Program): { name: string; at: number }[] {
  const out: { name: string; at: number }[] = [];
  for (const stmt of program.body as Declared[]) {
    if (stmt.type === 'FunctionDeclaration' || stmt.type === 'ClassDeclaration') {
      if (stmt.id?.name !== undefined) out.push({ name: stmt.id.name, at: stmt.id.start });
    } else if (stmt.type === 'VariableDeclaration') {
      for (const d of stmt.declarations ?? []) {
        if (d.id?.type === 'Identifier' && d.id.name !== undefined && d.init != null && isAnonymousValue(d.init)) out.push({ name: d.id.name, at: d.id.start });
      }
    }
  }
  return out;
}

/** An arrow, or a function or class expression without a name of its own (it takes the binding's). */
function isAnonymousValue(init: { type: string; id?: unknown }): boolean {
  return init.type === 'ArrowFunctionExpression' || ((init.type === 'FunctionExpression' || init.type === 'ClassExpression') && init.id == null);
}

interface Declared extends Node {
  id?: { type: string; name?: string; start: number } | null;
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
        // Only anonymous function and class values take their name from the binding.
        if (name !== undefined && d.init != null && isAnonymousValue(d.init) && renames.has(name)) out.push({ name, end: stmt.end });
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
