// Turns the bundle's remaining ES module syntax into factory code. After bundling, only `k6`/`k6/*`
// imports are left, and exports are the main module's. Imports become `__rt.require(spec)` bindings,
// hoisted to the factory's first line as ES imports are hoisted; export syntax is stripped in place
// (newlines kept) and the exports are returned as the script's namespace object, with getters so
// they stay live bindings like ES exports.
//
// `__rt.require(spec)` returns a module's namespace (an object of named exports). A default import
// takes its `default` property when it has one, else the namespace itself (k6's modules are both).
import type * as acorn from 'acorn';
import type MagicString from 'magic-string';

export interface ModuleSyntaxResult {
  /** Import bindings, on one line, for the top of the factory body. */
  prelude: string;
  /** The `return …;` that hands the namespace to the caller, for the end of the factory body. */
  epilogue: string;
  /** The local name of an ES main's default export (esbuild names an anonymous one `<file>_default`). */
  defaultLocal: string | undefined;
}

const DEFAULT_LOCAL = '__stampede_default';

function keepNewlines(text: string): string {
  return text.replace(/[^\n]/g, '');
}

function exportName(n: acorn.Identifier | acorn.Literal): string {
  return n.type === 'Identifier' ? n.name : String(n.value);
}

function bindingNames(p: acorn.Pattern, out: string[]): void {
  switch (p.type) {
    case 'Identifier': out.push(p.name); break;
    case 'AssignmentPattern': bindingNames(p.left, out); break;
    case 'RestElement': bindingNames(p.argument, out); break;
    case 'ArrayPattern': for (const e of p.elements) if (e !== null) bindingNames(e, out); break;
    case 'ObjectPattern':
      for (const prop of p.properties) bindingNames(prop.type === 'RestElement' ? prop : prop.value, out);
      break;
    default: break;
  }
}

export function rewriteModuleSyntax(program: acorn.Program, src: string, s: MagicString, mainIsCommonJs: boolean): ModuleSyntaxResult {
  const prelude: string[] = [];
  const modules = new Map<string, string>();
  /** exported name → expression giving its current value */
  const exported = new Map<string, string>();
  const spreads: string[] = [];

  const moduleVar = (spec: string): string => {
    let v = modules.get(spec);
    if (v === undefined) {
      v = `__m${modules.size}`;
      modules.set(spec, v);
      prelude.push(`const ${v} = __rt.require(${JSON.stringify(spec)});`);
    }
    return v;
  };
  const remove = (n: acorn.Node): void => {
    s.update(n.start, n.end, keepNewlines(src.slice(n.start, n.end)) || ' ');
  };

  for (const stmt of program.body) {
    switch (stmt.type) {
      case 'ImportDeclaration': {
        const m = moduleVar(String(stmt.source.value));
        for (const spec of stmt.specifiers) {
          if (spec.type === 'ImportDefaultSpecifier') {
            prelude.push(`const ${spec.local.name} = ${m} != null && ${m}.default !== undefined ? ${m}.default : ${m};`);
          } else if (spec.type === 'ImportNamespaceSpecifier') {
            prelude.push(`const ${spec.local.name} = ${m};`);
          } else {
            prelude.push(`const ${spec.local.name} = ${m}[${JSON.stringify(exportName(spec.imported))}];`);
          }
        }
        remove(stmt);
        break;
      }
      case 'ExportNamedDeclaration': {
        if (stmt.declaration) {
          const decl = stmt.declaration;
          s.update(stmt.start, decl.start, keepNewlines(src.slice(stmt.start, decl.start)) || ' ');
          const names: string[] = [];
          if (decl.type === 'VariableDeclaration') for (const d of decl.declarations) bindingNames(d.id, names);
          else names.push(decl.id.name);
          for (const name of names) exported.set(name, name);
        } else {
          const m = stmt.source ? moduleVar(String(stmt.source.value)) : undefined;
          for (const spec of stmt.specifiers) {
            const local = exportName(spec.local);
            exported.set(exportName(spec.exported), m === undefined ? local : `${m}[${JSON.stringify(local)}]`);
          }
          remove(stmt);
        }
        break;
      }
      case 'ExportAllDeclaration': {
        const m = moduleVar(String(stmt.source.value));
        if (stmt.exported) exported.set(exportName(stmt.exported), m);
        else spreads.push(m);
        remove(stmt);
        break;
      }
      case 'ExportDefaultDeclaration': {
        const decl = stmt.declaration;
        const named = (decl.type === 'FunctionDeclaration' || decl.type === 'ClassDeclaration') && decl.id;
        if (named) {
          s.update(stmt.start, decl.start, keepNewlines(src.slice(stmt.start, decl.start)) || ' ');
          exported.set('default', decl.id.name);
        } else {
          s.update(stmt.start, decl.start, `const ${DEFAULT_LOCAL} = ${keepNewlines(src.slice(stmt.start, decl.start))}`);
          if (decl.type === 'FunctionDeclaration' || decl.type === 'ClassDeclaration') s.appendLeft(decl.end, ';');
          exported.set('default', DEFAULT_LOCAL);
        }
        break;
      }
      default:
        break;
    }
  }

  let epilogue: string;
  if (mainIsCommonJs) {
    // esbuild exports a CommonJS main as `export default <module.exports>`: that object is the namespace.
    const value = exported.get('default') ?? 'undefined';
    epilogue = `const __cjs = ${value}; return __cjs !== null && typeof __cjs === 'object' ? __cjs : { default: __cjs };`;
  } else {
    const members = [
      ...spreads.map((m) => `...${m}`),
      ...[...exported].map(([name, expr]) => `get ${JSON.stringify(name)}() { return ${expr}; }`),
    ];
    epilogue = `return { ${members.join(', ')} };`;
  }
  const defaultLocal = mainIsCommonJs ? undefined : exported.get('default');
  return { prelude: prelude.join(' '), epilogue, defaultLocal: defaultLocal !== undefined && /^[\w$]+$/.test(defaultLocal) ? defaultLocal : undefined };
}
