// The sync-to-async transform (see docs/engine.md, "Synchronous semantics: the script transform").
// Runs on esbuild's bundle (plain ES2022) and edits it in place with magic-string.
//
// Invariants:
// - No newline is ever added or removed: every line of the output is the same line of the bundle, so
//   line numbers in stack traces equal bundle line numbers (columns are recovered with the edit map).
// - Edits are applied children-first. Text inserted at a node's start uses prependRight and text
//   inserted at its end uses appendLeft, so an enclosing node's insertions always surround those of
//   the nodes inside it. Replacements use `update`, which keeps insertions at the range's edges.
// - A function whose own body calls or constructs is wrapped: its body runs as a generator driven by
//   the factory's `__stampede_run`, and its call sites `yield` blocking results; the driver returns
//   the plain value when nothing blocked, else a blocking promise (made by `__rt.wrap`). A wrapped
//   body that uses `super` becomes an async arrow under `__rt.wrap` instead (a generator cannot
//   see it), so it always returns a blocking promise. Functions reading `new.target` are constructors.
// - Call sites are rewritten only where suspending is legal: module top level and the user's own
//   async functions (`await`), and bodies of wrapped functions (`yield` or `await`).
import type * as acorn from 'acorn';
import type MagicString from 'magic-string';
import {
  bodyDeclaredNames, childNodes, containsCall, declaredNames, isFunction, patternNamesInOrder, readsThisNow, redeclaredParams, usesArguments, usesHostBinding,
  type FunctionNode, type Node,
} from './ast-queries.ts';
import { markModuleScopes, moduleWrappers } from './module-scopes.ts';

type FunctionRole = 'function' | 'method' | 'constructor' | 'accessor';

/** Nodes that open a lexical scope (a fresh one per evaluation) inside a function or the module. */
const SCOPED: ReadonlySet<string> = new Set([
  'BlockStatement', 'ForStatement', 'ForInStatement', 'ForOfStatement', 'WhileStatement', 'DoWhileStatement',
  'SwitchStatement', 'CatchClause', 'StaticBlock',
]);

const RESERVED = new Set([
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum', 'export',
  'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'null', 'return', 'super',
  'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'yield', 'let', 'static',
  'implements', 'interface', 'package', 'private', 'protected', 'public', 'await', 'arguments', 'eval',
]);

/** Global functions that run no script code (beyond toString/valueOf conversions). */
const SYNC_GLOBAL_FUNCTIONS: ReadonlySet<string> = new Set([
  'String', 'Number', 'Boolean', 'BigInt', 'Symbol', 'parseInt', 'parseFloat', 'isNaN', 'isFinite',
  'encodeURIComponent', 'decodeURIComponent', 'encodeURI', 'decodeURI',
]);

/** Methods of global namespaces that run no script code that could block (no callbacks). */
const SYNC_NAMESPACES: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['Math', new Set(Object.getOwnPropertyNames(Math))],
  ['JSON', new Set(['stringify', 'parse'])],
  ['Object', new Set([
    'keys', 'values', 'entries', 'fromEntries', 'assign', 'freeze', 'isFrozen', 'seal', 'create', 'getPrototypeOf',
    'setPrototypeOf', 'getOwnPropertyNames', 'getOwnPropertyDescriptor', 'defineProperty', 'defineProperties', 'hasOwn', 'is',
  ])],
  ['Number', new Set(['isInteger', 'isFinite', 'isNaN', 'isSafeInteger', 'parseFloat', 'parseInt'])],
  ['Array', new Set(['isArray', 'of'])],
  ['String', new Set(['fromCharCode', 'fromCodePoint', 'raw'])],
  ['Date', new Set(['now', 'parse', 'UTC'])],
  ['console', new Set(['log', 'info', 'warn', 'error', 'debug', 'trace'])],
]);

/** Callback-taking builtins routed through `__rt.hof`, so callbacks that block are awaited in order. */
export const HOF_METHODS: ReadonlySet<string> = new Set([
  'forEach', 'map', 'filter', 'reduce', 'reduceRight', 'some', 'every', 'find', 'findIndex', 'findLast',
  'findLastIndex', 'flatMap', 'sort', 'toSorted', 'replace', 'replaceAll',
]);

/**
 * k6/browser methods whose function argument runs in the page, not in the VU: they send its source
 * text (`fn.toString()`) to the browser. A function literal passed straight to one is left exactly as
 * written (nothing inside it is rewritten), so the page gets the script's own code.
 */
export const PAGE_FUNCTION_METHODS: ReadonlySet<string> = new Set([
  'evaluate', 'evaluateHandle', 'evaluateAll', 'waitForFunction', 'addInitScript', '$eval', '$$eval',
]);

/** Names of the factory-level drivers that run a wrapped function's generator (see GLOBALS_PRELUDE). */
export const RUN = '__stampede_run';
export const RUN_CLOSURE = '__stampede_run_closure';
/** Name of the factory-level driver of a class constructor's body (`__rt.construct`). */
export const RUN_CONSTRUCT = '__stampede_run_construct';

/**
 * Name of the factory-level function a generator's waiting call site resumes through:
 * `__RS(yield VALUE, SITE)` gives back what VALUE settled to, or throws its error there after adding
 * the waiting function's frame to the error's stack (vu/caller-frames.ts). SITE is the bundle offset
 * where V8 places the call in a stack frame (SyncTransform.callPosition): the stack mapper shows the
 * added frame at that call, not at `__RS` (factory-source.ts, resume sites).
 */
export const RESUMED = '__RS';

/**
 * How a call site waits: `yield` in a wrapped function's generator, `await` in an async function that
 * cannot block (the module top level, an async arrow under `__rt.wrap`), `prefix` in a user async
 * function: an `await` that first marks the function's synchronous prefix as blocked (`__pf`, see
 * vu/async-prefix.ts), so its caller waits for that prefix as k6's would.
 */
type Suspend = 'await' | 'yield' | 'prefix';

/**
 * Waits for VALUE: in a generator `__RS(yield VALUE, SITE)`, else `await VALUE/*@SITE*\/` (V8 places
 * an async function's frame at the `await`: the comment lets the stack mapper show it at the call).
 * An async function's promise whose synchronous prefix is still blocked (`__t[__P]`, vu/async-prefix.ts)
 * is waited for until that prefix ends, and is then the call's value, as in k6; a promise a wrapped
 * function returned after blocking comes boxed, and `__UB` unboxes it (vu/returned-thenable.ts).
 */
function suspendOn(suspend: Suspend, value: string, site: number): string {
  if (suspend === 'yield') return `${RESUMED}(yield ${value}, ${site})`;
  const wait = value === '__t' ? `(__t[__P] === undefined ? __UB(await __t/*@${site}*/) : (await __t[__P].done, __t))` : `await ${value}/*@${site}*/`;
  return suspend === 'prefix' ? `(__pf === 0 && (__pf = __rt.pre()), ${wait})` : wait;
}

/**
 * `await (__t = VALUE` … this: the user async function's synchronous prefix ends once VALUE is
 * evaluated, right before the function first suspends (vu/async-prefix.ts).
 */
const PREFIX_END = ', __pf === 1 || (__pf = __rt.preEnd(__pf)), __t)';
/**
 * An interrupt (gracefulStop, exec.test.abort…) thrown in the prefix must stop the caller too, as
 * sobek's Interrupt stops the whole runtime: `__rt.preThrow` hands it to the waiting caller.
 */
const PREFIX_FINALLY = '} catch (__e) { __pf = __rt.preThrow(__pf, __e); throw __e; } finally { __pf === 1 || __rt.preEnd(__pf); }';

/** `(__t = CALL` … this … `)`: suspends on CALL's value only when it is a blocking-marked promise. */
function check(suspend: Suspend, site: number): string {
  return `, __t != null && __t[__S] === true ? ${suspendOn(suspend, '__t', site)} : __t)`;
}

/**
 * `(__t = new X(…)` … this … `)`: also waits for a constructor body that blocked (its instance is in
 * `__PC`, the VU's map of instances still being constructed: see `vu/constructing.ts`).
 */
function checkNew(suspend: Suspend, site: number): string {
  return `, __PC.size !== 0 && __PC.has(__t) ? ${suspendOn(suspend, '__rt.constructed(__t)', site)} : __t != null && __t[__S] === true ? ${suspendOn(suspend, '__t', site)} : __t)`;
}

/** Reserved words: as a method name (`a.delete()`), V8 places the call at its `(`, not at the name. */
const KEYWORD_NAMES: ReadonlySet<string> = new Set([
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum', 'export',
  'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'null', 'return', 'switch',
  'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with',
]);

/** Whether statements declare a `var` or a function, outside nested functions (hoisted to the enclosing function). */
function hoistsDeclarations(stmts: readonly Node[]): boolean {
  const stack: Node[] = [...stmts];
  while (stack.length > 0) {
    const n = stack.pop() as Node;
    if (n.type === 'FunctionDeclaration' || (n.type === 'VariableDeclaration' && n.kind === 'var')) return true;
    if (isFunction(n) || n.type === 'ClassBody') continue;
    stack.push(...childNodes(n));
  }
  return false;
}

/** `super(…);` as a statement of its own. */
function isSuperCallStatement(st: Node): boolean {
  return st.type === 'ExpressionStatement' && st.expression.type === 'CallExpression' && st.expression.callee.type === 'Super';
}

/** `getter "token"` or `setter "token"` (a computed key: `getter [computed]`), for `__rt.unwaited`'s warning. */
function accessorLabel(n: acorn.MethodDefinition | acorn.Property): string {
  const k = n.key;
  const name = n.computed ? '[computed]' : k.type === 'Identifier' ? k.name : k.type === 'PrivateIdentifier' ? `#${k.name}` : k.type === 'Literal' ? String(k.value) : '?';
  return `${n.kind === 'set' ? 'setter' : 'getter'} ${JSON.stringify(name)}`;
}

/** An arrow, or a function or class expression without a name: it takes the name of what it is assigned to. */
function isAnonymousFunctionDefinition(n: Node): boolean {
  return n.type === 'ArrowFunctionExpression' || ((n.type === 'FunctionExpression' || n.type === 'ClassExpression') && n.id == null);
}

/**
 * Text around an anonymous function or class that gives it `name`, as the language would have where
 * it was written: `({ "f": VALUE })["f"]` (a property key names the function).
 */
function namingWrap(name: string): [string, string] {
  const key = JSON.stringify(name);
  return [`({ ${key}: `, ` })[${key}]`];
}

/** The constructor's calls that run a class's field steps in order (each waits for the one before when it blocked). */
function fieldStepsText(plan: FieldPlan): string {
  return [...plan.steps.values()].map((m) => `${RUN_CONSTRUCT}(this, this.${m}, []); `).join('');
}

/** `x.evaluate(() => …)`: a call whose function-literal arguments are page code (PAGE_FUNCTION_METHODS). */
function isPageFunctionCall(n: acorn.CallExpression): boolean {
  const c = n.callee;
  return c.type === 'MemberExpression' && !c.computed && c.property.type === 'Identifier' &&
    PAGE_FUNCTION_METHODS.has(c.property.name) && n.arguments.some((a) => isFunction(a));
}

export interface TransformHooks {
  /** Directory (or URL directory) of the original module the bundle offset belongs to: `open()` resolves from it. */
  moduleDirAt(offset: number): string;
  /** The original module (absolute path or URL) the bundle offset belongs to. */
  moduleFileAt(offset: number): string;
}

/** A class being visited: its name, whether it extends another, and its instance fields that run as constructor steps. */
interface ClassInfo {
  readonly name: string | undefined;
  readonly derived: boolean;
  readonly fields: FieldPlan | undefined;
  /** Static fields and blocks that run as steps at the end of the class definition (planStatics). */
  readonly statics: FieldPlan | undefined;
}

/**
 * Instance fields whose initialisers run as steps of the constructor (so a blocking call in one is
 * waited for): every field with an initialiser from the first one that calls something on.
 */
interface FieldPlan {
  /** The fields, mapped to the name of the private generator method that holds each initialiser. */
  readonly steps: Map<Node, string>;
}

interface Ctx {
  /** How call sites here suspend on a blocking result; 'none' where they cannot. */
  readonly suspend: 'none' | Suspend;
  /**
   * In a getter or setter (where nothing can suspend): what it is (`getter "token"`), for the warning
   * `__rt.unwaited` logs when a call there returns a blocking promise.
   */
  readonly unwaited?: string;
}

const NOT_AWAITABLE: Ctx = { suspend: 'none' };
const AWAITABLE: Ctx = { suspend: 'await' };
const YIELDING: Ctx = { suspend: 'yield' };
const PREFIXED: Ctx = { suspend: 'prefix' };

export class SyncTransform {
  private readonly fnStack: Array<FunctionNode | acorn.Program> = [];
  private readonly scopeNames = new WeakMap<FunctionNode | acorn.Program, Set<string>>();
  /** Calls and member accesses on the spine of an optional chain, mapped to the link that uses them. */
  private readonly chainParent = new Map<Node, Node | null>();
  /** Module-level `let` slots caching the generators of module-level declarations and methods. */
  readonly moduleSlots: string[] = [];
  private generators = 0;
  /** Nodes that open a scope, innermost last (functions included). */
  private readonly scopeStack: Node[] = [];
  /** Generator cache slots to declare at the start of a block. */
  private readonly blockSlots = new Map<Node, string[]>();
  /** Names V8 would infer for anonymous functions (`const f = () => …`), given to their generators. */
  private readonly nameHints = new WeakMap<Node, string>();
  /**
   * The `name` the language gives an anonymous function or arrow from where it is written (`const f =
   * () => …`, `f = …`, `{ f: … }`, a class field): kept by the shells of wrapped ones (nameShell).
   */
  private readonly inferredNames = new WeakMap<Node, string>();
  /** The classes around the current position, innermost last: their name and whether they extend another. */
  private readonly classStack: ClassInfo[] = [];
  private fieldSteps = 0;
  /** The functions esbuild wrapped modules' code in (module-scopes.ts): their code is module top-level code. */
  private wrappers: ReadonlySet<acorn.FunctionExpression> = new Set();
  /** Whether an `open()` is called inside a function: the module markers are then needed. */
  private opensInFunctions = false;
  /** `open(…)` calls rewritten to `__rt.openFrom(dir)(…)`. */
  private readonly openCalls = new WeakSet<Node>();

  constructor(
    private readonly src: string,
    private readonly s: MagicString,
    private readonly hooks: TransformHooks,
  ) {}

  run(program: acorn.Program): void {
    this.wrappers = moduleWrappers(program);
    this.fnStack.push(program);
    this.scopeStack.push(program);
    for (const stmt of program.body) this.visit(stmt, AWAITABLE);
    this.scopeStack.pop();
    this.fnStack.pop();
    if (this.opensInFunctions) markModuleScopes(program, this.src, this.s, this.wrappers, (at) => this.hooks.moduleDirAt(at));
  }

  private visit(n: Node, ctx: Ctx): void {
    if (!SCOPED.has(n.type)) {
      this.visitNode(n, ctx);
      return;
    }
    this.scopeStack.push(n);
    this.visitNode(n, ctx);
    this.scopeStack.pop();
    const slots = this.blockSlots.get(n);
    // Declared last, so before any other text inserted at the block's start.
    if (slots !== undefined) this.s.prependRight(n.type === 'StaticBlock' ? this.src.indexOf('{', n.start) + 1 : n.start + 1, `let ${slots.join(', ')}; `);
  }

  private visitNode(n: Node, ctx: Ctx): void {
    switch (n.type) {
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        this.visitFunction(n, 'function');
        return;
      case 'VariableDeclarator':
        if (n.id.type === 'Identifier' && n.init) {
          this.nameHints.set(n.init, n.id.name);
          this.inferredNames.set(n.init, n.id.name);
        }
        this.visitChildren(n, ctx);
        return;
      case 'AssignmentExpression': {
        const target = n.left;
        if (target.type === 'Identifier') {
          this.nameHints.set(n.right, target.name);
          if (n.operator === '=' || n.operator === '&&=' || n.operator === '||=' || n.operator === '??=') this.inferredNames.set(n.right, target.name);
        }
        // `obj.f = function () {…}` leaves the function anonymous, in the language and in k6's stacks
        // (sobek names only what NamedEvaluation names); V8's stack would show its guess `obj.f`.
        this.visitChildren(n, ctx);
        return;
      }
      case 'ClassDeclaration':
      case 'ClassExpression':
      {
        const derived = n.superClass != null;
        const fields = this.planFields(n, derived);
        const statics = this.planStatics(n, ctx);
        this.classStack.push({ name: n.id?.name ?? this.nameHints.get(n), derived, fields, statics });
        this.visitChildren(n, ctx);
        this.classStack.pop();
        if (statics !== undefined && ctx.suspend !== 'none') this.waitForStatics(n, statics, ctx.suspend);
        if (fields !== undefined && !n.body.body.some((e) => e.type === 'MethodDefinition' && e.kind === 'constructor')) {
          // No constructor: one that runs the field steps (after `super(…)` in a derived class).
          const steps = fieldStepsText(fields);
          this.s.appendLeft(n.body.start + 1, derived ? ` constructor(...__a) { super(...__a); ${steps}} ` : ` constructor() { ${steps}} `);
        }
        return;
      }
      case 'MethodDefinition':
        if (n.kind === 'constructor') {
          this.visitConstructor(n.value);
          return;
        }
        if (!n.computed && n.key.type === 'Identifier') this.nameHints.set(n.value, n.key.name);
        if (n.computed) this.visit(n.key, ctx);
        this.visitFunction(n.value, n.kind === 'method' ? 'method' : 'accessor', n.kind === 'method' ? undefined : accessorLabel(n));
        return;
      case 'Property':
        if (!n.computed && n.key.type === 'Identifier') this.nameHints.set(n.value, n.key.name);
        if (!n.computed && n.kind === 'init' && !n.method) {
          const key = n.key.type === 'Identifier' ? n.key.name : n.key.type === 'Literal' ? String(n.key.value) : undefined;
          if (key !== undefined && key !== '__proto__') this.inferredNames.set(n.value, key);
        }
        if (n.computed) this.visit(n.key, ctx);
        if (n.kind !== 'init' && isFunction(n.value)) this.visitFunction(n.value, 'accessor', accessorLabel(n));
        else if (n.method && isFunction(n.value)) this.visitFunction(n.value, 'method');
        else this.visit(n.value, ctx);
        return;
      case 'PropertyDefinition': {
        const cls = this.classStack[this.classStack.length - 1];
        const step = cls?.fields?.steps.get(n) ?? cls?.statics?.steps.get(n);
        if (step !== undefined) {
          this.visitFieldStep(n, step);
          return;
        }
        // Other field initialisers run inside the constructor, where nothing can be awaited.
        if (n.computed) this.visit(n.key, ctx);
        else if (n.value && (n.key.type === 'Identifier' || n.key.type === 'PrivateIdentifier')) {
          this.inferredNames.set(n.value, n.key.type === 'PrivateIdentifier' ? `#${n.key.name}` : n.key.name);
        }
        if (n.value) this.visit(n.value, NOT_AWAITABLE);
        return;
      }
      case 'StaticBlock': {
        const step = this.classStack[this.classStack.length - 1]?.statics?.steps.get(n);
        for (const c of n.body) this.visit(c, step === undefined ? NOT_AWAITABLE : YIELDING);
        // `static {` → `static *#__sfN() { let __t;`: a step run at the end of the class (planStatics).
        const brace = this.src.indexOf('{', n.start);
        if (step !== undefined) this.s.update(n.start, brace + 1, `static *${step}() { let __t;${this.newlinesIn(n.start, brace)}`);
        return;
      }
      case 'ImportExpression':
        // After bundling only k6 modules are left to import dynamically: the VU runtime provides them.
        this.visitChildren(n, ctx);
        if (!n.options && this.src[n.end - 1] === ')') {
          this.s.update(n.start, n.source.start, 'Promise.resolve().then(() => __rt.require(');
          this.s.update(n.end - 1, n.end, '))');
        }
        return;
      case 'MetaProperty':
        // k6's import.meta (internal/js/bundle.go SetFinalImportMeta): { resolve } per module.
        if (n.meta.name === 'import') this.s.update(n.start, n.end, `__rt.importMeta(${JSON.stringify(this.hooks.moduleDirAt(n.start))}, ${JSON.stringify(this.hooks.moduleFileAt(n.start))})`);
        return;
      case 'ChainExpression':
        this.markChain(n.expression);
        this.visit(n.expression, ctx);
        return;
      case 'CallExpression':
        if (isPageFunctionCall(n)) {
          this.visit(n.callee, ctx);
          for (const a of n.arguments) if (!isFunction(a)) this.visit(a, ctx);
        } else this.visitChildren(n, ctx);
        this.rewriteOpen(n);
        if (ctx.suspend !== 'none' && n.callee.type !== 'Super' && !this.isKnownSync(n)) this.rewriteCall(n, ctx.suspend);
        else if (ctx.unwaited !== undefined && n.callee.type !== 'Super' && (this.chainParent.get(n) ?? null) === null && !this.isKnownSync(n)) {
          this.s.prependRight(n.start, '(__t = ');
          this.s.appendLeft(n.end, `, __t != null && __t[__S] === true ? __rt.unwaited(__t, ${JSON.stringify(ctx.unwaited)}) : __t)`);
        }
        return;
      case 'TaggedTemplateExpression':
        this.visitChildren(n, ctx);
        if (ctx.suspend !== 'none') this.wrapCallSite(n.start, n.end, ctx.suspend, n.quasi.start);
        return;
      // `new` is a call site too: a host constructor may block (k6/data's SharedArray whose generator
      // calls open() in VU 0), and so may a class constructor's body (visitConstructor).
      case 'NewExpression':
        this.visitChildren(n, ctx);
        if (ctx.suspend !== 'none') {
          this.s.prependRight(n.start, '(__t = ');
          this.s.appendLeft(n.end, checkNew(ctx.suspend, n.start));
        }
        return;
      case 'MemberExpression':
        this.visitChildren(n, ctx);
        return;
      case 'ForStatement':
      case 'ForInStatement':
      case 'ForOfStatement':
      case 'WhileStatement':
      case 'DoWhileStatement': {
        // `for await` awaits first after its iterable: there the prefix ends, as at an `await`.
        const forAwait = n.type === 'ForOfStatement' && n.await && ctx.suspend === 'prefix';
        if (forAwait) this.s.prependLeft(n.right.start, '(__t = ');
        this.visitChildren(n, ctx);
        if (forAwait) this.s.appendLeft(n.right.end, PREFIX_END);
        this.insertAtBodyStart(n.body, '__rt.tick();');
        return;
      }
      case 'CatchClause':
        this.visitCatch(n, ctx);
        return;
      // The first await of a user async function ends its synchronous prefix (vu/async-prefix.ts).
      case 'AwaitExpression':
        if (ctx.suspend !== 'prefix') {
          this.visitChildren(n, ctx);
          return;
        }
        this.s.prependLeft(n.argument.start, '(__t = ');
        this.visit(n.argument, ctx);
        this.s.appendLeft(n.argument.end, PREFIX_END);
        return;
      default:
        this.visitChildren(n, ctx);
    }
  }

  /**
   * Instance fields to run as constructor steps (FieldPlan): those with an initialiser, from the first
   * one whose initialiser calls something, or in a derived class reads `this` (earlier ones run first
   * anyway and cannot block, nor see a base constructor's unfinished body). None (the
   * calls stay unawaited, docs/engine.md "Limits") when one of those fields has a computed key, or when
   * the constructor cannot run steps: it reads `new.target`; in a derived class its `super()` is not a
   * statement of its own body or the part after it hoists declarations; in a base class a parameter
   * default calls something or reads `this` (the fields would run before those defaults).
   */
  private planFields(cls: acorn.Class, derived: boolean): FieldPlan | undefined {
    const fields = cls.body.body.filter((e): e is acorn.PropertyDefinition => e.type === 'PropertyDefinition' && !e.static);
    // In a derived class, a field reading `this` must also wait for a base constructor that blocked.
    const first = fields.findIndex((f) => f.value != null &&
      (containsCall(f.value, (c) => this.isKnownSync(c)) || (derived && readsThisNow(f.value))));
    if (first === -1) return undefined;
    // A public field without initialiser too, so own keys keep their order (a private one stays undefined).
    const moved = fields.slice(first).filter((f) => f.value != null || f.key.type !== 'PrivateIdentifier');
    if (moved.some((f) => f.computed || (f.value != null && this.findForward(f.key.end, '=') === undefined))) return undefined;
    const ctor = cls.body.body.find((e): e is acorn.MethodDefinition => e.type === 'MethodDefinition' && e.kind === 'constructor');
    if (ctor !== undefined) {
      const fn = ctor.value;
      if (usesHostBinding(fn.body, 'new.target')) return undefined;
      if (derived) {
        const superAt = fn.body.body.findIndex(isSuperCallStatement);
        if (superAt === -1 || hoistsDeclarations(fn.body.body.slice(superAt + 1))) return undefined;
      } else if (fn.params.some((p) => p.type !== 'Identifier' && (containsCall(p) || /\bthis\b/.test(this.src.slice(p.start, p.end))))) {
        return undefined;
      }
    }
    return { steps: new Map(moved.map((f) => [f, `#__sf${this.fieldSteps++}`])) };
  }

  /**
   * Static fields and blocks to run as steps (FieldPlan) when the class is defined where its definition
   * can be waited for (module top level, an async function, a wrapped function's body): from the first
   * one that calls something, each becomes a private static generator method, run in order by a static
   * block added at the end of the class (waitForStatics). None (calls stay unawaited) elsewhere, or when
   * one of them has a computed key.
   */
  private planStatics(cls: acorn.ClassDeclaration | acorn.AnonymousClassDeclaration | acorn.ClassExpression, ctx: Ctx): FieldPlan | undefined {
    if (ctx.suspend === 'none' || (cls.type === 'ClassDeclaration' && cls.id == null)) return undefined;
    const elems = cls.body.body.filter((e) => (e.type === 'PropertyDefinition' && e.static) || e.type === 'StaticBlock') as Array<acorn.PropertyDefinition | acorn.StaticBlock>;
    const calls = (e: acorn.PropertyDefinition | acorn.StaticBlock): boolean => e.type === 'StaticBlock'
      ? e.body.some((st) => containsCall(st, (c) => this.isKnownSync(c)))
      : e.value != null && containsCall(e.value, (c) => this.isKnownSync(c));
    const first = elems.findIndex(calls);
    if (first === -1) return undefined;
    const moved = elems.slice(first).filter((e) => e.type === 'StaticBlock' || e.value != null || e.key.type !== 'PrivateIdentifier');
    if (moved.some((e) => e.type === 'PropertyDefinition' && (e.computed || (e.value != null && this.findForward(e.key.end, '=') === undefined)))) return undefined;
    return { steps: new Map(moved.map((e) => [e, `#__sf${this.fieldSteps++}`])) };
  }

  /**
   * Runs a class's static steps from a static block at its end (each waits for the one before when it
   * blocked, as constructor steps do: the class is kept in `__PC` meanwhile) and waits for them where
   * the class is defined: after a declaration, or around an expression (as `new` is waited for).
   */
  private waitForStatics(cls: acorn.ClassDeclaration | acorn.AnonymousClassDeclaration | acorn.ClassExpression, plan: FieldPlan, suspend: Suspend): void {
    this.s.appendLeft(cls.body.end - 1, ` static { ${fieldStepsText(plan)}}`);
    if (cls.type === 'ClassDeclaration' && cls.id != null) {
      const name = cls.id.name;
      this.s.appendLeft(cls.end, ` if (__PC.size !== 0 && __PC.has(${name})) ${suspendOn(suspend, `__rt.constructed(${name})`, cls.start)};`);
      return;
    }
    // `(0, class …)` is not an anonymous class definition, so `__t = ` does not name it; the name the
    // language would have given it is kept with a property key.
    const inferred = this.inferredNames.get(cls);
    const [open, close] = inferred === undefined || cls.id != null ? ['(0, ', ')'] : namingWrap(inferred);
    this.s.prependRight(cls.start, `(__t = ${open}`);
    this.s.appendLeft(cls.end, `${close}${checkNew(suspend, cls.start)}`);
  }

  /**
   * A field run as a constructor step: `key = VALUE` → `*#__sfN() { let __t; __DF(this, "key", VALUE); }`
   * (`#key; *#__sfN() { let __t; this.#key = VALUE; }` for a private field): a private generator
   * method, whose calls can yield, defines the field with its value (`__DF`: defineProperty, as a field
   * is defined); the constructor runs it (fieldStepsText). An anonymous function keeps the field's
   * name (`({ "key": VALUE })["key"]`).
   */
  private visitFieldStep(n: acorn.PropertyDefinition, step: string): void {
    const value = n.value;
    const key = n.key;
    const st = n.static ? 'static ' : '';
    const name = key.type === 'PrivateIdentifier' ? `#${key.name}` : key.type === 'Identifier' ? key.name : String((key as acorn.Literal).value);
    // After the parentheses the value may sit in (acorn's node leaves them out): the field's end, before its `;`.
    const end = this.src[n.end - 1] === ';' ? n.end - 1 : n.end;
    if (value == null) {
      this.s.update(n.start, end, `${st}*${step}() { __DF(this, ${JSON.stringify(name)}, void 0); }${this.newlinesIn(n.start, end)}`);
      return;
    }
    this.inferredNames.set(value, name);
    this.visit(value, YIELDING);
    const eq = this.findForward(key.end, '=') as number;
    const quoted = JSON.stringify(name);
    // A private field must stay declared (it is then undefined until its step); a public one is created
    // by its step, so own keys come in the order the values were defined (after a base's blocked body).
    if (key.type === 'PrivateIdentifier') this.s.update(eq, eq + 1, `; ${st}*${step}() { let __t; this.${name} = `);
    else this.s.update(n.start, eq + 1, `${st}*${step}() { let __t; __DF(this, ${quoted}, ${this.newlinesIn(n.start, eq)}`);
    if (isAnonymousFunctionDefinition(value)) {
      const [open, close] = namingWrap(name);
      this.s.prependRight(value.start, open);
      this.s.appendLeft(value.end, close);
    }
    this.s.appendLeft(end, key.type === 'PrivateIdentifier' ? '; }' : '); }');
  }

  /** The newlines of a source range that an edit replaces: kept, so every line stays where it was. */
  private newlinesIn(start: number, end: number): string {
    return this.src.slice(start, end).replace(/[^\n]/g, '');
  }

  private visitChildren(n: Node, ctx: Ctx): void {
    for (const c of childNodes(n)) this.visit(c, ctx);
  }

  private visitFunction(fn: FunctionNode, role: FunctionRole, accessor?: string): void {
    // Constructors, accessors and plain generators must return their own value, never a promise; a
    // function reading `new.target` is meant to be a constructor.
    const special =
      role === 'constructor' || role === 'accessor' || (fn.generator && !fn.async) ||
      (fn.type !== 'ArrowFunctionExpression' && usesHostBinding(fn.body, 'new.target'));
    const defaults = special ? [] : this.planDefaults(fn);
    const wrap = !special && !fn.async && (defaults.length > 0 || containsCall(fn.body, (call) => this.isKnownSync(call, fn)));
    // A generator cannot see its host's `super`: such bodies become async arrows instead.
    const asArrow = wrap && (usesHostBinding(fn.body, 'super') || defaults.some((d) => usesHostBinding(d.right, 'super')) ||
      (fn.type === 'ArrowFunctionExpression' && usesHostBinding(fn.body, 'new.target')));
    // A user async function runs synchronously up to its first await in k6, blocking calls included:
    // its call sites and awaits track that prefix (`__pf`), so a caller waits for it (vu/async-prefix.ts).
    const prefixed = fn.async && !fn.generator && !special &&
      (defaults.length > 0 || containsCall(fn.body, (call) => this.isKnownSync(call, fn)));
    const ctx: Ctx = prefixed ? PREFIXED : fn.async && !special ? AWAITABLE : wrap ? (asArrow ? AWAITABLE : YIELDING)
      : role === 'accessor' && accessor !== undefined ? { suspend: 'none', unwaited: accessor } : NOT_AWAITABLE;
    // A generator cached in a slot of the enclosing block must not depend on anything created per
    // call in between: the function must sit directly in a block (or the module), not in a loop
    // head, a parameter list or an expression-bodied arrow.
    const scope = this.scopeStack[this.scopeStack.length - 1];
    const slotScope = scope !== undefined && (scope.type === 'BlockStatement' || scope.type === 'Program') ? scope : undefined;
    this.fnStack.push(fn);
    this.scopeStack.push(fn);
    // Parameter defaults are evaluated before the body, outside the wrapped part, unless they move into it.
    for (const p of fn.params) {
      if (p.type === 'AssignmentPattern' && defaults.includes(p)) this.visit(p.right, ctx);
      else this.visit(p, NOT_AWAITABLE);
    }
    this.visit(fn.body, ctx);
    this.scopeStack.pop();
    this.fnStack.pop();
    const bodyAt = fn.body.type === 'BlockStatement' ? fn.body.start + 1 : wrap && !asArrow && this.isHoistable(fn, role, slotScope)
      ? this.src.lastIndexOf('=>', fn.body.start) + 2 : fn.body.start;
    this.moveDefaults(defaults, bodyAt);

    if (!wrap) {
      const checks = ctx.suspend !== 'none' || (ctx.unwaited !== undefined && containsCall(fn.body, (call) => this.isKnownSync(call, fn)));
      if (prefixed) {
        // The prefix ends at the first await or, whatever happens before it, when the function
        // leaves: a caller never waits for ever. `async (a) => EXPR` gets a block body for that.
        if (fn.body.type === 'BlockStatement') {
          this.s.appendLeft(fn.body.start + 1, ' let __t, __pf = 0; try {');
          this.s.appendLeft(fn.body.end - 1, ` ${PREFIX_FINALLY} `);
        } else {
          this.s.prependLeft(this.src.lastIndexOf('=>', fn.body.start) + 2, ' { let __t, __pf = 0; try { return (');
          this.s.appendLeft(fn.end, `); ${PREFIX_FINALLY} }`);
        }
      } else if (checks && fn.body.type === 'BlockStatement') this.s.appendLeft(fn.body.start + 1, ' let __t;');
    } else if (asArrow) {
      this.wrapAsyncArrow(fn);
    } else {
      this.wrapGenerator(fn, role, slotScope);
    }
  }

  /**
   * Parameters whose defaults move into the body, where their calls can be waited for: from the first
   * `name = DEFAULT` whose default calls something, every later `name = DEFAULT`. The parameter keeps
   * `name = void 0` (so `f.length` and `arguments` do not change) and the body starts with
   * `if (name === undefined) name = DEFAULT;` for each, in order (moveDefaults). None (the calls stay
   * unawaited, docs/engine.md "Limits") when a moved default spans lines, reads `arguments`,
   * `new.target`, a later parameter or a name the body declares, when a moved parameter's name is
   * declared in the body or read by an earlier parameter's default, when a later parameter is a
   * pattern with defaults, or for an async arrow with an expression body.
   */
  private planDefaults(fn: FunctionNode): acorn.AssignmentPattern[] {
    const params = fn.params;
    const first = params.findIndex((p) => p.type === 'AssignmentPattern' && containsCall(p.right, (c) => this.isKnownSync(c, fn)));
    if (first === -1) return [];
    if (fn.async && fn.body.type !== 'BlockStatement') return [];
    const moved: acorn.AssignmentPattern[] = [];
    const bodyNames = bodyDeclaredNames([fn.body]);
    const later = params.slice(first);
    const laterNames = [...patternNamesInOrder(later)];
    for (const [i, p] of later.entries()) {
      if (p.type === 'AssignmentPattern' && p.left.type === 'Identifier') {
        const text = this.src.slice(p.left.end, p.end);
        const eq = this.findForward(p.left.end, '=');
        const readsLater = laterNames.slice(i).some((n) => this.refersTo(p.right, n));
        if (eq === undefined || text.includes('\n') || usesArguments(p.right) || usesHostBinding(p.right, 'new.target') || readsLater ||
          bodyNames.has(p.left.name) || [...bodyNames].some((n) => this.refersTo(p.right, n))) return [];
        moved.push(p);
      } else if (p.type !== 'Identifier' && !(p.type === 'RestElement' && p.argument.type === 'Identifier') && this.hasDefault(p)) {
        return [];
      }
    }
    // A closure in an earlier default would keep reading the shell's parameter, not the moved value.
    const movedNames = moved.map((p) => (p.left as acorn.Identifier).name);
    if (params.slice(0, first).some((p) => movedNames.some((n) => this.refersTo(p, n)))) return [];
    return moved;
  }

  /** Whether a parameter pattern has a default anywhere in it. */
  private hasDefault(p: Node): boolean {
    const stack: Node[] = [p];
    while (stack.length > 0) {
      const n = stack.pop() as Node;
      if (n.type === 'AssignmentPattern') return true;
      if (isFunction(n)) continue;
      stack.push(...childNodes(n));
    }
    return false;
  }

  /**
   * Moves planned defaults (planDefaults) to `at`, the start of the body (after what the wrapping put
   * there): `name = DEFAULT` → `name = void 0` and `if (name === undefined) name = DEFAULT;` in the body.
   * The moved text spans no newline, so every other line stays where it was.
   */
  private moveDefaults(defaults: readonly acorn.AssignmentPattern[], at: number): void {
    for (const p of defaults) {
      const name = (p.left as acorn.Identifier).name;
      const from = (this.findForward(p.left.end, '=') as number) + 1;
      this.s.prependRight(from, ` if (${name} === undefined) ${name} =`);
      this.s.appendLeft(p.end, ';');
      this.s.appendLeft(from, ' void 0');
      this.s.move(from, p.end, at);
    }
  }

  /**
   * A class constructor whose body calls something runs that body (in a derived class: the part after
   * its `super(…);` statement) under `__rt.construct` (`vu/constructing.ts`), which drives it like a
   * wrapped function's generator, first waits for a base constructor that blocked, and keeps the
   * instance in the VU's map of instances under construction until the body is done; the `new` call
   * site waits for that (checkNew). In a derived class the part after `super()` is driven even when it
   * calls nothing, so it still runs after a base constructor that blocked.
   *   constructor(a) { B }            → constructor(a) { return RUN_CONSTRUCT(this, function* C() { let __t; B }, arguments); }
   *   constructor(a) { S; super(a); B } → constructor(a) { S; super(a);; return RUN_CONSTRUCT(this, function* C() { let __t; B }, arguments); }
   * A body that uses `super.x` gets an async arrow instead of the generator (which could not see it).
   * Left as before (nothing in it can suspend): a constructor reading `new.target`, a derived one whose
   * `super()` is not a statement of the body itself or whose later part declares `var`s or functions
   * (hoisted, the earlier part could see them), and in every constructor the parameter defaults.
   */
  private visitConstructor(fn: acorn.FunctionExpression): void {
    const cls = this.classStack[this.classStack.length - 1];
    const derived = cls?.derived === true;
    const stmts = fn.body.body;
    const superAt = derived ? stmts.findIndex(isSuperCallStatement) : -1;
    const rest = stmts.slice(superAt + 1);
    const eligible = !usesHostBinding(fn.body, 'new.target') && (!derived || (superAt !== -1 && !hoistsDeclarations(rest)));
    // Field steps (planFields: only when eligible) run first, and the body after them.
    const steps = cls?.fields === undefined ? '' : fieldStepsText(cls.fields);
    const at = superAt === -1 ? fn.body.start + 1 : (stmts[superAt] as Node).end;
    // A base constructor's parameter defaults that call move into the body (planDefaults); a derived
    // one evaluates them before `super()`, where nothing can suspend.
    const defaults = eligible && !derived ? this.planDefaults(fn) : [];
    const wrap = eligible && (rest.length > 0 || defaults.length > 0) &&
      (derived || steps !== '' || defaults.length > 0 || rest.some((st) => containsCall(st, (call) => this.isKnownSync(call, fn))));
    if (!wrap) {
      this.visitFunction(fn, 'constructor');
      if (steps !== '') this.s.appendLeft(at, `${superAt === -1 ? ' ' : '; '}${steps}`);
      return;
    }
    const asArrow = rest.some((st) => usesHostBinding(st, 'super')) || defaults.some((d) => usesHostBinding(d.right, 'super'));
    const body = fn.body;
    this.fnStack.push(fn);
    this.scopeStack.push(fn);
    for (const p of fn.params) {
      if (p.type === 'AssignmentPattern' && defaults.includes(p)) this.visit(p.right, asArrow ? AWAITABLE : YIELDING);
      else this.visit(p, NOT_AWAITABLE);
    }
    this.scopeStack.push(body);
    stmts.forEach((st, i) => this.visit(st, i <= superAt ? NOT_AWAITABLE : asArrow ? AWAITABLE : YIELDING));
    this.scopeStack.pop();
    const slots = this.blockSlots.get(body);
    if (slots !== undefined) this.s.prependRight(body.start + 1, `let ${slots.join(', ')}; `);
    this.scopeStack.pop();
    this.fnStack.pop();

    const name = cls?.name !== undefined && /^[A-Za-z_$][\w$]*$/.test(cls.name) && !RESERVED.has(cls.name) &&
      ![...rest, ...defaults].some((st) => this.refersTo(st, cls.name as string)) ? cls.name : '';
    const head = `${superAt === -1 ? ' ' : '; '}${steps}return `;
    if (asArrow) {
      this.s.appendLeft(at, `${head}${RUN_CONSTRUCT}(this, async () => { let __t;`);
      this.s.appendLeft(body.end - 1, '});');
    } else {
      this.s.appendLeft(at, `${head}${RUN_CONSTRUCT}(this, function* ${name}() { let __t;`);
      this.s.appendLeft(body.end - 1, '}, arguments);');
    }
    this.moveDefaults(defaults, at);
  }

  /** `return __rt.wrap(async () => { let __t; BODY })`: keeps `super` visible. */
  private wrapAsyncArrow(fn: FunctionNode): void {
    const rebound = redeclaredParams(fn);
    const head = rebound.length === 0 ? '__rt.wrap(async () => {' : `__rt.wrap((async (${rebound.join(', ')}) => {`;
    const tail = rebound.length === 0 ? '})' : `}).bind(null, ${rebound.join(', ')}))`;
    this.insertAroundBody(fn, head, tail);
  }

  private insertAroundBody(fn: FunctionNode, head: string, tail: string): void {
    const body = fn.body;
    if (body.type === 'BlockStatement') {
      this.s.appendLeft(body.start + 1, ` return ${head} let __t;`);
      this.s.appendLeft(body.end - 1, tail);
    } else {
      // Expression bodies share the enclosing `__t`: it is only ever read right after being assigned.
      this.s.appendLeft(body.start, head);
      // Moved parameter defaults go between (moveDefaults).
      this.s.prependRight(body.start, ' return (');
      this.s.appendLeft(body.end, `); ${tail}`);
    }
  }

  /**
   * The body becomes a generator created once per evaluation of the function (creating a generator
   * closure on every call costs microseconds in V8), called with the arguments on every call:
   * - declaration or method: f(a) { return RUN((G ??= function* f(a) { BODY }).apply(this, arguments), new.target && this) }
   *   with `let G;` at the start of the enclosing block (or module): created on the first call, once
   *   per evaluation of that block; the generator's own parameters shadow the first call's.
   * - expression:    ((G) => function (a) { return RUN(G.apply(this, arguments), new.target && this); })(function* (a) { BODY })
   *   (`new.target && this` only for functions, which `new` may call: not for methods)
   * - arrow:         ((G) => (a) => RUN(G.call(this, a)))(function* (a) { BODY })
   * Otherwise (a declaration or method not directly in a block, a body reading an arrow's lexical
   * `arguments`, a named expression calling itself) the generator is created per call (RUN_CLOSURE).
   */
  private wrapGenerator(fn: FunctionNode, role: FunctionRole, slotScope: Node | undefined): void {
    const body = fn.body;
    const isArrow = fn.type === 'ArrowFunctionExpression';
    const simple = fn.params.every((p) => p.type === 'Identifier' || (p.type === 'RestElement' && p.argument.type === 'Identifier'));
    const readsArguments = usesArguments(body);
    const names = [...patternNamesInOrder(fn.params)];
    const hoistable = this.isHoistable(fn, role, slotScope);
    const cached = role === 'method' || fn.type === 'FunctionDeclaration';
    // A function (not an arrow or a method) may be called with `new`: the shell then hands the driver
    // its instance, which a body that blocks keeps under construction (vu/constructing.ts).
    const ctorArg = role === 'function' && !isArrow ? ', new.target && this' : '';
    if (!hoistable) {
      this.wrapGeneratorClosure(fn, isArrow, readsArguments, ctorArg);
      return;
    }
    const g = `__sg${this.generators++}`;
    // Simple parameters are repeated as written (`arguments` then matches); others by their bound names.
    const paramList = simple
      ? fn.params.map((p) => (p.type === 'RestElement' && p.argument.type === 'Identifier' ? `...${p.argument.name}` : p.type === 'Identifier' ? p.name : '')).join(', ')
      : names.join(', ');
    const invoke = !isArrow && simple ? 'apply(this, arguments)' : `call(this${paramList === '' ? '' : `, ${paramList}`})`;
    const genName = this.generatorName(fn);
    const [nOpen, nClose] = this.namedGenerator(fn, genName);

    if (cached && slotScope !== undefined) {
      if (slotScope.type === 'Program') this.moduleSlots.push(g);
      else this.blockSlots.set(slotScope, [...(this.blockSlots.get(slotScope) ?? []), g]);
      this.s.appendLeft(body.start + 1, ` return ${RUN}((${g} ??= ${nOpen}function* ${genName}(${paramList}) { let __t;`);
      this.s.appendLeft(body.end - 1, `}${nClose}).${invoke}${ctorArg})`);
    } else if (!isArrow) {
      const [open, close] = this.nameShell(fn);
      this.s.prependRight(fn.start, `((${g}) => ${open}`);
      this.s.appendLeft(body.start + 1, ` return ${RUN}(${g}.${invoke}${ctorArg}); }${close})(${nOpen}function* ${genName}(${paramList}) { let __t;`);
      this.s.appendLeft(fn.end, `${nClose})`);
    } else if (body.type === 'BlockStatement') {
      const [open, close] = this.nameShell(fn);
      this.s.prependRight(fn.start, `((${g}) => ${open}`);
      this.s.prependRight(body.start, `${RUN}(${g}.${invoke})${close})(${nOpen}function* ${genName}(${paramList}) `);
      this.s.appendLeft(body.start + 1, ' let __t;');
      this.s.appendLeft(fn.end, `${nClose})`);
    } else {
      // Split right after `=>`: the body may sit in parentheses that belong to the arrow.
      const arrow = this.src.lastIndexOf('=>', body.start);
      const [open, close] = this.nameShell(fn);
      this.s.prependRight(fn.start, `((${g}) => ${open}`);
      this.s.appendLeft(arrow + 2, ` ${RUN}(${g}.${invoke})${close})(${nOpen}function* ${genName}(${paramList}) {`);
      // Moved parameter defaults go between (moveDefaults).
      this.s.prependRight(arrow + 2, ' return (');
      this.s.appendLeft(fn.end, `); }${nClose})`);
    }
  }

  /** Whether a wrapped function's generator is created once per closure (wrapGenerator), not per call. */
  private isHoistable(fn: FunctionNode, role: FunctionRole, slotScope: Node | undefined): boolean {
    const isArrow = fn.type === 'ArrowFunctionExpression';
    const simple = fn.params.every((p) => p.type === 'Identifier' || (p.type === 'RestElement' && p.argument.type === 'Identifier'));
    const readsArguments = usesArguments(fn.body);
    const ownName = fn.type !== 'ArrowFunctionExpression' ? fn.id?.name : undefined;
    const callsOwnName = fn.type === 'FunctionExpression' && ownName !== undefined && this.refersTo(fn.body, ownName);
    const cached = role === 'method' || fn.type === 'FunctionDeclaration';
    return (simple || !readsArguments) && (cached ? slotScope !== undefined : !callsOwnName && !(isArrow && readsArguments));
  }

  /**
   * Text around an anonymous function's shell that gives it the name the language would have
   * inferred where it was written (`const f = () => …` has `f.name === 'f'`, which a shell created
   * by a call would lose): namingWrap().
   */
  private nameShell(fn: FunctionNode): [string, string] {
    if (fn.type !== 'ArrowFunctionExpression' && fn.id) return ['', ''];
    const name = this.inferredNames.get(fn);
    if (name === undefined) return ['', ''];
    return namingWrap(name);
  }

  /** Per-call generator closure: `return RUN_CLOSURE(function* () { BODY }, this, arguments)`. */
  private wrapGeneratorClosure(fn: FunctionNode, isArrow: boolean, readsArguments: boolean, ctorArg: string): void {
    const rebound = redeclaredParams(fn);
    const args = rebound.length > 0 ? `[${rebound.join(', ')}]` : !isArrow || readsArguments ? 'arguments' : '[]';
    const genName = this.generatorName(fn);
    const [nOpen, nClose] = this.namedGenerator(fn, genName);
    this.insertAroundBody(fn, `${RUN_CLOSURE}(${nOpen}function* ${genName}(${rebound.join(', ')}) {`, `}${nClose}, this, ${args}${ctorArg})`);
  }

  /** Whether `name` is read as a variable anywhere in `body` (property names do not count). */
  private refersTo(body: Node, name: string): boolean {
    if (!this.src.slice(body.start, body.end).includes(name)) return false;
    const stack: Node[] = [body];
    while (stack.length > 0) {
      const n = stack.pop() as Node;
      if (n.type === 'Identifier') {
        if (n.name === name) return true;
        continue;
      }
      if (n.type === 'MemberExpression' && !n.computed) {
        stack.push(n.object);
        continue;
      }
      if ((n.type === 'Property' || n.type === 'MethodDefinition' || n.type === 'PropertyDefinition') && !n.computed) {
        if (n.value) stack.push(n.value);
        continue;
      }
      stack.push(...childNodes(n));
    }
    return false;
  }


  /**
   * Text around a generator that cannot carry its function's name (the body refers to that name, which
   * the generator's own name would shadow: a recursive function): `__rt.named(GEN, "name")` sets its
   * `name`, which stack traces show (else V8 would show the cache slot, `__sg0`, or nothing).
   */
  private namedGenerator(fn: FunctionNode, genName: string): [string, string] {
    if (genName !== '') return ['', ''];
    const name = (fn.type !== 'ArrowFunctionExpression' ? fn.id?.name : undefined) ?? this.nameHints.get(fn);
    if (name === undefined || !/^[A-Za-z_$][\w$]*$/.test(name) || RESERVED.has(name)) return ['', ''];
    return ['__rt.named(', `, ${JSON.stringify(name)})`];
  }

  /** The original function's name for stack traces, unless the body refers to that name (it would be shadowed). */
  private generatorName(fn: FunctionNode): string {
    const name = (fn.type !== 'ArrowFunctionExpression' ? fn.id?.name : undefined) ?? this.nameHints.get(fn);
    if (name === undefined || !/^[A-Za-z_$][\w$]*$/.test(name) || RESERVED.has(name)) return '';
    return this.refersTo(fn.body, name) ? '' : name;
  }

  private visitCatch(n: acorn.CatchClause, ctx: Ctx): void {
    const param = n.param;
    if (param === null || param === undefined) {
      this.s.appendLeft(n.start + 'catch'.length, ' (__e)');
      this.visit(n.body, ctx);
      this.s.appendLeft(n.body.start + 1, ' __rt.caught(__e);');
    } else if (param.type === 'Identifier') {
      this.visit(n.body, ctx);
      this.s.appendLeft(n.body.start + 1, ` __rt.caught(${param.name});`);
    } else {
      // Destructuring moves into the body, after the check; defaults inside it stay unawaited.
      const pattern = this.src.slice(param.start, param.end);
      this.s.update(param.start, param.end, '__e' + pattern.replace(/[^\n]/g, ''));
      this.visit(n.body, ctx);
      this.s.appendLeft(n.body.start + 1, ` __rt.caught(__e); let ${pattern.replace(/\r?\n/g, ' ')} = __e;`);
    }
  }

  private insertAtBodyStart(body: acorn.Statement, code: string): void {
    if (body.type === 'BlockStatement') {
      this.s.appendLeft(body.start + 1, ` ${code}`);
    } else {
      this.s.prependRight(body.start, `{ ${code} `);
      this.s.appendLeft(body.end, ' }');
    }
  }

  private markChain(top: Node): void {
    let link: Node = top;
    let parent: Node | null = null;
    for (;;) {
      this.chainParent.set(link, parent);
      parent = link;
      if (link.type === 'CallExpression') link = link.callee;
      else if (link.type === 'MemberExpression') link = link.object;
      else return;
    }
  }

  /** Whether `name` is bound by the script in any scope around the current position (and `inner`). */
  private isDeclared(name: string, inner?: FunctionNode): boolean {
    const scopes = inner === undefined ? this.fnStack : [...this.fnStack, inner];
    for (const scope of scopes) {
      let names = this.scopeNames.get(scope);
      if (names === undefined) {
        names = declaredNames(scope);
        this.scopeNames.set(scope, names);
      }
      if (names.has(name)) return true;
    }
    return false;
  }

  /**
   * Calls of builtins that never call back into the script in a way that could block (`Math.max`,
   * `JSON.stringify`, `String(x)`, `console.log`…): not call sites, and no reason to wrap a function.
   */
  private isKnownSync(n: acorn.CallExpression, inner?: FunctionNode): boolean {
    const callee = n.callee;
    let global: string | undefined;
    if (callee.type === 'Identifier' && SYNC_GLOBAL_FUNCTIONS.has(callee.name)) global = callee.name;
    else if (
      callee.type === 'MemberExpression' && !callee.computed && callee.object.type === 'Identifier' &&
      callee.property.type === 'Identifier' && SYNC_NAMESPACES.get(callee.object.name)?.has(callee.property.name) === true
    ) global = callee.object.name;
    return global !== undefined && !this.isDeclared(global, inner);
  }

  /**
   * `open(…)` in a module's top-level code resolves from the module's directory; inside a function,
   * from the directory of the module whose top-level code is running when it is called (k6's rule;
   * module-scopes.ts), with k6's warning when the two differ.
   */
  private rewriteOpen(n: acorn.CallExpression): void {
    if (n.callee.type !== 'Identifier' || n.callee.name !== 'open') return;
    if (this.isDeclared('open')) return;
    this.openCalls.add(n);
    const dir = JSON.stringify(this.hooks.moduleDirAt(n.start));
    const fn = this.fnStack[this.fnStack.length - 1];
    if (fn === undefined || fn.type === 'Program' || (fn.type === 'FunctionExpression' && this.wrappers.has(fn))) {
      this.s.update(n.callee.start, n.callee.end, `__rt.openFrom(${dir})`);
      return;
    }
    this.opensInFunctions = true;
    this.s.update(n.callee.start, n.callee.end, `__rt.openFrom(${dir}, ${JSON.stringify(this.hooks.moduleFileAt(n.start))})`);
  }

  private rewriteCall(n: acorn.CallExpression, suspend: Suspend): void {
    const inChain = this.chainParent.has(n);
    const chainParent = this.chainParent.get(n) ?? null;
    const callee = n.callee;
    const hofName =
      !n.optional && callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier' && callee.object.type !== 'Super'
        ? callee.property.name
        : undefined;
    const isHof =
      hofName !== undefined &&
      callee.type === 'MemberExpression' &&
      (HOF_METHODS.has(hofName) || (hofName === 'from' && callee.object.type === 'Identifier' && callee.object.name === 'Array'));

    if (this.rewriteArrayMethodCall(n, suspend)) return;
    if (isHof && callee.type === 'MemberExpression') {
      const found = this.findBackward(callee.property.start, '.');
      // `a?.map(f)`: the whole `?.` token gives way to the hof call.
      const dot = found !== undefined && callee.optional && this.src[found - 1] === '?' ? found - 1 : found;
      const dotEnd = found === undefined ? undefined : found + 1;
      const paren = this.findForward(callee.property.end, '(');
      if (dot !== undefined && dotEnd !== undefined && paren !== undefined && this.src[n.end - 1] === ')') {
        const name = `'${hofName}'`;
        // The object's source text, for V8's "x.map is not a function" when it has no such method.
        const objText = this.src.slice(callee.object.start, callee.object.end);
        const label = /^[\w$.?]{1,60}$/.test(objText) ? `, ${JSON.stringify(objText)}` : '';
        if (inChain) {
          // `a?.b.map(f)`: evaluate the object once; a short-circuited chain yields undefined, as before.
          this.s.update(dot, dotEnd, ', __t == null ? void 0 : (__t = __rt.hof(__t, ');
          this.s.update(callee.property.start, callee.property.end, name);
          this.s.update(paren, paren + 1, ', [');
          this.s.update(n.end - 1, n.end, `]${label})`);
          this.s.prependRight(n.start, '(__t = ');
          this.s.appendLeft(n.end, `${check(suspend, this.callPosition(n))})`);
        } else {
          this.s.update(dot, dotEnd, ', ');
          this.s.update(callee.property.start, callee.property.end, name);
          this.s.update(paren, paren + 1, ', [');
          this.s.update(n.end - 1, n.end, `]${label})`);
          this.s.prependRight(n.start, '__rt.hof(');
          this.wrapCallSite(n.start, n.end, suspend, this.callPosition(n));
        }
        this.continueChain(n, chainParent);
        return;
      }
    }
    this.wrapCallSite(n.start, n.end, suspend, this.callPosition(n));
    this.continueChain(n, chainParent);
  }

  /**
   * `Array.prototype.map.call(arrayLike, cb, …)` or `[].map.call(…)` (any array method of HOF_METHODS)
   * becomes `__rt.hofCall(Array.prototype.map, 'map', [arrayLike, cb, …])`, so callbacks that block are
   * awaited as with `arr.map(cb)`.
   */
  private rewriteArrayMethodCall(n: acorn.CallExpression, suspend: Suspend): boolean {
    const callee = n.callee;
    if (n.optional || this.chainParent.has(n) || n.arguments.length === 0) return false;
    if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier' || callee.property.name !== 'call') return false;
    const method = callee.object;
    if (method.type !== 'MemberExpression' || method.computed || method.property.type !== 'Identifier') return false;
    const name = method.property.name;
    if (!HOF_METHODS.has(name) || name === 'replace' || name === 'replaceAll') return false;
    const holder = method.object;
    const isArrayPrototype =
      (holder.type === 'ArrayExpression' && holder.elements.length === 0) ||
      (holder.type === 'MemberExpression' && !holder.computed && holder.object.type === 'Identifier' && holder.object.name === 'Array' &&
        holder.property.type === 'Identifier' && holder.property.name === 'prototype' && !this.isDeclared('Array'));
    const paren = this.findForward(callee.property.end, '(');
    if (!isArrayPrototype || paren === undefined || this.src[n.end - 1] !== ')' || this.src.slice(method.end, paren).includes('\n')) return false;
    this.s.prependRight(n.start, '__rt.hofCall(');
    this.s.update(method.end, paren + 1, `, '${name}', [`);
    this.s.update(n.end - 1, n.end, '])');
    this.wrapCallSite(n.start, n.end, suspend, this.callPosition(n));
    return true;
  }

  /** A wrapped call inside an optional chain ends that chain: the next link must short-circuit itself. */
  private continueChain(n: Node, parent: Node | null): void {
    if (parent === null) return;
    if (parent.type === 'MemberExpression') {
      if (parent.optional) return;
      if (parent.computed) {
        const bracket = this.findForward(n.end, '[');
        if (bracket !== undefined) this.s.prependRight(bracket, '?.');
      } else {
        const dot = this.findBackward(parent.property.start, '.');
        if (dot !== undefined) this.s.update(dot, dot + 1, '?.');
      }
    } else if (parent.type === 'CallExpression') {
      if (parent.optional) return;
      const paren = this.findForward(n.end, '(');
      if (paren !== undefined) this.s.prependRight(paren, '?.');
    }
  }

  /** `site`: the bundle offset of the call as V8 places it in a stack frame (callPosition). */
  private wrapCallSite(start: number, end: number, suspend: Suspend, site: number): void {
    this.s.prependRight(start, '(__t = ');
    this.s.appendLeft(end, check(suspend, site));
  }

  /**
   * Where V8 places a call in a stack frame: at the callee's name when the call's last token before
   * `(` is an identifier (`f()`, `a.b.f()`, `a?.f()`), else at the `(` (`a[k]()`, `(0, f)()`,
   * `a.delete()`, `this.#m()`, `f?.()`, `open()` once it became `__rt.openFrom(…)(…)`).
   */
  private callPosition(n: acorn.CallExpression): number {
    const callee = n.callee;
    if (callee.type === 'Identifier' && !this.openCalls.has(n)) return callee.start;
    if (callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier' && !KEYWORD_NAMES.has(callee.property.name)) {
      return callee.property.start;
    }
    let paren = this.findForward(callee.end, '(');
    if (paren === undefined) {
      const q = this.findForward(callee.end, '?');
      if (q !== undefined && this.src[q + 1] === '.') paren = this.findForward(q + 2, '(');
    }
    return paren ?? n.start;
  }

  /** Index of `ch` at or after `from`, skipping whitespace, comments and closing parens. */
  private findForward(from: number, ch: string): number | undefined {
    let i = from;
    while (i < this.src.length) {
      const c = this.src[i];
      if (c === ch) return i;
      if (c === '/' && this.src[i + 1] === '*') {
        const close = this.src.indexOf('*/', i + 2);
        if (close === -1) return undefined;
        i = close + 2;
      } else if (c === '/' && this.src[i + 1] === '/') {
        const nl = this.src.indexOf('\n', i);
        if (nl === -1) return undefined;
        i = nl + 1;
      } else if (c !== undefined && (/\s/.test(c) || c === ')')) {
        i++;
      } else {
        return undefined;
      }
    }
    return undefined;
  }

  /** Index of `ch` before `from`, skipping whitespace (the dot of a member access, or `?.`'s dot). */
  private findBackward(from: number, ch: string): number | undefined {
    let i = from - 1;
    while (i >= 0) {
      const c = this.src[i];
      if (c === ch) return i;
      if (c === '/' && this.src[i - 1] === '*') {
        const open = this.src.lastIndexOf('/*', i - 2);
        if (open === -1) return undefined;
        i = open - 1;
      } else if (c !== undefined && /\s/.test(c)) {
        i--;
      } else {
        return undefined;
      }
    }
    return undefined;
  }
}
