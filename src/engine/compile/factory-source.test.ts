import * as vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { buildFactory } from './factory-source.ts';

const NO_MAP = { version: 3, sources: ['/s/main.js'], mappings: '', names: [] };

function transform(code: string): string {
  return buildFactory(code, NO_MAP, '/s/main.js', false).source;
}

/** The body of the function declared as `name` in transformed code, up to the end of its line. */
function lineOf(out: string, marker: string): string {
  const line = out.split('\n').find((l) => l.includes(marker));
  if (line === undefined) throw new Error(`no line with ${marker}`);
  return line;
}

const EVERYTHING = `import http from 'k6/http';
function a(x) {
  return http.get(x)
    .json()
    .items
    .map((i) => i.id);
}
const b = (p) =>
  ({ v: a(p) });
class C extends Object {
  static s = a('s');
  f = a('f');
  constructor() { super(); this.k = a('k'); }
  get g() { return a('g'); }
  m() { for (const i of [1]) try { a(i); } catch {
    a(2);
  } }
}
function* gen() { yield a(1); }
async function as(u) { return await a(u)?.then?.(
  (v) => v); }
label: while (b(1)) do
  a(3);
while (a(4));
export { a as default, b };
`;

describe('the script transform', () => {
  it('preserves the number of lines and produces valid code', () => {
    const out = transform(EVERYTHING);
    expect(out.split('\n').length).toBe(EVERYTHING.split('\n').length); // the namespace return goes after the final newline
    expect(() => new vm.Script(out)).not.toThrow();
  });

  it('keeps each original line on the same line number', () => {
    const out = transform(EVERYTHING).split('\n');
    EVERYTHING.split('\n').forEach((line, i) => {
      const word = /([A-Za-z_]\w*)\(/.exec(line)?.[1];
      if (word !== undefined) expect(out[i]).toContain(word);
    });
  });

  it('wraps functions that call, and leaves call-free functions, accessors and generators alone', () => {
    const out = transform(EVERYTHING);
    expect(lineOf(out, 'function a(x)')).toContain('return __stampede_run((__sg0 ??= function* a(x) { let __t;');
    expect(lineOf(out, "'map'")).toContain('[(i) => i.id]'); // native-speed callback, via hof
    expect(lineOf(out, '  m() {')).toContain('(__sg2 ??= function* m() { let __t;'); // created once, not per call
    // A class constructor's body (after super()) runs under __stampede_run_construct, its calls yield,
    // after the field initialisers that call, which run as steps (private generator methods).
    expect(lineOf(out, 'constructor()')).toContain(
      'super();; __stampede_run_construct(this, this.#__sf0, []); return __stampede_run_construct(this, function* C() { let __t; this.k = (__t = a(',
    );
    expect(lineOf(out, 'constructor()')).toContain(`? __RS(yield __t, ${EVERYTHING.indexOf("a('k')")}) : __t); }, arguments);`);
    expect(lineOf(out, 'get g()')).not.toContain('__rt.wrap');
    expect(lineOf(out, 'function* gen()')).not.toContain('__rt.wrap');
    // A static field that calls runs as a step at the end of the class definition, which is awaited.
    expect(lineOf(out, '"s",')).toContain(
      `static *#__sf1() { let __t; __DF(this, "s",  (__t = a('s'), __t != null && __t[__S] === true ? __RS(yield __t, ${EVERYTHING.indexOf("a('s')")}) : __t)); }`,
    );
    expect(out).toContain('static { __stampede_run_construct(this, this.#__sf1, []); }} if (__PC.size !== 0 && __PC.has(C)) await __rt.constructed(C)/*@' + EVERYTHING.indexOf('class C') + '*/;');
    expect(lineOf(out, '"f",')).toContain(
      `*#__sf0() { let __t; __DF(this, "f",  (__t = a('f'), __t != null && __t[__S] === true ? __RS(yield __t, ${EVERYTHING.indexOf("a('f')")}) : __t)); }`,
    );
    expect(lineOf(out, 'async function as')).not.toContain('__rt.wrap');
    // A user async function tracks its synchronous prefix (vu/async-prefix.ts) until it leaves.
    expect(lineOf(out, 'async function as')).toContain('{ let __t, __pf = 0; try {');
    expect(out).toContain('} catch (__e) { __pf = __rt.preThrow(__pf, __e); throw __e; } finally { __pf === 1 || __rt.preEnd(__pf); }');
  });

  it('leaves functions that only call known synchronous builtins untouched', () => {
    const out = transform(`const round = (v) => Math.round(v * 100) / 100;\nfunction show(v) { console.log(JSON.stringify(v), String(v)); }\nexport { round, show };\n`).split('\n');
    expect(out[0]).toMatch(/const round = \(v\) => Math\.round\(v \* 100\) \/ 100;$/);
    expect(out[1]).toBe('function show(v) { console.log(JSON.stringify(v), String(v)); }');
  });

  it('suspends with yield in wrapped functions and with await in async ones and at top level', () => {
    const out = transform(EVERYTHING);
    // A generator waits through `__RS` with the bundle offset where V8 places the call (here `json`).
    expect(lineOf(out, '.json()')).toContain(`? __RS(yield __t, ${EVERYTHING.indexOf('json')}) : __t`);
    expect(out.match(/yield __/g)?.length).toBe(out.match(/__RS\(yield __/g)?.length);
    // An `await` carries its call's offset too, for the frame V8 places there (`at async as`).
    // In a user async function a blocking call first marks its prefix as blocked (`__pf`); an async
    // function's promise whose prefix blocked (`__t[__P]`) is waited for until that prefix ends.
    expect(lineOf(out, 'async function as')).toContain(
      `? (__pf === 0 && (__pf = __rt.pre()), (__t[__P] === undefined ? __UB(await __t/*@${EVERYTHING.indexOf('a(u)')}*/) : (await __t[__P].done, __t))) : __t`,
    );
    expect(lineOf(out, 'a(4)')).toContain(`? (__t[__P] === undefined ? __UB(await __t/*@${EVERYTHING.indexOf('a(4)')}*/) : (await __t[__P].done, __t)) : __t`);
  });

  it('wraps a method that uses super in an async arrow, which keeps super', () => {
    const out = transform(`class A extends B {\n  m() { return super.m(f()); }\n}\nexport default A;\n`);
    expect(out.split('\n')[1]).toContain('return __rt.wrap(async () => { let __t;');
    expect(out.split('\n')[1]).toMatch(/\? \(__t\[__P\] === undefined \? __UB\(await __t\/\*@\d+\*\/\) : \(await __t\[__P\]\.done, __t\)\) : __t/);
  });

  it('routes callback-taking builtins through __rt.hof and ticks every loop and catch', () => {
    const out = transform(EVERYTHING);
    expect(out).toContain(`__rt.hof(`);
    expect(lineOf(out, "'map'")).toMatch(/'map'\s*, \[/);
    expect(lineOf(out, 'for (const i of [1])')).toContain('{ __rt.tick(); try');
    expect(lineOf(out, 'catch (__e) {')).toContain('__rt.caught(__e);');
    expect(lineOf(out, 'label: while')).toContain('{ __rt.tick();');
  });

  it('routes Array.prototype.x.call(arrayLike, cb) and [].x.call through __rt.hofCall, unless the script has its own Array', () => {
    const out = transform('export default function () { Array.prototype.forEach.call(list, (x) => x); [].map.call(s, (c) => c); }\nfunction g() { const Array = {}; return Array.prototype.map.call(a, f); }\n');
    expect(lineOf(out, "'forEach'")).toContain("__rt.hofCall(Array.prototype.forEach, 'forEach', [list, (x) => x])");
    expect(lineOf(out, "'map'")).toContain("__rt.hofCall([].map, 'map', [s, (c) => c])");
    expect(lineOf(out, 'const Array')).toContain('Array.prototype.map.call(a, f)');
  });

  it('passes __rt.hof the object\'s source when it is a plain member chain (for V8\'s "x.map is not a function")', () => {
    const out = transform('export default function () { data.items.forEach((x) => x); f().map((x) => x); a?.b.filter((x) => x); }\n');
    expect(lineOf(out, "'forEach'")).toContain(`[(x) => x], "data.items")`);
    expect(lineOf(out, "'map'")).toMatch(/'map'\s*, \[\(x\) => x\]\)/);
    expect(lineOf(out, "'filter'")).toContain('[(x) => x], "a?.b")');
  });

  it('maps factory columns back through the edits', () => {
    const code = `function f() {\n  return g(1) + h(2);\n}\nfunction g() { return 1; }\nfunction h() { return 2; }\nexport default f;\n`;
    // esbuild-style map: line 2 col 16 (h) ← original line 7 col 4 of /s/orig.js
    const map = { version: 3, sources: ['/s/orig.js'], mappings: ';gBAMI', names: [] };
    const built = buildFactory(code, map, '/s/main.js', false);
    const line2 = built.source.split('\n')[1] ?? '';
    const col = line2.indexOf('h(2)') + 1;
    expect(built.mapPosition(2, col)).toEqual({ file: '/s/orig.js', line: 7, column: 5 });
  });
});
