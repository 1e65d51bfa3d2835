// Read-only questions the script transform asks of acorn's AST: which functions call, which names a
// scope binds, what a body reads. None of them descends into nested non-arrow functions unless noted.
import type * as acorn from 'acorn';

export type Node = acorn.AnyNode;
export type FunctionNode = acorn.FunctionDeclaration | acorn.AnonymousFunctionDeclaration | acorn.FunctionExpression | acorn.ArrowFunctionExpression;

export function isFunction(n: Node): n is FunctionNode {
  return n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression' || n.type === 'ArrowFunctionExpression';
}

export function childNodes(n: Node): Node[] {
  const out: Node[] = [];
  for (const key of Object.keys(n)) {
    if (key === 'type' || key === 'start' || key === 'end' || key === 'loc' || key === 'range') continue;
    const v = (n as unknown as Record<string, unknown>)[key];
    if (Array.isArray(v)) {
      for (const item of v) if (item !== null && typeof item === 'object' && typeof (item as Node).type === 'string') out.push(item as Node);
    } else if (v !== null && typeof v === 'object' && typeof (v as Node).type === 'string') {
      out.push(v as Node);
    }
  }
  return out;
}

/**
 * Whether a function's own body (not nested functions, nor class bodies except what runs when the
 * class is defined: computed keys, static fields and blocks) makes a call (other than `ignore`d ones) or `new`.
 */
export function containsCall(body: Node, ignore: (call: acorn.CallExpression) => boolean = () => false): boolean {
  const stack: Node[] = [body];
  while (stack.length > 0) {
    const n = stack.pop() as Node;
    if (n.type === 'NewExpression' || n.type === 'TaggedTemplateExpression') return true;
    if (n.type === 'CallExpression' && !ignore(n)) return true;
    if (isFunction(n)) continue;
    if (n.type === 'ClassBody') {
      for (const e of n.body) {
        if (e.type === 'StaticBlock') stack.push(...e.body);
        else {
          if (e.computed) stack.push(e.key);
          if (e.type === 'PropertyDefinition' && e.static && e.value) stack.push(e.value);
        }
      }
      continue;
    }
    stack.push(...childNodes(n));
  }
  return false;
}

export function patternNamesInOrder(params: Node[]): Set<string> {
  const out = new Set<string>();
  for (const p of params) patternNames(p, out);
  return out;
}

export function patternNames(p: Node, out: Set<string>): void {
  switch (p.type) {
    case 'Identifier': out.add(p.name); break;
    case 'AssignmentPattern': patternNames(p.left, out); break;
    case 'RestElement': patternNames(p.argument, out); break;
    case 'ArrayPattern': for (const e of p.elements) if (e !== null) patternNames(e, out); break;
    case 'ObjectPattern':
      for (const prop of p.properties) patternNames(prop.type === 'RestElement' ? prop : prop.value, out);
      break;
    default: break;
  }
}

/** Names a function scope binds: parameters and every declaration in its body outside nested functions. */
export function declaredNames(scope: FunctionNode | acorn.Program): Set<string> {
  const names = new Set<string>();
  if (scope.type !== 'Program') {
    for (const p of scope.params) patternNames(p, names);
    if (scope.type === 'FunctionExpression' && scope.id) names.add(scope.id.name);
  }
  return bodyDeclaredNames(scope.type === 'Program' ? scope.body : [scope.body], names);
}

/** Names declared in statements (any block of them, not in nested functions), added to `names`. */
export function bodyDeclaredNames(stmts: readonly Node[], names = new Set<string>()): Set<string> {
  const stack: Node[] = [...stmts];
  while (stack.length > 0) {
    const n = stack.pop() as Node;
    if (n.type === 'VariableDeclarator') patternNames(n.id, names);
    if ((n.type === 'FunctionDeclaration' || n.type === 'ClassDeclaration') && n.id) names.add(n.id.name);
    if (n.type === 'CatchClause' && n.param) patternNames(n.param, names);
    if (n.type === 'ImportSpecifier' || n.type === 'ImportDefaultSpecifier' || n.type === 'ImportNamespaceSpecifier') names.add(n.local.name);
    if (isFunction(n)) continue;
    stack.push(...childNodes(n));
  }
  return names;
}

/** Whether a body (with its arrows, which share them) uses `super`, or `new.target`. */
export function usesHostBinding(body: Node, kind: 'super' | 'new.target'): boolean {
  const stack: Node[] = [body];
  while (stack.length > 0) {
    const n = stack.pop() as Node;
    if (kind === 'super' ? n.type === 'Super' : n.type === 'MetaProperty' && n.meta.name === 'new') return true;
    if (n.type === 'FunctionExpression' || n.type === 'FunctionDeclaration' || n.type === 'ClassBody') continue;
    stack.push(...childNodes(n));
  }
  return false;
}

/** Whether an expression reads `this` or `super` when it is evaluated (not in functions or arrows it creates). */
export function readsThisNow(expr: Node): boolean {
  const stack: Node[] = [expr];
  while (stack.length > 0) {
    const n = stack.pop() as Node;
    if (n.type === 'ThisExpression' || n.type === 'Super') return true;
    if (isFunction(n) || n.type === 'ClassBody') continue;
    stack.push(...childNodes(n));
  }
  return false;
}

/** Whether an arrow's body reads the enclosing function's `arguments`. */
export function usesArguments(body: Node): boolean {
  const stack: Node[] = [body];
  while (stack.length > 0) {
    const n = stack.pop() as Node;
    if (n.type === 'Identifier' && n.name === 'arguments') return true;
    if (n.type === 'FunctionExpression' || n.type === 'FunctionDeclaration' || n.type === 'ClassBody') continue;
    if (n.type === 'MemberExpression' && !n.computed) {
      stack.push(n.object);
      continue;
    }
    stack.push(...childNodes(n));
  }
  return false;
}

/** Body-level `var` names that redeclare a parameter: `var x = x || 1` must still see the argument. */
export function redeclaredParams(fn: FunctionNode): string[] {
  const params = new Set<string>();
  for (const p of fn.params) patternNames(p, params);
  if (params.size === 0) return [];
  const found = new Set<string>();
  const stack: Node[] = [fn.body];
  while (stack.length > 0) {
    const n = stack.pop() as Node;
    if (n.type === 'VariableDeclaration' && n.kind === 'var') {
      for (const d of n.declarations) {
        const names = new Set<string>();
        patternNames(d.id, names);
        for (const name of names) if (params.has(name)) found.add(name);
      }
    }
    if (isFunction(n)) continue;
    stack.push(...childNodes(n));
  }
  return [...found];
}
