// VU runtime tests over hand-written factories in the shape the script transform emits.
import { describe, expect, it } from 'vitest';
import { ScriptRealm } from './script-realm.ts';
import { Vu } from './vu.ts';
import { claimRejection } from './promise-owners.ts';
import { seededRandom } from './seeded-random.ts';
import type { VuServices } from './vu-services.ts';
import type { LogLevel } from './log-sink.ts';
import type { Tags } from './vu-host.ts';
import { MetricRegistry } from '../metrics/metric-registry.ts';
import { SharedArrayStore } from '../modules/data-module.ts';
import { JsonOutput } from '../summary/json-output.ts';

const PRELUDE = `const __S = __rt.S; const { __VU, open, console, require, setTimeout, clearTimeout, setInterval, clearInterval } = __rt.globals;
let __ITER, __ENV = __rt.globals.__ENV; __rt.bindIter(v => { __ITER = v }, e => { __ENV = e }); let __t;`;
/** A blocking-aware call site, as the transform writes it. */
const call = (expr: string): string => `(__t = ${expr}, __t != null && __t[__S] === true ? await __t : __t)`;

interface Harness {
  svc: VuServices;
  samples: Array<{ metric: string; tags: Tags; value: number }>;
  logs: Array<{ level: LogLevel; msg: string }>;
  stop: { raised: boolean };
  aborted: string[];
}

function harness(body: string, opts: { files?: Record<string, string>; options?: Record<string, unknown> } = {}): Harness {
  const realm = new ScriptRealm();
  const factory = realm.instantiate(`(async function (__rt) { ${PRELUDE}\n${body}\n})`, 'test.js');
  const samples: Harness['samples'] = [];
  const logs: Harness['logs'] = [];
  const stop = { raised: false };
  const aborted: string[] = [];
  const log = { write: (level: LogLevel, msg: string) => void logs.push({ level, msg }) };
  const svc: VuServices = {
    realm,
    factory,
    options: opts.options ?? {},
    runTags: {},
    env: { A: '1' },
    samples: {
      add: (metric, tags, value) => void samples.push({ metric, tags, value }),
      addMany: (tags, list) => {
        for (const [metric, value] of list) samples.push({ metric, tags, value });
      },
    },
    metrics: new MetricRegistry(),
    log,
    errorLog: log,
    files: {
      read(path) {
        const text = opts.files?.[path];
        if (text === undefined) throw new Error(`no such file ${path}`);
        return new TextEncoder().encode(text);
      },
    },
    scriptDir: '/scripts',
    sharedArrays: new SharedArrayStore(),
    execution: {
      iterationsCompleted: () => 0,
      iterationsInterrupted: () => 0,
      vusActive: () => 1,
      vusInitialized: () => 1,
      testStart: () => Date.now(),
      runStart: () => Date.now(),
      scenario: () => ({ executor: 'per-vu-iterations', startTime: Date.now(), progress: 0 }),
      testOptions: () => ({}),
      abortTest: (m) => void aborted.push(m),
      failTest: () => undefined,
    },
    stop: { isRaised: () => stop.raised },
    now: Date.now,
  };
  return { svc, samples, logs, stop, aborted };
}

const scenario = { name: 'default', executor: 'per-vu-iterations', env: {}, tags: {} };
const never = new AbortController().signal;
const iter = (n = 0) => ({ exec: 'default', iterationInScenario: n, iterationInTest: n });

describe('VU runtime', () => {
  it('keeps module state per VU and exposes __VU, __ITER and __ENV', async () => {
    const h = harness(`
      let count = 0;
      const seen = [];
      function def() { return __rt.wrap(async () => { count++; seen.push([__VU, __ITER, __ENV.A, count]); }) }
      return { default: def, seen: () => seen };`);
    const a = new Vu(h.svc, 1, 1);
    const b = new Vu(h.svc, 2, 2);
    await a.init();
    await b.init();
    a.activate(scenario);
    b.activate(scenario);
    await a.runIteration(iter(0), never);
    await a.runIteration(iter(1), never);
    await b.runIteration(iter(0), never);
    expect((a.exports.seen as () => unknown)()).toEqual([[1, 0, '1', 1], [1, 1, '1', 2]]);
    expect((b.exports.seen as () => unknown)()).toEqual([[2, 0, '1', 1]]);
    expect(h.samples.filter((s) => s.metric === 'iterations')).toHaveLength(3);
  });

  it('with the vu and iter system tags on, every sample carries them as metadata in --out json (k6 VU.Activate, runFn)', async () => {
    const points = async (options: Record<string, unknown>) => {
      const h = harness(`
        function def() { return __rt.wrap(async () => {}) }
        function setup() { return __rt.wrap(async () => {}) }
        return { default: def, setup };`, { options });
      const lines: string[] = [];
      const registry = new MetricRegistry();
      const json = new JsonOutput({ write: (c) => void lines.push(...c.split('\n').filter(Boolean)), metrics: registry, bufferSize: 0 });
      h.svc = { ...h.svc, samples: json };
      const setupVu = new Vu(h.svc, 0, 0);
      await setupVu.init();
      await setupVu.runLifecycle('setup', 'setup', [], 1000);
      const vu = new Vu(h.svc, 7, 7);
      await vu.init();
      vu.activate(scenario);
      await vu.runIteration(iter(0), never);
      await vu.runIteration(iter(1), never);
      return lines.map((l) => JSON.parse(l) as { type: string; metric: string; data: { tags: Tags; metadata?: Record<string, string> } })
        .filter((p) => p.type === 'Point').map((p) => [p.metric, p.data.metadata]);
    };
    expect(await points({ systemTags: ['vu', 'iter'] })).toEqual([
      ['data_sent', { iter: '0' }], ['data_received', { iter: '0' }],
      ...[0, 1].flatMap((i) => ['data_sent', 'data_received', 'iteration_duration', 'iterations'].map((m) => [m, { iter: String(i), vu: '7' }])),
    ]);
    expect((await points({ systemTags: ['vu'] }))[2]).toEqual(['data_sent', { vu: '7' }]);
    // The default systemTags have neither: no metadata field.
    expect((await points({})).every(([, meta]) => meta === undefined)).toBe(true);
  });

  it('tags set through exec.vu.tags last through the scenario\'s iterations but not into the next scenario (k6 VU.Activate)', async () => {
    const h = harness(`
      function def() { return __rt.wrap(async () => {}) }
      return { default: def };`);
    const vu = new Vu(h.svc, 1, 1);
    await vu.init();
    vu.activate(scenario);
    vu.customTags.sc = '1';
    vu.invalidateTags();
    await vu.runIteration(iter(0), never);
    await vu.runIteration(iter(1), never);
    vu.activate({ ...scenario, name: 'second' });
    await vu.runIteration(iter(0), never);
    const tags = h.samples.filter((s) => s.metric === 'iterations').map((s) => [s.tags.scenario, s.tags.sc]);
    expect(tags).toEqual([['default', '1'], ['default', '1'], ['second', undefined]]);
  });

  it("emits a full iteration's samples in k6's order: the script's, data_sent, data_received, iteration_duration, iterations (k6 runner_test TestVUIntegrationMetrics)", async () => {
    const h = harness(`
      const { Trend } = require('k6/metrics');
      const t = new Trend('my_metric');
      function def() { t.add(5); }
      return { default: def };`);
    const vu = new Vu(h.svc, 1, 1);
    await vu.init();
    vu.activate(scenario);
    await vu.runIteration(iter(), never);
    expect(h.samples.map((s) => [s.metric, s.metric === 'iteration_duration' ? 'ms' : s.value])).toEqual([
      ['my_metric', 5], ['data_sent', 0], ['data_received', 0], ['iteration_duration', 'ms'], ['iterations', 1],
    ]);
  });

  it("writes the run's set options into the script's exported options before its first call (k6 runner_test TestOptionsSettingToScript)", async () => {
    const h = harness(`
      const options = { setupTimeout: '1s', myOption: 'test' };
      let seen;
      function def() { seen = JSON.stringify(options); }
      return { options, default: def, seen: () => seen };`);
    let run: Record<string, unknown> = {};
    h.svc = { ...h.svc, execution: { ...h.svc.execution, testOptions: () => run } };
    const vu = new Vu(h.svc, 1, 1);
    await vu.init();
    run = { setupTimeout: '1s', teardownTimeout: '4s', hosts: null, tags: {}, dns: { ttl: null }, blacklistIPs: [], systemTags: ['check'] };
    vu.activate(scenario);
    await vu.runIteration(iter(), never);
    expect(JSON.parse((vu.exports.seen as () => string)())).toEqual({ setupTimeout: '1s', myOption: 'test', teardownTimeout: '4s', systemTags: ['check'] });
  });

  it('sleep blocks the VU and iteration_duration includes it', async () => {
    const h = harness(`
      const k6 = require('k6');
      function def() { return __rt.wrap(async () => { ${call('k6.sleep(0.05)')}; }) }
      return { default: def };`);
    const vu = new Vu(h.svc, 1, 1);
    await vu.init();
    vu.activate(scenario);
    expect(await vu.runIteration(iter(), never)).toBe('full');
    const d = h.samples.find((s) => s.metric === 'iteration_duration');
    expect(d?.value).toBeGreaterThanOrEqual(45);
    expect(d?.tags).toMatchObject({ scenario: 'default', group: '' });
  });

  it('check records a sample per check, awaits blocking check functions, and returns all-pass', async () => {
    const h = harness(`
      const k6 = require('k6');
      let results = [];
      function slowTrue() { return __rt.wrap(async () => { ${call('k6.sleep(0.01)')}; return true; }) }
      function def() { return __rt.wrap(async () => {
        results.push(${call(`k6.check(5, { 'is five': (v) => v === 5, 'is six': (v) => v === 6 }, { mine: 'x' })`)});
        results.push(${call(`k6.check(1, { 'slow': () => slowTrue(), 'fast': true })`)});
      }) }
      return { default: def, results: () => results };`);
    const vu = new Vu(h.svc, 1, 1);
    await vu.init();
    vu.activate(scenario);
    await vu.runIteration(iter(), never);
    expect((vu.exports.results as () => unknown)()).toEqual([false, true]);
    const checks = h.samples.filter((s) => s.metric === 'checks').map((s) => [s.tags.check, s.value, s.tags.mine]);
    expect(checks).toEqual([['is five', 1, 'x'], ['is six', 0, 'x'], ['slow', 1, undefined], ['fast', 1, undefined]]);
  });

  it('group sets the group path tag, emits group_duration and rejects "::" names', async () => {
    const h = harness(`
      const k6 = require('k6');
      let err;
      function def() { return __rt.wrap(async () => {
        ${call(`k6.group('outer', () => __rt.wrap(async () => { ${call(`k6.group('inner', () => k6.check(1, { ok: true }))`)}; ${call('k6.sleep(0.01)')}; }))`)};
        try { k6.group('a::b', () => 1) } catch (e) { __rt.caught(e); err = String(e.message) }
      }) }
      return { default: def, err: () => err };`);
    const vu = new Vu(h.svc, 1, 1);
    await vu.init();
    vu.activate(scenario);
    await vu.runIteration(iter(), never);
    expect(h.samples.find((s) => s.metric === 'checks')?.tags.group).toBe('::outer::inner');
    expect(h.samples.filter((s) => s.metric === 'group_duration').map((s) => s.tags.group)).toEqual(['::outer::inner', '::outer']);
    expect(String((vu.exports.err as () => unknown)())).toContain('::');
  });

  it('waits for timers before ending an iteration, and fires none while the VU is in a blocking call', async () => {
    const h = harness(`
      const k6 = require('k6');
      const order = [];
      function def() { return __rt.wrap(async () => {
        setTimeout(() => order.push('timer'), 5);
        ${call('k6.sleep(0.05)')};
        order.push('after sleep');
      }) }
      return { default: def, order: () => order };`);
    const vu = new Vu(h.svc, 1, 1);
    await vu.init();
    vu.activate(scenario);
    await vu.runIteration(iter(), never);
    expect((vu.exports.order as () => unknown)()).toEqual(['after sleep', 'timer']);
  });

  it('an iteration with a pending timer ends only after the timer fired', async () => {
    const h = harness(`
      let fired = 0;
      function def() { setTimeout(() => { fired++ }, 30); }
      return { default: def, fired: () => fired };`);
    const vu = new Vu(h.svc, 1, 1);
    await vu.init();
    vu.activate(scenario);
    await vu.runIteration(iter(), never);
    expect((vu.exports.fired as () => unknown)()).toBe(1);
  });

  it('logs an exception, counts the iteration as full, and the VU continues', async () => {
    const h = harness(`
      let n = 0;
      function def() { n++; if (n === 1) throw new Error('boom'); }
      return { default: def, n: () => n };`);
    const vu = new Vu(h.svc, 1, 1);
    await vu.init();
    vu.activate(scenario);
    expect(await vu.runIteration(iter(0), never)).toBe('full');
    expect(await vu.runIteration(iter(1), never)).toBe('full');
    expect(h.logs.some((l) => l.level === 'error' && l.msg.includes('boom'))).toBe(true);
    expect(h.samples.filter((s) => s.metric === 'iterations')).toHaveLength(2);
  });

  it('interrupts a runaway while(true) loop once the stop flag is raised from outside', async () => {
    const h = harness(`
      function def() { while (true) { __rt.tick(); } }
      return { default: def };`);
    const vu = new Vu(h.svc, 1, 1);
    await vu.init();
    vu.activate(scenario);
    h.stop.raised = true;
    expect(await vu.runIteration(iter(), never)).toBe('interrupted');
    expect(h.samples.filter((s) => s.metric === 'iterations')).toHaveLength(0);
  });

  it('interrupts a runaway loop at the scenario hard deadline, even past a try/catch', async () => {
    const h = harness(`
      function def() { for (;;) { __rt.tick(); try { __rt.tick(); } catch (e) { __rt.caught(e); } } }
      return { default: def };`);
    const vu = new Vu(h.svc, 1, 1);
    await vu.init();
    vu.activate({ ...scenario, hardDeadline: Date.now() + 100 });
    const started = Date.now();
    expect(await vu.runIteration(iter(), never)).toBe('interrupted');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('an interrupt signal cancels a sleep at once', async () => {
    const h = harness(`
      const k6 = require('k6');
      function def() { return __rt.wrap(async () => { ${call('k6.sleep(30)')}; }) }
      return { default: def };`);
    const vu = new Vu(h.svc, 1, 1);
    await vu.init();
    vu.activate(scenario);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 30);
    const started = Date.now();
    expect(await vu.runIteration(iter(), ac.signal)).toBe('interrupted');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('hof: forEach with a blocking callback visits every element in order', async () => {
    const h = harness(`
      const k6 = require('k6');
      const out = [];
      function visit(x) { return __rt.wrap(async () => { ${call('k6.sleep(0.001)')}; out.push(x); return x * 2; }) }
      function def() { return __rt.wrap(async () => {
        ${call(`__rt.hof([1, 2, 3], 'forEach', [visit])`)};
        out.push(${call(`__rt.hof([4, 5], 'map', [visit])`)});
        out.push(${call(`__rt.hof([1, 2, 3], 'filter', [(x) => x !== 2])`)});
      }) }
      return { default: def, out: () => out };`);
    const vu = new Vu(h.svc, 1, 1);
    await vu.init();
    vu.activate(scenario);
    await vu.runIteration(iter(), never);
    expect(JSON.stringify((vu.exports.out as () => unknown)())).toBe('[1,2,3,4,5,[8,10],[1,3]]');
  });

  it('hof: a call on undefined or on a value without the method throws a TypeError of the script realm', async () => {
    const h = harness(`
      const seen = [];
      function def() { return __rt.wrap(async () => {
        const o = {};
        try { __rt.hof(o.items, 'map', [(x) => x]); } catch (e) { seen.push(e instanceof TypeError, e.message); }
        try { __rt.hof(o, 'map', [(x) => x], 'o'); } catch (e) { seen.push(e instanceof TypeError, e.message); }
      }) }
      return { default: def, seen: () => seen };`);
    const vu = new Vu(h.svc, 1, 1);
    await vu.init();
    vu.activate(scenario);
    await vu.runIteration(iter(), never);
    expect((vu.exports.seen as () => unknown[])()).toEqual([true, "Cannot read properties of undefined (reading 'map')", true, 'o.map is not a function']);
  });

  it('randomSeed makes Math.random deterministic for that VU', async () => {
    const body = `
      const k6 = require('k6');
      const seen = [];
      function def() { return __rt.wrap(async () => { k6.randomSeed(42); seen.push(Math.random(), Math.random()); }) }
      return { default: def, seen: () => seen };`;
    const h = harness(body);
    const a = new Vu(h.svc, 1, 1);
    const b = new Vu(h.svc, 2, 2);
    await a.init();
    await b.init();
    a.activate(scenario);
    b.activate(scenario);
    await a.runIteration(iter(), never);
    await b.runIteration(iter(), never);
    const sa = (a.exports.seen as () => number[])();
    expect(sa).toEqual((b.exports.seen as () => number[])());
    expect(sa[0]).not.toBe(sa[1]);
  });

  it('a VU that did not call randomSeed keeps native randomness next to a seeded VU', async () => {
    const h = harness(`
      const k6 = require('k6');
      const seen = [];
      function def() { return __rt.wrap(async () => { if (__VU === 1) k6.randomSeed(7); seen.push(Math.random()); }) }
      return { default: def, seen: () => seen };`);
    const seeded = new Vu(h.svc, 1, 1);
    const other = new Vu(h.svc, 2, 2);
    await seeded.init();
    await other.init();
    seeded.activate(scenario);
    other.activate(scenario);
    await seeded.runIteration(iter(), never);
    await other.runIteration(iter(), never);
    const sequence = seededRandom(7);
    expect((seeded.exports.seen as () => number[])()[0]).toBe(sequence());
    // Drawing from the seeded VU's sequence would give its next value.
    expect((other.exports.seen as () => number[])()[0]).not.toBe(sequence());
  });

  it("a timer callback draws from its own VU's seeded sequence while another seeded VU runs", async () => {
    const h = harness(`
      const k6 = require('k6');
      const seen = [];
      function def() { return __rt.wrap(async () => {
        k6.randomSeed(__VU === 1 ? 7 : 8);
        setTimeout(() => { seen.push(Math.random()); }, 20);
      }) }
      return { default: def, seen: () => seen };`);
    const a = new Vu(h.svc, 1, 1);
    const b = new Vu(h.svc, 2, 2);
    await a.init();
    await b.init();
    a.activate(scenario);
    b.activate(scenario);
    // Both iterations wait for their timers at once: VU 2 seeded last, VU 1's callback runs first.
    await Promise.all([a.runIteration(iter(), never), b.runIteration(iter(), never)]);
    expect((a.exports.seen as () => number[])()).toEqual([seededRandom(7)()]);
    expect((b.exports.seen as () => number[])()).toEqual([seededRandom(8)()]);
  });

  it('an unknown module fails naming the supported ones', async () => {
    const h = harness(`require('k6/nope'); return {};`);
    await expect(new Vu(h.svc, 1, 1).init()).rejects.toThrow(/unknown module "k6\/nope".*k6\/execution/);
  });

  it('require() of a bare name that is no k6 module fails as k6\'s loader does (loader.go Resolve, a GoError)', async () => {
    const h = harness(`let e; try { require('crypto'); } catch (x) { e = x; } return { e };`);
    const vu = new Vu(h.svc, 1, 1);
    await vu.init();
    const e = vu.exports.e as Error;
    expect(String(e)).toBe('GoError: The moduleSpecifier "crypto" couldn\'t be recognised as something k6 supports.');
    const gh = harness(`require('github.com/x/y/z.js'); return {};`);
    await expect(new Vu(gh.svc, 1, 1).init()).rejects.toThrow("github.com 'special' urls are no longer supported");
    const empty = harness(`let e; try { require(''); } catch (x) { e = x; } return { e };`);
    const emptyVu = new Vu(empty.svc, 1, 1);
    await emptyVu.init();
    expect(String(emptyVu.exports.e)).toBe("GoError: require() can't be used with an empty specifier");
  });

  it('a module k6 removed fails the init with k6\'s own GoError text (jsmodules.go newRemovedModule)', async () => {
    const cases: Array<[string, string]> = [
      ['k6/experimental/redis', "k6/experimental/redis has been removed. Please migrate to the new version by changing your import to 'k6/x/redis'. Read more here: https://grafana.com/docs/k6/latest/javascript-api/k6-x-redis"],
      ['k6/experimental/grpc', 'k6/experimental/grpc has been graduated, please use k6/net/grpc instead. See https://grafana.com/docs/k6/latest/javascript-api/k6-net-grpc/ for more information.'],
      ['k6/experimental/browser', 'k6/experimental/browser has been graduated, please use k6/browser instead.Please update your imports to use k6/browser instead of k6/experimental/browser, For more information, see the migration guide at the link: https://grafana.com/docs/k6/latest/using-k6-browser/migrating-to-k6-v0-52/'],
      ['k6/experimental/timers', "k6/experimental/timers has been graduated, and it's now globally available as defined by standard WebAPIs. You just need to remove the import."],
    ];
    for (const [name, message] of cases) {
      const h = harness(`require('${name}'); return {};`);
      await expect(new Vu(h.svc, 1, 1).init()).rejects.toThrow(expect.objectContaining({ name: 'GoError', message }));
    }
  });

  it('open() reads relative to the script dir in init, and throws outside init', async () => {
    const h = harness(`
      const text = open('./data.txt');
      const bin = open('data.txt', 'b');
      let late;
      function def() { try { open('data.txt') } catch (e) { late = e.message } }
      return { default: def, text, bin, late: () => late };`, { files: { '/scripts/data.txt': 'hello' } });
    const vu = new Vu(h.svc, 1, 1);
    await vu.init();
    expect(vu.exports.text).toBe('hello');
    expect((vu.exports.bin as ArrayBuffer).byteLength).toBe(5);
    vu.activate(scenario);
    await vu.runIteration(iter(), never);
    expect((vu.exports.late as () => string)()).toMatch(/init stage/);
  });

  it("open() and require() outside init throw k6's GoError; open() of no or an empty name is refused (k6 runner_test, initcontext.go)", async () => {
    const h = harness(`
      const sneaky = open;
      const empty = [];
      for (const args of [[], [''], [undefined], [null]]) { try { open(...args) } catch (e) { empty.push(String(e)) } }
      const errs = [];
      function def() {
        try { require('k6/http') } catch (e) { errs.push(e) }
        try { sneaky('/tmp/foo') } catch (e) { errs.push(e) }
      }
      return { default: def, empty, errs: () => errs };`);
    const vu = new Vu(h.svc, 1, 1);
    await vu.init();
    expect(vu.exports.empty).toEqual(Array(4).fill("GoError: open() can't be used with an empty filename"));
    vu.activate(scenario);
    await vu.runIteration(iter(), never);
    const errs = (vu.exports.errs as () => Error[])();
    const tail = ' function is only available in the init stage (i.e. the global scope), see https://grafana.com/docs/k6/latest/using-k6/test-lifecycle/ for more information';
    expect(errs.map((e) => [e.name, e.message])).toEqual([['GoError', `the "require"${tail}`], ['GoError', `the "open"${tail}`]]);
  });

  it("setTimeout/setInterval without a callback throw k6's GoError; another non-function a TypeError (k6 timers_test)", async () => {
    const h = harness(`
      const errs = [];
      for (const f of [() => setTimeout(undefined), () => setInterval(null, 5), () => setTimeout('code', 5)]) { try { f() } catch (e) { errs.push(String(e)) } }
      return { errs };`);
    const vu = new Vu(h.svc, 1, 1);
    await vu.init();
    expect(vu.exports.errs).toEqual([
      "GoError: setTimeout's callback isn't a callable function",
      "GoError: setInterval's callback isn't a callable function",
      "TypeError: setTimeout's callback must be a function",
    ]);
  });

  it('k6/execution: test.abort() stops the iteration and asks for a test abort; vu ids are exposed', async () => {
    const h = harness(`
      const exec = require('k6/execution');
      let initErr;
      try { exec.vu.idInTest } catch (e) { initErr = String(e) }
      let ids;
      function def() { ids = [exec.vu.idInInstance, exec.vu.idInTest, exec.scenario.name, exec.scenario.iterationInTest];
        try { exec.test.abort('enough') } catch (e) { __rt.caught(e) } }
      return { default: def, ids: () => ids, initErr: () => initErr };`);
    const vu = new Vu(h.svc, 3, 7);
    await vu.init();
    vu.activate(scenario);
    expect(await vu.runIteration(iter(4), never)).toBe('interrupted');
    // The reason and the frame that called abort (the log's stack mapper writes it as k6 does).
    expect(h.aborted).toEqual([expect.stringMatching(/^test aborted: enough at \S*def \(test\.js:9:\d+\)$/)]);
    expect((vu.exports.ids as () => unknown)()).toEqual([3, 7, 'default', 4]);
    expect((vu.exports.initErr as () => string)()).toBe('GoError: getting VU information in the init context is not supported');
  });

  it('setup runs with the ::setup group and a timeout interrupts it', async () => {
    const h = harness(`
      const k6 = require('k6');
      function setup() { return __rt.wrap(async () => { k6.check(1, { s: true }); return { v: 1 }; }) }
      function teardown() { return __rt.wrap(async () => { ${call('k6.sleep(10)')}; }) }
      return { setup, teardown };`);
    const vu = new Vu(h.svc, 0, 0);
    await vu.init();
    expect(await vu.runLifecycle('setup', 'setup', [], 1000)).toEqual({ v: 1 });
    expect(h.samples.find((s) => s.metric === 'checks')?.tags.group).toBe('::setup');
    await expect(vu.runLifecycle('teardown', 'teardown', [undefined], 50)).rejects.toMatchObject({ reason: 'timeout' });
  });

  it('k6/execution vu.tags become tags of the VU samples; invalid tag values throw', async () => {
    const h = harness(`
      const exec = require('k6/execution');
      const k6 = require('k6');
      let err;
      function def() {
        exec.vu.tags.tenant = 'acme';
        exec.vu.metrics.tags.build = 7;
        try { exec.vu.tags.bad = {}; } catch (e) { __rt.caught(e); err = e.message; }
        k6.check(1, { ok: true });
      }
      return { default: def, err: () => err };`);
    const vu = new Vu(h.svc, 1, 1);
    await vu.init();
    vu.activate(scenario);
    await vu.runIteration(iter(), never);
    expect(h.samples.find((s) => s.metric === 'checks')?.tags).toMatchObject({ tenant: 'acme', build: '7', scenario: 'default' });
    expect(h.samples.find((s) => s.metric === 'iterations')?.tags).toMatchObject({ tenant: 'acme' });
    expect((vu.exports.err as () => string)()).toMatch(/invalid value for metric tag 'bad': only String, Boolean and Number types are accepted/);
  });

  it('a timer callback that throws fails the iteration, which is logged and still full', async () => {
    const h = harness(`
      function def() { setTimeout(() => { throw new Error('late boom'); }, 5); }
      return { default: def };`);
    const vu = new Vu(h.svc, 1, 1);
    await vu.init();
    vu.activate(scenario);
    expect(await vu.runIteration(iter(), never)).toBe('full');
    expect(h.logs.some((l) => l.msg.includes('late boom'))).toBe(true);
  });

  it('clearTimeout cancels a timer and setInterval keeps the iteration open until cleared', async () => {
    const h = harness(`
      let ticks = 0; let cancelled = 0;
      function def() {
        const t = setTimeout(() => { cancelled++; }, 5);
        clearTimeout(t);
        const i = setInterval(() => { ticks++; if (ticks === 3) clearInterval(i); }, 5);
      }
      return { default: def, counts: () => [ticks, cancelled] };`);
    const vu = new Vu(h.svc, 1, 1);
    await vu.init();
    vu.activate(scenario);
    await vu.runIteration(iter(), never);
    expect((vu.exports.counts as () => unknown)()).toEqual([3, 0]);
  });

  it('a throwing check function records a failed check and rethrows; group and check reject async functions', async () => {
    const h = harness(`
      const k6 = require('k6');
      const errors = [];
      function def() {
        try { k6.check(1, { 'throws': () => { throw new Error('inside check'); } }); } catch (e) { __rt.caught(e); errors.push(e.message); }
        try { k6.group('g', async () => 1); } catch (e) { __rt.caught(e); errors.push(e.message); }
        try { k6.check(1, { 'async': async () => true }); } catch (e) { __rt.caught(e); errors.push(e.message); }
      }
      return { default: def, errors: () => errors };`);
    const vu = new Vu(h.svc, 1, 1);
    await vu.init();
    vu.activate(scenario);
    await vu.runIteration(iter(), never);
    const errors = (vu.exports.errors as () => string[])();
    expect(errors[0]).toBe('inside check');
    expect(errors[1]).toMatch(/async/);
    expect(errors[2]).toMatch(/async/);
    expect(h.samples.filter((s) => s.metric === 'checks').map((s) => [s.tags.check, s.value])).toEqual([['throws', 0]]);
  });

  it('console writes one line per call with source=console, objects formatted as k6 v2 does', async () => {
    const h = harness(`console.log('hello', { a: 1, s: 'x', n: null, u: undefined }, [2, [], {}]); console.warn('careful');
      const self = { name: 'loop' }; self.me = self;
      console.error(new TypeError('bad'), () => 1, self, new Date(0), [, 1]);
      console.info(new Uint8Array([1, 255]), new Uint8Array([1, 255]).buffer, new Float64Array(0), new Map([[1, 2]]), 1.5, true);
      return { default() {} };`);
    await new Vu(h.svc, 1, 1).init();
    expect(h.logs).toEqual([
      { level: 'info', msg: 'hello { a: 1, s: "x", n: null, u: null } [ 2, [], {} ]' },
      { level: 'warn', msg: 'careful' },
      { level: 'error', msg: 'TypeError: bad [object Function] { name: "loop", me: [Circular] } "1970-01-01T00:00:00.000Z" [ null, 1 ]' },
      { level: 'info', msg: 'Uint8Array(2) [ 1, 255 ] ArrayBuffer { [Uint8Contents]: <01 ff>, byteLength: 2 } Float64Array(0) [] {} 1.5 true' },
    ]);
  });
});

describe('unhandled promise rejections', () => {
  it('fail the call of the VU whose code created the promise, not of another VU of the realm', async () => {
    const h = harness(`
      const k6 = require('k6');
      const done = [];
      function def() { return __rt.wrap(async () => {
        if (__VU === 1) {
          // Rejects after VU 2's code ran in between: only creation-time ownership can tell whose it is.
          (async () => { ${call('k6.sleep(0.02)')}; throw new Error('vu one rejection'); })();
          setTimeout(() => done.push('vu1 timer'), 80);
        } else {
          for (let i = 0; i < 20; i++) { await null; Promise.resolve(i).then((x) => x); }
          setTimeout(() => done.push('vu2 timer'), 80);
          Promise.reject(new Error('handled')).catch(() => undefined);
        }
      }) }
      return { default: def, done: () => done };`);
    const errors: Array<{ msg: string; scenario: string | undefined }> = [];
    const svc: VuServices = {
      ...h.svc,
      trackRejections: true,
      errorLog: { write: (_level, msg, fields) => void errors.push({ msg, scenario: fields?.scenario }) },
    };
    const onRejection = (reason: unknown, promise: unknown): void => {
      if (!claimRejection(reason, promise)) errors.push({ msg: `unclaimed ${String(reason)}`, scenario: undefined });
    };
    process.on('unhandledRejection', onRejection);
    try {
      const a = new Vu(svc, 1, 1);
      const b = new Vu(svc, 2, 2);
      await a.init();
      await b.init();
      a.activate({ ...scenario, name: 'one' });
      b.activate({ ...scenario, name: 'two' });
      const outcomes = await Promise.all([a.runIteration(iter(0), never), b.runIteration(iter(0), never)]);
      expect(outcomes).toEqual(['full', 'full']);
      expect(errors).toHaveLength(1);
      expect(errors[0]?.msg).toMatch(/^Uncaught \(in promise\) Error: vu one rejection/);
      expect(errors[0]?.scenario).toBe('one');
      // VU 1's failed iteration dropped its pending timer; VU 2's iteration ran to its end.
      expect((a.exports.done as () => unknown)()).toEqual([]);
      expect((b.exports.done as () => unknown)()).toEqual(['vu2 timer']);
      expect(h.samples.filter((s) => s.metric === 'iterations')).toHaveLength(2);
      // The VU goes on: its next iteration is not failed by the earlier rejection.
      errors.length = 0;
      expect(await b.runIteration(iter(1), never)).toBe('full');
      expect(errors).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });
});
