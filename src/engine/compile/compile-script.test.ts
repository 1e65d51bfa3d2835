import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as nodePath from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CompileError, compileScript, type CompileIo } from './compile-script.ts';
import { framePart, positionPart } from './stack-mapper.ts';
import { callExport, FakeInterrupt, instantiate, makeFakeRuntime } from './fixtures/fake-runtime.ts';

function memoryIo(files: Record<string, string>, cwd = '/s'): CompileIo {
  return {
    cwd,
    async readFile(p) {
      const text = files[p];
      if (text === undefined) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${p}'`), { code: 'ENOENT' });
      return new TextEncoder().encode(text);
    },
  };
}

async function load(main: string, extra: Record<string, string> = {}, name = '/s/main.js') {
  const script = await compileScript({ path: name }, memoryIo({ [name]: main, ...extra }));
  const fake = makeFakeRuntime();
  const ns = await instantiate(script, fake);
  return { script, fake, ns };
}

async function compileError(main: string, extra: Record<string, string> = {}, name = '/s/main.js'): Promise<CompileError> {
  const err = await compileScript({ path: name }, memoryIo({ [name]: main, ...extra })).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CompileError);
  return err as CompileError;
}

describe('blocking calls look synchronous', () => {
  it('returns the Response from http.get and pauses at sleep, in order', async () => {
    const { ns, fake } = await load(`
      import http from 'k6/http';
      import { sleep } from 'k6';
      export default function () {
        const r = http.get('http://a');
        sleep(1);
        const second = http.get('http://b').status;
        return r.status + second;
      }`);
    expect(await callExport(ns, 'default')).toBe(400);
    expect(fake.log).toEqual(['get http://a', 'sleep 1', 'get http://b']);
  });

  it('awaits blocking calls inside forEach/map callbacks and check functions, in order', async () => {
    const { ns, fake } = await load(`
      import http from 'k6/http';
      import { check, sleep } from 'k6';
      function fetchAll(urls) { return urls.map((u) => http.get(u).status); }
      export default function () {
        const statuses = fetchAll(['http://1', 'http://2']);
        ['x', 'y'].forEach((n) => { sleep(n); });
        const ok = check(http.get('http://3'), { 'body mentions 3': (r) => r.body.includes('3'), 'refetch': () => http.get('http://4').status === 200 });
        return { statuses, ok };
      }`);
    expect(await callExport(ns, 'default')).toEqual({ statuses: [200, 200], ok: true });
    expect(fake.log).toEqual([
      'get http://1', 'get http://2', 'sleep x', 'sleep y', 'get http://3',
      'check body mentions 3 true', 'get http://4', 'check refetch true',
    ]);
  });

  it('leaves the promise of a user async function and of http.asyncRequest unwrapped', async () => {
    const { ns, fake } = await load(`
      import http from 'k6/http';
      async function later() { return 5; }
      export default async function () {
        const p = later();
        const q = http.asyncRequest('GET', 'http://async');
        const seen = [p instanceof Promise, q instanceof Promise];
        p.then((v) => console.log('then ' + v));
        const r = await q;
        return { seen, value: await p, status: r.status };
      }`);
    expect(await callExport(ns, 'default')).toEqual({ seen: [true, true], value: 5, status: 201 });
    expect(fake.log).toContain('then 5');
  });

  it('propagates an error thrown after a blocking call into the caller\u2019s try/catch', async () => {
    const { ns } = await load(`
      import { sleep } from 'k6';
      function failLater() { sleep(0); throw new Error('boom'); }
      export default function () {
        try { failLater(); return 'not caught'; } catch (e) { return 'caught ' + e.message; }
      }`);
    expect(await callExport(ns, 'default')).toBe('caught boom');
  });

  it('wraps class methods, object methods and arrows with object-literal bodies', async () => {
    const { ns, fake } = await load(`
      import http from 'k6/http';
      class Client { constructor(base) { this.base = base; } fetch(p) { return http.get(this.base + p).status; } }
      const api = { twice(c) { return [c.fetch('/1'), c.fetch('/2')]; } };
      const pack = (c) => ({ all: api.twice(c) });
      export default function () { return pack(new Client('http://h')); }`);
    expect(await callExport(ns, 'default')).toEqual({ all: [200, 200] });
    expect(fake.log).toEqual(['get http://h/1', 'get http://h/2']);
  });

  it('keeps a parameter\u2019s value when the body redeclares it with var', async () => {
    const { ns } = await load(`
      function pick(x) { var x = x || 'fallback'; return String(x); }
      export default function () { return [pick('given'), pick()]; }`);
    expect(await callExport(ns, 'default')).toEqual(['given', 'fallback']);
  });

  it('leaves call-free callbacks native, so they work where only native code calls them', async () => {
    const { ns } = await load(`
      export default function () {
        const revived = JSON.parse('{"a":1}', (k, v) => typeof v === 'number' ? v + 1 : v);
        const sorted = [3, 1, 2].sort((a, b) => a - b);
        return { revived, sorted };
      }`);
    expect(await callExport(ns, 'default')).toEqual({ revived: { a: 2 }, sorted: [1, 2, 3] });
  });

  it('leaves a function literal given to evaluate()/waitForFunction() as written: it is page code (k6/browser)', async () => {
    const { ns } = await load(`
      const page = { evaluate: (f, a) => String(f), waitForFunction: (f) => f.toString() };
      export default function () {
        const one = page.evaluate((sel) => { for (const e of document.querySelectorAll(sel)) e.remove(); return [1].map((x) => x); }, 'p');
        const two = page.waitForFunction(function () { return document.querySelector('h1') !== null; });
        return { one, two };
      }`);
    const out = await callExport(ns, 'default') as { one: string; two: string };
    expect(out.one).toContain("document.querySelectorAll(sel)");
    expect(out.one).toContain('[1].map((x) => x)');
    expect(out.one).not.toContain('__');
    expect(out.two).toContain("document.querySelector(\"h1\") !== null");
    expect(out.two).not.toContain('__');
  });

  it('lets functions that do not block return plain values to native callers and to `new`', async () => {
    const { ns } = await load(`
      function Point(x) { this.x = Number(x); this.label = describe(this.x); }
      function describe(v) { return 'p' + String(v); }
      Point.prototype.toString = function () { return 'Point(' + this.x.toFixed(1) + ')'; };
      const double = (v) => Math.round(v * 2);
      export default function () {
        const p = new Point('2');
        const revived = JSON.parse('{"a":"x"}', (k, v) => typeof v === 'string' ? v.toUpperCase() : v);
        const names = ['b', 'a'].sort((l, r) => l.localeCompare(r));
        return [p.label, \`\${p}\`, revived.a, names, Reflect.apply(double, null, [2])];
      }`);
    expect(await callExport(ns, 'default')).toEqual(['p2', 'Point(2.0)', 'X', ['a', 'b'], 4]);
  });

  it('gives every closure its own captured variables, however its generator is created', async () => {
    const { ns } = await load(`
      export default function () {
        const out = [];
        for (const x of [1, 2]) {
          function decl() { return String(x); }
          out.push(decl(), (function () { return String(x); })(), (() => String(x))(), { m() { return String(x); } }.m());
        }
        function mk(p) { return { m() { return String(p); } }; }
        const mkArrow = (p) => ({ m() { return String(p); } });
        function mkClass(p) { class K { m() { return String(p); } } return new K(); }
        out.push(mk('a').m(), mk('b').m(), mkArrow('c').m(), mkArrow('d').m(), mkClass('e').m(), mkClass('f').m());
        return out;
      }`);
    expect(await callExport(ns, 'default')).toEqual(['1', '1', '1', '1', '2', '2', '2', '2', 'a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('keeps recursion, hoisting, arguments and parameter defaults working', async () => {
    const { ns } = await load(`
      const early = later(2);
      function later(n) { return String(n); }
      function fact(n) { return n <= 1 ? Number(1) : n * fact(n - 1); }
      const fib = function f(n) { return n < 2 ? Number(n) : f(n - 1) + f(n - 2); };
      function count() { return String(arguments.length); }
      function outer() { const inner = () => String(arguments[0]); return inner(); }
      function defaults({ a, b } = { a: 1, b: String(2) }, c = Number('3'), ...rest) { return [a, b, c, rest.length].join(); }
      export default function () {
        return [early, fact(5), fib(7), count(1, 2, 3), outer('lexical'), defaults(), defaults({ a: 'x', b: 'y' }, 0, 9, 9)];
      }`);
    expect(await callExport(ns, 'default')).toEqual(['2', 120, 13, '3', 'lexical', '1,2,3,0', 'x,y,0,2']);
  });

  it('runs ES5 library patterns (crypto-js style extend/create/init with apply(this, arguments))', async () => {
    const { ns } = await load(`
      var Base = {
        extend: function (overrides) {
          function F() {}
          F.prototype = this;
          var sub = new F();
          if (overrides) sub.mixIn(overrides);
          if (!sub.hasOwnProperty('init') || this.init === sub.init) {
            sub.init = function () { sub.$super.init.apply(this, arguments); };
          }
          sub.$super = this;
          return sub;
        },
        create: function () { var instance = this.extend(); instance.init.apply(instance, arguments); return instance; },
        init: function () {},
        mixIn: function (props) { for (var k in props) { if (props.hasOwnProperty(k)) this[k] = props[k]; } },
        toString: function () { return 'Hex(' + this.words.join('') + ')'; },
      };
      var Hex = Base.extend({ init: function (words) { this.words = words.map(function (w) { return w.toString(16); }); } });
      export default function () { return String(Hex.create([10, 11])) + ' ' + JSON.stringify({ h: Hex.create([255]) }.h.words); }`);
    expect(await callExport(ns, 'default')).toBe('Hex(ab) ["ff"]');
  });

  it('waits for a class constructor whose body blocks before the instance reaches the script', async () => {
    const { ns, fake } = await load(`
      import http from 'k6/http';
      import { sleep } from 'k6';
      class Api {
        constructor(base) { this.base = base; this.status = http.get(base + '/login').status; sleep(1); this.ready = true; }
        get(p) { return http.get(this.base + p).status; }
      }
      export default function () {
        const api = new Api('http://h');
        return { status: api.status, ready: api.ready, next: api.get('/x'), own: Object.keys(api) };
      }`);
    expect(await callExport(ns, 'default')).toEqual({ status: 200, ready: true, next: 200, own: ['base', 'status', 'ready'] });
    expect(fake.log).toEqual(['get http://h/login', 'sleep 1', 'get http://h/x']);
    expect((fake.rt.constructing as Map<object, unknown>).size).toBe(0);
  });

  it('runs a derived constructor\u2019s body after its base constructor\u2019s blocking body, and keeps super visible', async () => {
    const { ns, fake } = await load(`
      import http from 'k6/http';
      import { sleep } from 'k6';
      class Base {
        constructor(u) { this.steps = ['base']; this.s = http.get(u).status; this.steps.push('base done'); }
        describe() { sleep('d'); return 'base ' + this.s; }
      }
      class Child extends Base {
        constructor(u) { const url = u + '/child'; super(url); this.steps.push('child'); }
      }
      const Grand = class extends Child {
        constructor(u) { super(u); this.text = super.describe(); this.steps.push('grand'); }
      };
      export default function () {
        const c = new Child('http://a');
        const g = new Grand('http://b');
        return [c.steps, g.steps, g.text, g instanceof Base];
      }`);
    expect(await callExport(ns, 'default')).toEqual([
      ['base', 'base done', 'child'], ['base', 'base done', 'child', 'grand'], 'base 200', true,
    ]);
    expect(fake.log).toEqual(['get http://a/child', 'get http://b/child', 'sleep d']);
  });

  it('throws an error raised after a constructor blocked at the new expression, and keeps returned objects', async () => {
    const { ns } = await load(`
      import { sleep } from 'k6';
      class Strict { constructor(v) { sleep(0); if (v < 0) throw new Error('negative ' + v); this.v = v; } }
      class Factory { constructor(v) { const made = { made: pick(v) }; return made; } }
      function pick(v) { return [v].map((x) => x * 2)[0]; }
      export default function () {
        let caught;
        try { new Strict(-1); } catch (e) { caught = e.message; }
        return { caught, ok: new Strict(3).v, made: new Factory(4) };
      }`);
    expect(await callExport(ns, 'default')).toEqual({ caught: 'negative -1', ok: 3, made: { made: 8 } });
  });

  it('waits for an ES5 constructor function whose body blocks (new F() gives the instance)', async () => {
    const { ns, fake } = await load(`
      import http from 'k6/http';
      function Client(base) { this.base = base; this.status = http.get(base).status; }
      Client.prototype.get = function (p) { return http.get(this.base + p).status; };
      const Wrapper = function (v) { http.get('http://w'); return { wrapped: v }; };
      function Admin(base) { Client.call(this, base); this.admin = true; }
      Admin.prototype = Object.create(Client.prototype);
      export default function () {
        const c = new Client('http://c');
        const a = new Admin('http://a');
        return [c.status, c.get('/x'), c instanceof Client, new Wrapper(1), a.status, a.admin, a instanceof Client];
      }`);
    expect(await callExport(ns, 'default')).toEqual([200, 200, true, { wrapped: 1 }, 200, true, true]);
    expect(fake.log).toEqual(['get http://c', 'get http://a', 'get http://c/x', 'get http://w']);
  });

  it('waits for blocking calls in class field initialisers, in k6\u2019s order (base before its body, derived after super())', async () => {
    const { ns, fake } = await load(`
      import http from 'k6/http';
      import { sleep } from 'k6';
      class Api {
        res = http.get('http://h/login');
        token = this.res.body;
        #secret = http.get('http://h/secret').status;
        onDone = () => this.token;
        constructor(name) { sleep(name); this.name = name; }
        get secret() { return this.#secret; }
      }
      class Admin extends Api {
        role = http.get('http://h/role').url + ' for ' + this.name;
        constructor() { super('admin'); sleep('post'); }
      }
      export default function () {
        const a = new Admin();
        return [a.token, a.secret, a.role, a.onDone(), a.onDone.name, Object.keys(a)];
      }`);
    expect(await callExport(ns, 'default')).toEqual([
      'body of http://h/login', 200, 'http://h/role for admin', 'body of http://h/login', 'onDone',
      ['res', 'token', 'onDone', 'name', 'role'],
    ]);
    expect(fake.log).toEqual(['get http://h/login', 'get http://h/secret', 'sleep admin', 'get http://h/role', 'sleep post']);
    expect((fake.rt.constructing as Map<object, unknown>).size).toBe(0);
  });

  it('waits for blocking calls in parameter defaults, keeping f.length and arguments', async () => {
    const { ns, fake } = await load(`
      import http from 'k6/http';
      function status(url, res = http.get(url)) { return [res.status, arguments.length]; }
      const body = (res = http.get('http://h/a'), text = res.body + '!') => text;
      class Client { constructor(res = http.get('http://h/c')) { this.url = res.url; } }
      export default function () {
        return [status('http://h/s'), status.length, body(), body.length, new Client().url, Client.length];
      }`);
    expect(await callExport(ns, 'default')).toEqual([[200, 1], 1, 'body of http://h/a!', 0, 'http://h/c', 0]);
    expect(fake.log).toEqual(['get http://h/s', 'get http://h/a', 'get http://h/c']);
  });

  it('reports a blocking call in a getter or setter, which cannot be waited for, and leaves other calls there alone', async () => {
    const { ns, fake } = await load(`
      import http from 'k6/http';
      function label(v) { return 'v' + v; }
      class Api {
        get status() { return http.get('http://h/g'); }
        set target(url) { this.url = label(url); http.get(url); }
      }
      const o = { get plain() { return label(1); } };
      export default function () {
        const a = new Api();
        const s = a.status;
        a.target = 'http://h/s';
        return [typeof s.then, a.url, o.plain];
      }`);
    expect(await callExport(ns, 'default')).toEqual(['function', 'vhttp://h/s', 'v1']);
    expect(fake.log).toEqual(['get http://h/g', 'unwaited in getter "status"', 'get http://h/s', 'unwaited in setter "target"']);
  });

  it('keeps constructors that do not block synchronous where native code constructs', async () => {
    const { ns } = await load(`
      function label(v) { return 'v' + v; }
      class Box { constructor(v) { this.v = label(v); } }
      class Big extends Box { constructor(v) { super(v); this.big = true; } }
      export default function () {
        const revived = JSON.parse('[1,2]', (k, v) => (typeof v === 'number' ? new Big(v) : v));
        return [[revived[0].v, revived[1].big], Reflect.construct(Box, [9]).v];
      }`);
    expect(await callExport(ns, 'default')).toEqual([['v1', true], 'v9']);
  });

  it('keeps the names the language infers for wrapped anonymous functions and arrows', async () => {
    const { ns } = await load(`
      import { sleep } from 'k6';
      const arrow = () => sleep(1);
      const expr = function () { sleep(2); };
      let later; later = (x) => sleep(x);
      const obj = { prop: () => sleep(3), 'quoted key': function () { sleep(4); } };
      class K { field = () => sleep(5); static st = (x) => sleep(x); }
      const named = function own() { sleep(6); };
      export default function () {
        return [arrow.name, expr.name, later.name, obj.prop.name, obj['quoted key'].name, new K().field.name, K.st.name, named.name, [() => sleep(7)][0].name];
      }`);
    expect(await callExport(ns, 'default')).toEqual(['arrow', 'expr', 'later', 'prop', 'quoted key', 'field', 'st', 'own', '']);
  });

  it('leaves functions reading new.target as constructors', async () => {
    const { ns } = await load(`
      function Box(v) { if (!new.target) return new Box(v); this.v = String(v); }
      export default function () { return [Box(1).v, new Box(2).v]; }`);
    expect(await callExport(ns, 'default')).toEqual(['1', '2']);
  });

  it('calls super from a wrapped method that blocks', async () => {
    const { ns, fake } = await load(`
      import http from 'k6/http';
      class Base { status(u) { return http.get(u).status; } }
      class Child extends Base { status(u) { return 'child ' + super.status(u); } }
      export default function () { return new Child().status('http://c'); }`);
    expect(await callExport(ns, 'default')).toBe('child 200');
    expect(fake.log).toEqual(['get http://c']);
  });

  it('treats a script’s own JSON or Math like any other object', async () => {
    const { ns, fake } = await load(`
      import http from 'k6/http';
      const JSON = { stringify: (v) => http.get('http://json/' + v).status };
      export default function () { const Math = { max: () => http.get('http://math').status }; return [JSON.stringify(1), Math.max()]; }`);
    expect(await callExport(ns, 'default')).toEqual([200, 200]);
    expect(fake.log).toEqual(['get http://json/1', 'get http://math']);
  });

  it('keeps optional-chain short-circuits', async () => {
    const { ns } = await load(`
      import http from 'k6/http';
      export default function () {
        const none = undefined;
        const some = { get: (u) => http.get(u), list: ['http://l'] };
        return [none?.get('x'), none?.get('x').status, some?.get('http://o').status, none?.list.map((u) => http.get(u)),
          some?.list.map((u) => http.get(u).status), some.missing?.()];
      }`);
    expect(await callExport(ns, 'default')).toEqual([undefined, undefined, 200, undefined, [200], undefined]);
  });

  it('supports top-level await in init code', async () => {
    const { ns } = await load(`
      const v = await Promise.resolve(41);
      export const answer = v + 1;`);
    expect(ns.answer).toBe(42);
  });
});

describe('per-VU state and globals', () => {
  it('gives every factory call its own module state', async () => {
    const src = `
      let count = 0;
      export default function () { count++; return count + ':' + __VU; }`;
    const script = await compileScript({ path: '/s/main.js' }, memoryIo({ '/s/main.js': src }));
    const a = await instantiate(script, makeFakeRuntime(1));
    const b = await instantiate(script, makeFakeRuntime(2));
    expect(await callExport(a, 'default')).toBe('1:1');
    expect(await callExport(a, 'default')).toBe('2:1');
    expect(await callExport(b, 'default')).toBe('1:2');
  });

  it('has __ITER undefined in init and set by the runtime for iterations, and __ENV from globals', async () => {
    const { ns, fake } = await load(`
      export const initIter = typeof __ITER;
      export const env = __ENV.FROM_ENV;
      export default function () { return __ITER; }`);
    expect(ns.initIter).toBe('undefined');
    expect(ns.env).toBe('yes');
    fake.setIter(7);
    expect(await callExport(ns, 'default')).toBe(7);
  });

  it('exposes options, setup, teardown and handleSummary, and lets a script declare its own open', async () => {
    const { ns } = await load(`
      function open(x) { return 'mine ' + x; }
      export const options = { vus: 2 };
      export function setup() { return { t: open('f') }; }
      export function teardown(d) {}
      export function handleSummary(d) { return {}; }
      export default function (data) { return data.t; }`);
    expect(ns.options).toEqual({ vus: 2 });
    expect(Object.keys(ns).sort()).toEqual(['default', 'handleSummary', 'options', 'setup', 'teardown']);
    const data = await callExport(ns, 'setup');
    expect(await callExport(ns, 'default', data)).toBe('mine f');
  });
});

describe('modules and files', () => {
  it('keeps exports live and re-exports k6 modules', async () => {
    const { ns } = await load(`
      export * from 'k6/http';
      export { sleep as nap } from 'k6';
      export let counter = 0;
      export function bump() { counter++; }`);
    await callExport(ns, 'bump');
    expect(ns.counter).toBe(1);
    expect([typeof ns.get, typeof ns.nap]).toEqual(['function', 'function']);
  });

  it('keeps the names of functions and classes that share a name with another module’s', async () => {
    // Bundling renames the second `run` and `Page` (run2, Page2); a script reading `.name` or
    // `constructor.name` (page objects, error classes) sees the names it wrote, as in k6.
    const { ns } = await load(`
      import * as other from './other.js';
      import { sleep } from 'k6';
      function run() { sleep(1); }
      class Page { title() { return this.constructor.name; } }
      const helper = () => 1;
      class LoginError extends Error { constructor(m) { super(m); this.name = this.constructor.name; } }
      export default function () {
        return [run.name, other.run.name, Page.name, new Page().title(), other.Page.name, helper.name, other.helper.name, new LoginError('x').name];
      }`, { '/s/other.js': 'export function run() {} export class Page {} export const helper = () => 2;' });
    expect(await callExport(ns, 'default')).toEqual(['run', 'run', 'Page', 'Page', 'Page', 'helper', 'helper', 'LoginError']);
  });

  it('takes a CommonJS main script’s module.exports as its exports', async () => {
    const { ns, fake } = await load(`
      const k6 = require('k6');
      exports.options = { vus: 4 };
      exports.default = function () { k6.sleep(2); return 'cjs'; };`);
    expect(ns.options).toEqual({ vus: 4 });
    expect(await callExport(ns, 'default')).toBe('cjs');
    expect(fake.log).toEqual(['sleep 2']);
  });

  it('bundles relative ES and CommonJS imports and resolves open() as k6: from the module whose top-level code runs', async () => {
    const { ns, fake } = await load(
      `import { greet, atLibTop } from './lib/greet.js';
       const conf = require('./cjs/conf.cjs');
       export const fromMain = open('./data.txt');
       export const fromLib = greet();
       export { atLibTop };
       export const fromCjs = conf.atTop;
       export default function () { conf.nap(); return conf.name; }`,
      {
        '/s/lib/greet.js': `export function greet() { return open('./words.txt', 'b'); }
          export const atLibTop = greet();`,
        '/s/cjs/conf.cjs': `const k6 = require('k6'); const read = () => open('./c.txt');
          module.exports = { name: 'conf', nap() { k6.sleep(3); }, atTop: read() };`,
      },
    );
    expect(ns.fromMain).toBe('open /s ./data.txt');
    // A function called from the main script's top level: relative to the main script (k6 warns).
    expect(ns.fromLib).toBe('open /s ./words.txt b');
    // Called from its own module's top-level code (also one esbuild wraps, as a CommonJS module).
    expect(ns.atLibTop).toBe('open /s/lib ./words.txt b');
    expect(ns.fromCjs).toBe('open /s/cjs ./c.txt');
    expect(await callExport(ns, 'default')).toBe('conf');
    expect(fake.log).toEqual(['sleep 3']);
  });

  it("bundles require(import.meta.resolve('<literal>')), relative to the module it is written in (k6 path_resolution_test.go TestImportMetaResolve)", async () => {
    const { ns } = await load(
      `import data from './A/A/script.js';\nexport const viaEsm = data;\nexport default () => data;`,
      {
        '/s/B/data.js': `module.exports = 'export content';`,
        '/s/C/B/script.js': `export default () => require(import.meta.resolve("./../../B/data.js"));`,
        '/s/A/A/script.js': `const f = require(import.meta.resolve('../../C/B/script.js')).default;\nexport default f();`,
      },
    );
    expect(ns.viaEsm).toBe('export content');
    // A literal naming no file fails as a require of it does, at its position in the module.
    const missing = await compileError(`export default () => require(import.meta.resolve('./nope.js'));`);
    expect(missing.message).toContain(`/s/main.js:1:50: The moduleSpecifier "./nope.js" couldn't be found on local disk.`);
  });

  it('compiles TypeScript', async () => {
    const { script, ns } = await load(
      `import http from 'k6/http';
       interface Target { url: string }
       const targets: Target[] = [{ url: 'http://t' }];
       export default function (): number { return http.get(targets[0]!.url).status as number; }`,
      {},
      '/s/main.ts',
    );
    expect(script.kind).toBe('ts');
    expect(await callExport(ns, 'default')).toBe(200);
  });

  it('fails naming an https module that is not available', async () => {
    const err = await compileError(`import { x } from 'https://jslib.k6.io/k6-chaijs/4.3.4.3/index.js';\nexport default () => x;`);
    expect(err.message).toContain('https://jslib.k6.io/k6-chaijs/4.3.4.3/index.js');
    expect(err.message).toContain('the jslib modules built in are https://jslib.k6.io/ajv/<version>/index.js, https://jslib.k6.io/aws/<version>/{index,aws,s3,sqs,kms,secrets-manager,ssm,kinesis,lambda,event-bridge,signature}.js, https://jslib.k6.io/expect/<version>/index.js, https://jslib.k6.io/form-urlencoded/<version>/index.js, https://jslib.k6.io/formdata/<version>/index.js');
    expect(err.message).toContain('https://jslib.k6.io/k6-summary/<version>/index.js');
    expect(err.message).toContain('https://jslib.k6.io/k6chaijs/<version>/index.js');
    expect(err.message).toContain('https://jslib.k6.io/url/<version>/index.js');
    expect(err.exitCode).toBe(107);
    const other = await compileError(`import { x } from 'https://example.com/lib.js';\nexport default () => x;`);
    expect(other.message).not.toContain('jslib modules built in');
  });

  it('leaves the built-in jslib modules (any version) to the runtime when no archive carries them', async () => {
    const script = await compileScript(
      { name: 'main.js', data: new TextEncoder().encode(
        `import { textSummary } from 'https://jslib.k6.io/k6-summary/0.1.0/index.js';
         import * as utils from 'https://jslib.k6.io/k6-utils/1.6.0/index.js';
         export default () => [textSummary, utils];`) },
      { cwd: '/s', readFile: () => Promise.reject(new Error('no files')) },
    );
    expect(script.factorySource).toContain('__rt.require("https://jslib.k6.io/k6-summary/0.1.0/index.js")');
    expect(script.factorySource).toContain('__rt.require("https://jslib.k6.io/k6-utils/1.6.0/index.js")');
    const other = await compileError(`import { x } from 'https://jslib.k6.io/k6-utils/1.6.0/other.js';\nexport default () => x;`);
    expect(other.message).toContain('https://jslib.k6.io/k6-utils/1.6.0/other.js');
  });

  it('reads a script from stdin as JavaScript, or as TypeScript when it does not parse as JavaScript (k6 "Stdin TS")', async () => {
    const io = memoryIo({ '/s/side.js': 'export const x = 1;\nglobalThis.sideEffectRan = true;\n' });
    const stdin = (text: string) => compileScript({ name: 'stdin', data: new TextEncoder().encode(text) }, io);
    const ts = await stdin('export const three = 1 + (((): number => 2)());\nexport default () => three;');
    expect(ts.factorySource).not.toContain(': number');
    expect(await callExport(await instantiate(ts, makeFakeRuntime()), 'default')).toBe(3);
    // Valid JavaScript keeps JavaScript semantics: an import used by no value is not elided as TypeScript would.
    const js = await stdin(`import { x } from './side.js';\nexport default () => 1;`);
    expect(js.factorySource).toContain('sideEffectRan');
    await expect(stdin('export default () => (;')).rejects.toBeInstanceOf(CompileError);
  });

  it('fails naming an unknown bare module, and a missing local file', async () => {
    expect((await compileError(`import _ from 'lodash';\nexport default () => _;`)).message).toContain('"lodash"');
    const missing = await compileError(`import { a } from './nope.js';\nexport default () => a;`);
    // k6's words (internal/loader/loader.go, k6 initcontext_test Files/Nonexistent): the specifier as written.
    expect(missing.message).toContain(`/s/main.js:1:19: The moduleSpecifier "./nope.js" couldn't be found on local disk. Make sure that you've specified the right path to the file.`);
    const noDefault = await compileError(`import x from './lib.js';\nexport default () => x;`, { '/s/lib.js': 'export const y = 1;' });
    expect(noDefault.message).toContain('"/s/lib.js"');
    expect(noDefault.message).not.toContain('stampede-');
    expect([missing.file, missing.line]).toEqual(['/s/main.js', 1]);
  });

  it("refuses other URL schemes and a remote module's local file in k6's words (k6 loader_test.go TestResolve)", async () => {
    for (const [spec, scheme] of [['ws://example.com/html', 'ws'], ['http://example.com/html', 'http'], ['ftp://x/y.js', 'ftp']] as const) {
      const err = await compileError(`import x from '${spec}';\nexport default () => x;`);
      expect(err.message).toBe(`/s/main.js:1:15: only supported schemes for imports are file and https, ${spec} has \`${scheme}\``);
      expect(err.exitCode).toBe(107);
    }
    expect((await compileError(`import x from '';\nexport default () => x;`)).message).toBe('/s/main.js:1:15: local or remote path required');
  });

  it("says the cdnjs.com/… and github.com/… shorthands are gone and what to write, in k6's words (real-world sweep 8)", async () => {
    const cdnjs = await compileError(`import faker from 'cdnjs.com/libraries/Faker';\nexport default () => faker;`);
    expect(cdnjs.message).toBe(
      "/s/main.js:1:19: cdnjs.com 'special' urls are no longer supported - please use real ones. You can get yours by going to cdnjs and copy-pasting the full url to the actual JavaScript file",
    );
    expect(cdnjs.exitCode).toBe(107);
    const github = await compileError(`import x from 'github.com/someone/lib/index.js';\nexport default () => x;`);
    expect(github.message).toContain("github.com 'special' urls are no longer supported - please use real ones. You can get yours by going to github and copy-pasting the full url to the actual raw JavaScript file");
  });

  it("refuses a main script named by a URL of another scheme, as k6's ReadSource (readsource_test.go TestReadSourceHttpError)", async () => {
    const err = await compileScript({ path: 'http://github.com/something' }, memoryIo({})).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CompileError);
    expect((err as CompileError).message).toBe('only supported schemes for imports are file and https, http://github.com/something has `http`');
    expect((err as CompileError).exitCode).toBe(255);
    const spaces = await compileScript({ path: 'some file with spaces.js' }, memoryIo({})).catch((e: unknown) => e);
    expect((spaces as CompileError).message).toContain(`The moduleSpecifier "some file with spaces.js" couldn't be found on local disk.`);
  });

  it('reads a main script named by a file:// URL, and says a remote https:// one is not downloaded', async () => {
    const io = memoryIo({ '/s/main.js': 'export default function () {}' });
    const compiled = await compileScript({ path: 'file:///s/main.js' }, io);
    expect(compiled.mainPath).toBe('/s/main.js');
    const err = await compileScript({ path: 'https://example.com/script.js' }, memoryIo({})).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CompileError);
    expect((err as CompileError).message).toBe(
      'The script "https://example.com/script.js" is a remote URL, which k6 would download: Stampede runs local files only. Download it and run the file, or run a k6 archive of it (k6 archive / stampede archive).',
    );
    expect((err as CompileError).exitCode).toBe(255);
  });

  it('serves dynamic import() of k6 modules through the runtime', async () => {
    const { ns } = await load(`
      const http = await import('k6/http');
      export default function () { return http.get('http://d').status; }`);
    expect(await callExport(ns, 'default')).toBe(200);
  });

  it('leaves unknown k6 modules to the runtime', async () => {
    const script = await compileScript({ path: '/s/main.js' }, memoryIo({ '/s/main.js': `import ws from 'k6/ws';\nexport default () => ws;` }));
    await expect(instantiate(script, makeFakeRuntime())).rejects.toThrow('unknown module: k6/ws');
  });
});

describe('real libraries', () => {
  it('bundles and runs the yaml package (classes, generators, getters, symbols) and a CommonJS module from disk', async () => {
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const diskIo: CompileIo = { cwd: '/s', readFile: async (p) => (p === '/s/main.js' ? new TextEncoder().encode(main) : new Uint8Array(await readFile(p))) };
    const main = `
      import * as YAML from '${root}node_modules/yaml/browser/dist/index.js';
      import { sleep } from 'k6';
      const ms = require('${root}node_modules/ms/index.js');
      export default function () {
        sleep(0.001);
        return [YAML.parse('a: 1\\nb: [x, y]\\n'), YAML.stringify({ list: [1, 2] }), ms('2 days'), ms(60000)];
      }`;
    const script = await compileScript({ path: '/s/main.js' }, diskIo);
    const ns = await instantiate(script, makeFakeRuntime());
    expect(await callExport(ns, 'default')).toEqual([{ a: 1, b: ['x', 'y'] }, 'list:\n  - 1\n  - 2\n', 172800000, '1m']);
  });
});

describe('require() of a path built at run time', () => {
  it('loads the file the call names, as k6 does when the call runs; a matching file that is no module fails only if required', async () => {
    const dir = await mkdtemp(nodePath.join(tmpdir(), 'stampede-glob-'));
    try {
      await mkdir(nodePath.join(dir, 'profiles'));
      await writeFile(nodePath.join(dir, 'profiles', 'smoke.js'), 'module.exports = { vus: 1 };\n');
      await writeFile(nodePath.join(dir, 'profiles', 'stress.js'), 'module.exports = { vus: 50 };\n');
      await writeFile(nodePath.join(dir, 'profiles', 'README.md'), '# Profiles\n\nOne file per load profile.\n');
      const main = nodePath.join(dir, 'main.js');
      await writeFile(main, `export function profile(name) { return require('./profiles/' + name); }\nexport default function () {}\n`);
      const diskIo: CompileIo = { cwd: dir, readFile: async (p) => new Uint8Array(await readFile(p)) };
      const ns = await instantiate(await compileScript({ path: main }, diskIo), makeFakeRuntime());
      expect(await callExport(ns, 'profile', 'stress.js')).toEqual({ vus: 50 });
      expect(await callExport(ns, 'profile', 'smoke.js')).toEqual({ vus: 1 });
      await expect(callExport(ns, 'profile', 'README.md')).rejects.toThrow(SyntaxError);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("loads the file named by TypeScript's ES5 emit of a template, \"./modules/\".concat(name, \".js\") (pslotinsky/k6-tests' dist/index.js; real-world sweep 8)", async () => {
    const dir = await mkdtemp(nodePath.join(tmpdir(), 'stampede-concat-'));
    try {
      await mkdir(nodePath.join(dir, 'modules', 'entry'), { recursive: true });
      await writeFile(nodePath.join(dir, 'modules', 'entry', 'create.js'), 'exports.vus = 2;\n');
      await writeFile(nodePath.join(dir, 'modules', 'plan.js'), "exports.name = 'plan, with a comma';\n");
      const main = nodePath.join(dir, 'main.js');
      await writeFile(main, `exports.load = function (loader, ext) { return require("./modules/".concat(loader, ext)); };\nexports.plan = function (p) { return require('./modules/'.concat(p.name, '.js')).name; };\nexports.default = function () {};\n`);
      const diskIo: CompileIo = { cwd: dir, readFile: async (p) => new Uint8Array(await readFile(p)) };
      const ns = await instantiate(await compileScript({ path: main }, diskIo), makeFakeRuntime());
      expect(await callExport(ns, 'load', 'entry/create', '.js')).toEqual({ vus: 2 });
      expect(await callExport(ns, 'plan', { name: 'plan' })).toBe('plan, with a comma');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('errors point at the original source', () => {
  it('reports a syntax error as file:line:column of the original file', async () => {
    const err = await compileError(`import { helper } from './lib.js';\nexport default () => helper();`, {
      '/s/lib.js': `export function helper() {\n  return 1;\n}\nconst x = ;\n`,
    });
    expect([err.file, err.line, err.column]).toEqual(['/s/lib.js', 4, 11]);
    expect(err.message).toMatch(/^\/s\/lib\.js:4:11: /);
  });

  it('reports TypeScript syntax errors in the .ts file in k6\'s words: esbuild\'s first error as sobek\'s parser.Error', async () => {
    const err = await compileError(`let a: number = 1;\nlet b: = 2;\nlet c = ;\n`, {}, '/s/main.ts');
    expect([err.file, err.line]).toEqual(['/s/main.ts', 2]);
    // internal/js/compiler/enhanced.go: the file URL, `Line <line>:<esbuild's 0-based column>`, the text; one error only.
    expect(err.message).toBe(`could not initialize '/s/main.ts': could not load JS test 'file:///s/main.ts': file:///s/main.ts: Line 2:7 Unexpected "="`);
    expect(err.exitCode).toBe(107);
    // In an imported module: that module's URL (k6 enhanced_test.go "experimental_enhanced Invalid": `script.ts: Line 1:26 Unexpected ")"`).
    const lib = await compileError(`import { f } from './lib.ts';\nexport default () => f();`, { '/s/lib.ts': `export const f = (): number => 1+(function() { return 2; )();\n` }, '/s/main.ts');
    expect(lib.message).toBe(`could not initialize '/s/main.ts': could not load JS test 'file:///s/main.ts': file:///s/lib.ts: Line 1:57 Unexpected ")"`);
    // A failed import in a TypeScript file is no syntax error: the loader's words, as in a JavaScript file.
    const missing = await compileError(`import { a } from './nope';\nexport default (): number => a;`, {}, '/s/main.ts');
    expect(missing.message).toMatch(/^\/s\/main\.ts:1:19: The moduleSpecifier "\.\/nope" couldn't be found on local disk\./);
    const noExport = await compileError(`import { nope } from './lib.ts';\nexport default (): number => nope;`, { '/s/lib.ts': 'export const one: number = 1;\n' }, '/s/main.ts');
    expect(noExport.message).toBe('/s/main.ts:1:10: No matching export in "/s/lib.ts" for import "nope"');
    // A JavaScript file keeps the located esbuild text.
    expect((await compileError(`let c = ;\n`, {}, '/s/main.js')).message).toBe('/s/main.js:1:9: Unexpected ";"');
  });

  it('strips types only from a .ts file that does not parse as JavaScript, as k6 does', async () => {
    const side = { '/s/side.js': 'export const x = 1;\nglobalThis.sideEffectRan = true;\n' };
    // Valid JavaScript in a .ts file is JavaScript to k6: an import no value uses still loads its module.
    const plain = await compileScript({ path: '/s/main.ts' }, memoryIo({ '/s/main.ts': `import { x } from './side.js';\nexport default () => 1;`, ...side }));
    expect(plain.factorySource).toContain('sideEffectRan');
    const typed = await compileScript({ path: '/s/main.ts' }, memoryIo({ '/s/main.ts': `import { x } from './side.js';\nexport default (): number => 1;`, ...side }));
    expect(typed.factorySource).not.toContain('sideEffectRan');
    // So the types-only module k6/options is loaded, and k6 knows no such module.
    const options = await compileError(`import { Options } from 'k6/options';\nexport const options = { vus: 1 };\nexport default function () {}\n`, {}, '/s/main.ts');
    expect(options.message).toContain(`could not load JS test 'file:///s/main.ts': unknown modules ["k6/options"] were tried to be loaded`);
    await compileScript({ path: '/s/main.ts' }, memoryIo({ '/s/main.ts': `import { Options } from 'k6/options';\nexport const options: Options = { vus: 1 };\nexport default function () {}\n` }));
    // Only names ending in .ts: .mts, .cts and .tsx are parsed as JavaScript, so types are syntax errors there.
    for (const name of ['/s/main.mts', '/s/main.cts', '/s/main.tsx', '/s/main.TS']) {
      const err = await compileError(`export default function (): void {}\n`, {}, name);
      expect([err.file, err.message]).toEqual([name, `${name}:1:27: Expected "{" but found ":"`]);
    }
  });

  it('maps a runtime stack position back to the original file and line', async () => {
    const { script, ns } = await load(
      `import { fail } from './lib.js';\nexport default function () {\n  return fail('x');\n}`,
      { '/s/lib.js': `import { sleep } from 'k6';\n\nexport function fail(m) {\n  sleep(1);\n  throw new Error(m);\n}\n` },
    );
    const err = (await callExport(ns, 'default').catch((e: unknown) => e)) as Error;
    expect(err.stack).toMatch(/at fail \(/); // frames keep the script's function names
    const frame = /main\.js:(\d+):(\d+)/.exec(err.stack ?? '');
    expect(frame).not.toBeNull();
    const pos = script.mapPosition(Number(frame![1]), Number(frame![2]));
    expect(pos).toEqual({ file: '/s/lib.js', line: 5, column: 9 });

    const mapped = script.mapStack(err.stack ?? '');
    // k6's (sobek's) layout: a tab, `at`, the name and the file URL; the anonymous default export is
    // `default`; the compiler's frames (driver, a wrapped function's shell) are gone.
    // After the sleep the caller is a suspended generator: its frame is added at the call it waited for.
    expect(mapped.split('\n').slice(1)).toEqual(['\tat fail (file:///s/lib.js:5:9)', '\tat default (file:///s/main.js:3:10)']);
  });

  it('lists every caller of a function that threw after blocking calls, outermost last, as k6 does', async () => {
    const { script, ns } = await load(
      [
        `import { sleep, check } from 'k6';`,
        `function inner() { sleep(0.01); throw new Error('boom'); }`,
        `function middle() { sleep(0.01); return inner(); }`,
        `function helper() { ['a'].forEach((x) => { middle(); }); }`,
        `export default function () {`,
        `  sleep(0.01);`,
        `  check(1, { 'runs helper': () => helper() });`,
        `}`,
      ].join('\n'),
    );
    const err = (await callExport(ns, 'default').catch((e: unknown) => e)) as Error;
    expect(script.mapStack(err.stack ?? '').split('\n')).toEqual([
      'Error: boom',
      '\tat inner (file:///s/main.js:2:39)',
      '\tat middle (file:///s/main.js:3:41)',
      '\tat file:///s/main.js:4:44',
      '\tat helper (file:///s/main.js:4:27)',
      '\tat file:///s/main.js:7:35',
      '\tat default (file:///s/main.js:7:3)',
    ]);
  });

  it('writes functions the language leaves anonymous as k6 does, by position only: assigned to a property, a CommonJS module\'s body', async () => {
    const { script, ns } = await load(
      [
        `import { sleep } from 'k6';`,
        `const api = {};`,
        `api.call = function () { sleep(0); throw new Error('boom'); };`,
        `export const run = () => require('./lib/wrap.cjs').run(api);`,
        `export default function () { run(); }`,
      ].join('\n'),
      { '/s/lib/wrap.cjs': `const k6 = require('k6');\nmodule.exports = { run: (a) => { k6.sleep(0); a.call(); } };\n` },
    );
    const err = (await callExport(ns, 'default').catch((e: unknown) => e)) as Error;
    expect(script.mapStack(err.stack ?? '').split('\n')).toEqual([
      'Error: boom',
      '\tat file:///s/main.js:3:42',
      '\tat run (file:///s/lib/wrap.cjs:2:49)',
      '\tat run (file:///s/main.js:4:52)',
      '\tat default (file:///s/main.js:5:30)',
    ]);
  });

  it('writes a CommonJS module\'s body that blocked by its position only, as k6 writes a module\'s function (not the compiler\'s generator slot)', async () => {
    const main = `const lib = require('./lib.cjs');\nexport default function () {}\n`;
    const lib = `const k6 = require('k6');\nk6.sleep(0);\nfunction boom() { throw new Error('cjs'); }\nboom();\n`;
    const script = await compileScript({ path: '/s/main.js' }, memoryIo({ '/s/main.js': main, '/s/lib.cjs': lib }));
    const err = (await instantiate(script, makeFakeRuntime()).catch((e: unknown) => e)) as Error;
    expect(script.mapStack(err.stack ?? '').split('\n').slice(0, 3)).toEqual([
      'Error: cjs',
      '\tat boom (file:///s/lib.cjs:3:25)',
      '\tat file:///s/lib.cjs:4:1',
    ]);
  });

  it('shows an async caller waiting for a blocked function at its call (V8\'s async frame), not at the transform\'s await', async () => {
    const { script, ns } = await load(
      [
        `import { sleep } from 'k6';`,
        `function helper() { sleep(0); throw new Error('boom'); }`,
        `async function f() {`,
        `  helper();`,
        `}`,
        `export default async function () { await f(); }`,
      ].join('\n'),
    );
    const err = (await callExport(ns, 'default').catch((e: unknown) => e)) as Error;
    expect(script.mapStack(err.stack ?? '').split('\n').slice(0, 3)).toEqual([
      'Error: boom',
      '\tat helper (file:///s/main.js:2:37)',
      '\tat f (file:///s/main.js:4:3)',
    ]);
  });

  it('adds the callers to `err.stack` as the script reads it, once, also when it is caught and thrown again', async () => {
    const { script, ns } = await load(
      [
        `import { sleep } from 'k6';`,
        `function inner() { sleep(0); throw new Error('boom'); }`,
        `function outer() { try { inner(); } catch (e) { sleep(0); throw e; } }`,
        `export default function () {`,
        `  try { outer(); } catch (e) { return e.stack; }`,
        `}`,
      ].join('\n'),
    );
    const stack = (await callExport(ns, 'default')) as string;
    expect(script.mapStack(stack).split('\n')).toEqual([
      'Error: boom',
      '\tat inner (file:///s/main.js:2:36)',
      '\tat outer (file:///s/main.js:3:26)',
      '\tat default (file:///s/main.js:5:9)',
    ]);
  });

  it('does not repeat the callers of an error made before they blocked', async () => {
    const { script, ns } = await load(
      [
        `import { sleep } from 'k6';`,
        `function make() { return new Error('early'); }`,
        `function helper() { const e = make(); sleep(0); throw e; }`,
        `function outer() { sleep(0); helper(); }`,
        `export default function () { outer(); }`,
      ].join('\n'),
    );
    const err = (await callExport(ns, 'default').catch((e: unknown) => e)) as Error;
    // made in helper after outer resumed: V8 has make, helper and outer; default is added.
    expect(script.mapStack(err.stack ?? '').split('\n')).toEqual([
      'Error: early',
      '\tat make (file:///s/main.js:2:26)',
      '\tat helper (file:///s/main.js:3:31)',
      '\tat outer (file:///s/main.js:4:30)',
      '\tat default (file:///s/main.js:5:30)',
    ]);
  });

  it('places an added caller frame where V8 places the call, whatever its shape', async () => {
    const expected = new Map<string, string>();
    const calls = ['o.m()', "o['m']()", '(0, o.m)()', 'o.m?.()', 'o?.m()', 'o.delete()', 'o\n    .m()', 'new T()', 'o.m`x`'];
    for (const blocks of [false, true]) {
      const { script, ns } = await load(
        [
          `import { sleep } from 'k6';`,
          `const blocks = ${blocks};`,
          `function boom() { if (blocks) sleep(0); throw new Error('x'); }`,
          `function T() { boom(); }`,
          `const o = { m: boom, delete: boom };`,
          `export default function (i) {`,
          ...calls.map((c, i) => `  if (i === ${i}) ${c};`),
          `}`,
        ].join('\n'),
      );
      for (const [i, call] of calls.entries()) {
        const err = (await callExport(ns, 'default', i).catch((e: unknown) => e)) as Error;
        const frames = script.mapStack(err.stack ?? '').split('\n');
        expect(`${call}: ${frames.at(-1)}`).toMatch(/: \tat default \(file:\/\/\/s\/main\.js:\d+:\d+\)$/);
        if (blocks) expect(`${call}: ${frames.join(' | ')}`).toBe(`${call}: ${expected.get(call)}`);
        else expected.set(call, frames.join(' | '));
      }
    }
  });

  it("lists the callers' frames in k6's layout, the anonymous default export as `default`", async () => {
    const { script, ns } = await load(
      `import { fail } from './lib.js';\nfunction helper() {\n  return fail('x');\n}\nexport default function () {\n  return helper();\n}`,
      { '/s/lib.js': `export function fail(m) {\n  throw new Error(m);\n}\n` },
    );
    const err = (await callExport(ns, 'default').catch((e: unknown) => e)) as Error;
    expect(script.mapStack(err.stack ?? '').split('\n')).toEqual([
      'Error: x',
      '\tat fail (file:///s/lib.js:2:9)',
      '\tat helper (file:///s/main.js:3:10)',
      '\tat default (file:///s/main.js:6:10)',
    ]);
  });

  it('gives a class field initialiser\u2019s frame its position only (not the compiler\u2019s method name), after it blocked', async () => {
    const { script, ns } = await load(
      `import { sleep } from 'k6';\nfunction boom() { throw new Error('x'); }\nclass Api {\n  a = sleep(0);\n  b = boom();\n}\nexport default function () {\n  return new Api();\n}`,
    );
    const err = (await callExport(ns, 'default').catch((e: unknown) => e)) as Error;
    expect(script.mapStack(err.stack ?? '').split('\n')).toEqual([
      'Error: x',
      '\tat boom (file:///s/main.js:2:25)',
      '\tat file:///s/main.js:5:7',
      '\tat default (file:///s/main.js:8:10)',
    ]);
  });

  it('names a function that shares its name with another module’s as written, not as bundled (run, not run2)', async () => {
    const { script, ns } = await load(
      `import { run as other } from './other.js';\nimport { sleep } from 'k6';\nfunction run() {\n  sleep(0);\n  throw new Error('x');\n}\nexport default function () {\n  other();\n  run();\n}`,
      { '/s/other.js': 'export function run() {}' },
    );
    const err = (await callExport(ns, 'default').catch((e: unknown) => e)) as Error;
    expect(script.mapStack(err.stack ?? '').split('\n').slice(0, 2)).toEqual(['Error: x', '\tat run (file:///s/main.js:5:9)']);
  });

  it('names an imported module’s anonymous default export `default`, as the language and k6 do (not the bundler’s bar_default)', async () => {
    const { script, ns } = await load(
      [
        `import bar from './bar.js';`,
        `import baz from './baz.ts';`,
        `import Qux from './qux.js';`,
        `function foo_default() { throw new Error('mine'); }`,
        `export default function () {`,
        `  const out = [[bar.name, baz.name, Qux.name, foo_default.name].join()];`,
        `  for (const f of [bar, baz, () => new Qux().run(), foo_default]) { try { f(); } catch (e) { out.push(e.stack); } }`,
        `  return out;`,
        `}`,
      ].join('\n'),
      {
        '/s/bar.js': `import { sleep } from 'k6';\nexport default function () {\n  sleep(0);\n  throw new Error('bar');\n}\n`,
        '/s/baz.ts': `export default (): void => {\n  throw new Error('baz');\n};\n`,
        '/s/qux.js': `export default class {\n  run() { throw new Error('qux'); }\n}\n`,
      },
    );
    const [names, ...stacks] = (await callExport(ns, 'default')) as string[];
    expect(names).toBe('default,default,default,foo_default');
    expect(stacks.map((st) => script.mapStack(st).split('\n').slice(0, 2))).toEqual([
      ['Error: bar', '\tat default (file:///s/bar.js:4:9)'],
      ['Error: baz', '\tat default (file:///s/baz.ts:2:9)'],
      ['Error: qux', '\tat run (file:///s/qux.js:2:17)'],
      ['Error: mine', '\tat foo_default (file:///s/main.js:4:32)'],
    ]);
  });

  it('writes the importer\u2019s name in a TypeError on a default-imported module, not the bundler\u2019s helpers_default or run2', async () => {
    const { script, ns } = await load(
      [
        `import helpers from './helpers.js';`,
        `import { run } from './other.js';`,
        `function run2() {}`,
        `export default function () {`,
        `  const out = [];`,
        `  for (const f of [() => helpers.logout(), () => helpers.session.id, () => run.call.missing(), () => run2()]) { try { f(); } catch (e) { out.push(e.stack); } }`,
        `  return out;`,
        `}`,
      ].join('\n'),
      {
        '/s/helpers.js': `export default { login() { return 1; } };\n`,
        '/s/other.js': `import helpers from './helpers.js';\nexport function run() { return helpers.login(); }\n`,
      },
    );
    const stacks = (await callExport(ns, 'default')) as string[];
    expect(stacks.slice(0, 3).map((st) => script.mapStack(st).split('\n')[0])).toEqual([
      'TypeError: helpers.logout is not a function',
      "TypeError: Cannot read properties of undefined (reading 'id')",
      'TypeError: run.call.missing is not a function',
    ]);
  });

  it('names recursive functions that block after themselves in stack traces (not after their generator\u2019s cache slot)', async () => {
    const { script, ns } = await load(
      `import { sleep } from 'k6';\nfunction down(n) {\n  sleep(n);\n  if (n > 0) return down(n - 1);\n  throw new Error('bottom');\n}\nconst fact = (n) => { sleep(n); if (n > 1) return n * fact(n - 1); throw new Error('one'); };\nexport default function () {\n  const out = [down.name, fact.name];\n  for (const f of [() => down(1), () => fact(2)]) { try { f(); } catch (e) { out.push(e.stack); } }\n  return out;\n}`,
    );
    const [downName, factName, downStack, factStack] = (await callExport(ns, 'default')) as string[];
    expect([downName, factName]).toEqual(['down', 'fact']);
    expect(script.mapStack(downStack ?? '').split('\n').slice(0, 2)).toEqual(['Error: bottom', '\tat down (file:///s/main.js:5:9)']);
    expect(script.mapStack(factStack ?? '').split('\n').slice(0, 2)).toEqual(['Error: one', '\tat fact (file:///s/main.js:7:74)']);
  });

  it('maps a factory position quoted in a message, whole or as its file name or line (positionPart)', async () => {
    const { script, ns } = await load(
      `import { fail } from './lib.js';\nexport default function () {\n  return fail('x');\n}`,
      { '/s/lib.js': `export function fail(m) {\n  throw new Error(m);\n}\n` },
    );
    const err = (await callExport(ns, 'default').catch((e: unknown) => e)) as Error;
    const at = /(\/s\/main\.js:\d+:\d+)/.exec(err.stack ?? '')?.[1] as string;
    const message = `At: ${at}\nFilename: ${positionPart(at, 'file')}\nLine: ${positionPart(at, 'line')}`;
    expect(script.mapStack(message)).toBe('At: /s/lib.js:2:9\nFilename: lib.js\nLine: 2');
  });

  it('writes a frame quoted in a message as k6 does (framePart): its function name and file URL, or the position alone', async () => {
    const { script, ns } = await load(
      `import { fail } from './lib.js';\nexport default function () {\n  return [() => fail('x')].map(function (f) { return f(); });\n}`,
      { '/s/lib.js': `export function fail(m) {\n  throw new Error(m);\n}\n` },
    );
    const err = (await callExport(ns, 'default').catch((e: unknown) => e)) as Error;
    const frames = (err.stack ?? '').split('\n').flatMap((l) => /^\s+at (.*main\.js.*)$/.exec(l)?.[1] ?? []);
    const quoted = frames.map((f) => `failed: Error: x at ${framePart(f)}`);
    // (The compiler's own frames, which a script's exception never starts at, are left as V8 wrote them.)
    expect(quoted.map((q) => script.mapStack(q)).filter((m) => m.includes('file://'))).toEqual([
      'failed: Error: x at fail (file:///s/lib.js:2:9)',
      'failed: Error: x at file:///s/main.js:3:17',
      'failed: Error: x at file:///s/main.js:3:54',
      'failed: Error: x at default (file:///s/main.js:3:28)',
    ]);
  });
});

describe('runaway VUs', () => {
  it('interrupts an infinite loop when tick throws, and try/catch cannot swallow it', async () => {
    const { ns, fake } = await load(`
      export default function () {
        let swallowed = 0;
        for (;;) {
          try { while (true) {} } catch (e) { swallowed++; }
          try { do ; while (true) } catch { swallowed++; }
        }
      }`);
    fake.interruptAfterTicks(1000);
    await expect(callExport(ns, 'default')).rejects.toBeInstanceOf(FakeInterrupt);
  });

  it('ticks in every loop kind and checks destructured catch bindings too', async () => {
    const { ns, fake } = await load(`
      function spin(o) {
        let n = 0;
        for (const k in o) { while (n < 10) { n++; try { throw new Error(k); } catch ({ message }) { if (message !== 'a') return 'bad'; } } }
        try { for (;;) {} } catch ({ message }) { return 'swallowed ' + message; }
      }
      export default function () { return spin({ a: 1 }); }`);
    fake.interruptAfterTicks(50);
    await expect(callExport(ns, 'default')).rejects.toBeInstanceOf(FakeInterrupt);
  });
});
