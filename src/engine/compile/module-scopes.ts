// Which module's top-level code is running, for k6's rule for `open()` called inside a function: the
// path is relative to the module whose top-level code is running (k6's CurrentlyRequiredModule: the
// bottom stack frame, or the module a `require` is evaluating), not to the module the call is written
// in. The bundle runs every module's top-level code in one function, so the compiler marks where each
// module's code starts (`__rt.enterModule(dir)` before the first statement of each run of statements
// of one module) and makes the functions esbuild wraps a module's code in (`__commonJS({ "file"() {…} })`,
// `__esm(…)`, called when the module is first required or imported lazily) set and restore it.
import type * as acorn from 'acorn';
import type MagicString from 'magic-string';
import type { Node } from './ast-queries.ts';

/** esbuild's runtime helpers whose argument is `{ "<module path>"(…) { <module code> } }`. */
const WRAPPER_HELPERS = new Set(['__commonJS', '__esm']);

/** The module bodies esbuild wrapped in a function (a CommonJS module, or an ES module evaluated lazily). */
export function moduleWrappers(program: acorn.Program): Set<acorn.FunctionExpression> {
  const out = new Set<acorn.FunctionExpression>();
  for (const stmt of program.body) {
    if (stmt.type !== 'VariableDeclaration') continue;
    for (const d of stmt.declarations) {
      const init = d.init;
      if (init?.type !== 'CallExpression' || init.callee.type !== 'Identifier' || !WRAPPER_HELPERS.has(init.callee.name)) continue;
      const arg = init.arguments[0];
      if (arg?.type !== 'ObjectExpression' || arg.properties.length !== 1) continue;
      const prop = arg.properties[0];
      if (prop?.type === 'Property' && prop.key.type === 'Literal' && typeof prop.key.value === 'string' && prop.value.type === 'FunctionExpression') {
        out.add(prop.value);
      }
    }
  }
  return out;
}

/** Statements that run no code of their own where they stand (hoisted declarations, module syntax, directives). */
function runsCode(stmt: Node): boolean {
  switch (stmt.type) {
    case 'FunctionDeclaration':
    case 'ImportDeclaration':
    case 'ExportAllDeclaration':
    case 'EmptyStatement':
      return false;
    case 'ExportNamedDeclaration':
      return stmt.declaration !== null && stmt.declaration !== undefined && stmt.declaration.type !== 'FunctionDeclaration';
    case 'ExportDefaultDeclaration':
      return stmt.declaration.type !== 'FunctionDeclaration';
    case 'ExpressionStatement':
      return stmt.directive === undefined;
    default:
      return true;
  }
}

/**
 * Inserts the module markers. Call after the transform's own edits: a wrapper's `try {` goes after
 * the text the transform put at the start of its body, and `} finally {…}` before what it put at the end.
 */
export function markModuleScopes(
  program: acorn.Program, src: string, s: MagicString, wrappers: ReadonlySet<acorn.FunctionExpression>, dirAt: (offset: number) => string,
): void {
  let current: string | undefined;
  for (const stmt of program.body) {
    if (!runsCode(stmt)) continue;
    const dir = dirAt(stmt.start);
    if (dir === current) continue;
    current = dir;
    s.appendLeft(stmt.start, `__rt.enterModule(${JSON.stringify(dir)}); `);
  }
  for (const fn of wrappers) {
    const body = fn.body;
    const first = body.body[0];
    if (first === undefined) continue;
    // esbuild ends a wrapper body with a line break; text at the `}` would otherwise mix with what the
    // transform appended after the body's last statement.
    if (!/\s/.test(src[body.end - 2] ?? '')) continue;
    s.appendLeft(body.start + 1, ` const __ms = __rt.enterModule(${JSON.stringify(dirAt(first.start))}); try {`);
    s.prependLeft(body.end - 1, '} finally { __rt.enterModule(__ms); } ');
  }
}
