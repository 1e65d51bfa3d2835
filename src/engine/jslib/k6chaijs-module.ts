// The jslib k6chaijs module (https://jslib.k6.io/k6chaijs/<v>/index.js): chai's BDD `expect` wired to
// k6 the way grafana/k6-jslib-k6chaijs does it, and `describe`. Behaviour (from that repository's src/):
// - every assertion, passing or failing, records a check; its name is chai's message template with
//   `#{this}` replaced by the `expect(value, message)` message (or the literal `${this}`), `#{act}` by
//   `${actual}` and `#{exp}` by the expected value, "but " dropped, truncated to
//   truncateVariableThreshold; with `aggregateChecks` false the name carries the actual values instead;
// - a failing assertion throws chai's AssertionError (after `console.warn` with `logFailures`, and
//   `exec.test.abort` with `exitOnError`, which versions before 4.5.0.1 do not have);
// - `describe(name, fn)` runs fn in `group(name)`; it returns false when fn threw; an AssertionError just
//   ends the block, any other exception is logged and recorded as a failed check, never rethrown;
// - extra assertions `anonymize(fn?)` and `validJsonBody()`; options on `chai.config` (default export).
// chai itself is the npm package's standalone build (chai4 = chai@4, the major the jslib bundles, so the
// messages, hence check names, are the jslib's), evaluated in the script realm once per VU like papaparse.
import vm from 'node:vm';
import { UmdPackage } from './umd-package.ts';

/** What the jslib calls in k6: `check` and `group` of the `k6` module, `exec.test.abort`. */
export interface ChaiK6 {
  check(value: unknown, sets: Record<string, unknown>): unknown;
  group(name: string, fn: () => unknown): unknown;
  abort(message: string): void;
  /** Whether `chai.config.exitOnError` aborts the test (4.5.0.1 on; earlier versions have no such option). */
  exitOnError: boolean;
  /** The VU's console (the script realm's own `console` logs nowhere). */
  console: { warn(...args: unknown[]): void; error(...args: unknown[]): void };
  isBlocking(value: unknown): boolean;
  /** Marks a promise as blocking: the transformed script waits for it at the call site. */
  block(p: Promise<unknown>): Promise<unknown>;
  /** Rethrows the runtime's uncatchable errors (test abort, VU interrupts), as the script's catch blocks do. */
  caught(error: unknown): void;
}

const WIRING = `(function (chai, k6) {
  'use strict';
  const cfg = chai.config;
  cfg.truncateVariableThreshold = 100;
  cfg.truncateMsgThreshold = 300;
  cfg.aggregateChecks = true;
  cfg.logFailures = false;
  cfg.exitOnError = false;

  const util = chai.util;
  const tag = (name) => new RegExp('#\\\\{' + name + '\\\\}', 'g');
  const truncate = (str = '', len = 250) => (str.length > len ? str.substring(0, len) + '...' : str);
  // Data a k6 module made in the host realm (res.json()) is displayed as this realm's plain data, as k6
  // (one realm) displays it, not as instances of a foreign Object class. Copies only what is foreign.
  function local(v, depth) {
    if (v === null || typeof v !== 'object' || depth > 20) return v;
    if (Array.isArray(v)) return v instanceof Array ? v : Array.from(v, (x) => local(x, depth + 1));
    const proto = Object.getPrototypeOf(v);
    if (proto === null || proto === Object.prototype || Object.getPrototypeOf(proto) !== null) return v;
    if (typeof proto.constructor !== 'function' || proto.constructor.name !== 'Object') return v;
    const out = {};
    for (const k of Object.keys(v)) out[k] = local(v[k], depth + 1);
    return out;
  }
  const shown = (value) => truncate(util.objDisplay(local(value, 0)), cfg.truncateVariableThreshold);

  // The template of the message chai would print, with the expected value filled in.
  function template(ctx, args) {
    let message = util.flag(ctx, 'negate') ? args[2] : args[1];
    // Passing checks are recorded too, so the failure phrasing "…, but got …" loses its "but ".
    if (typeof message === 'string') message = message.replace('but ', '');
    const anonymizer = util.flag(ctx, 'anonymizeMsgFunction');
    if (anonymizer) message = anonymizer(message);
    if (typeof message === 'function') message = message();
    return (message || '').replace(tag('exp'), () => shown(args[3]));
  }

  function expectation(ctx, text, args) {
    const label = util.flag(ctx, 'message');
    const result = text
      .replace(tag('this'), () => shown(util.flag(ctx, 'object')))
      .replace(tag('act'), () => shown(util.getActual(ctx, args)));
    return label && !cfg.aggregateChecks ? label + ': ' + result : result;
  }

  function checkName(ctx, text) {
    const label = util.flag(ctx, 'message');
    const name = text.replace(tag('this'), () => label || '\${this}').replace(tag('act'), () => '\${actual}');
    return truncate(name, cfg.truncateVariableThreshold);
  }

  chai.Assertion.overwriteMethod('assert', () => function (expression, message, negateMessage, expected, actual, showDiff) {
    showDiff = !expected && !actual;
    const args = [expression, message, negateMessage, expected, actual, showDiff];
    const ok = util.test(this, args);
    const text = template(this, args);
    const full = expectation(this, text, args);
    k6.check(null, { [cfg.aggregateChecks ? checkName(this, text) : full]: () => ok });
    if (ok) return;
    const shortened = truncate(full, cfg.truncateVariableThreshold);
    if (cfg.logFailures) k6.console.warn(shortened);
    if (cfg.exitOnError && k6.exitOnError) k6.abort(shortened);
    const props = { actual: util.getActual(this, args), expected, showDiff, operator: util.getOperator(this, args) };
    throw new chai.AssertionError(shortened, props, cfg.includeStack ? chai.assert : util.flag(this, 'ssfi'));
  });

  chai.Assertion.addMethod('anonymize', function (fn = (msg = '') => msg.replace(tag('this'), () => '<anonymized>')) {
    util.flag(this, 'anonymizeMsgFunction', fn);
  });
  chai.Assertion.addMethod('validJsonBody', function () {
    let valid = true;
    try {
      util.flag(this, 'object').json('__unlikelyidefintifier1');
    } catch (e) {
      k6.caught(e);
      valid = false;
    }
    chai.assert(valid, 'has valid json body', 'does not have a valid json body', null, null);
  });

  // An exception other than a failed assertion is logged and recorded as a failed check.
  function unexpected(error, name) {
    k6.caught(error);
    if (error.name !== 'AssertionError') {
      k6.console.error('Exception raised in test "' + name + '". Failing the test and continuing. \\n' + error);
      k6.check(null, { ['Exception raised "' + error + '"']: () => false });
    }
  }

  // fn may block (http inside): it then returns a blocking promise, and so do group() and describe().
  function describe(name, fn) {
    let success = true;
    const done = k6.group(name, () => {
      let result;
      try {
        result = fn();
      } catch (error) {
        unexpected(error, name);
        success = false;
        return undefined;
      }
      if (!k6.isBlocking(result)) {
        success = true;
        return undefined;
      }
      return k6.block(result.then(
        () => { success = true; },
        (error) => { unexpected(error, name); success = false; },
      ));
    });
    return k6.isBlocking(done) ? k6.block(done.then(() => success)) : success;
  }

  return { default: chai, chai, describe, expect: chai.expect };
})`;

const CHAI = new UmdPackage('chai4/chai.js', 'https://jslib.k6.io/k6chaijs/chai.js');
let wiringScript: vm.Script | undefined;

/** The module namespace (default chai, describe, expect) created in the script realm `context`. */
export function createK6chaijsModule(context: vm.Context, k6: ChaiK6): Record<string, unknown> {
  const chai = CHAI.exportsIn(context);
  wiringScript ??= new vm.Script(WIRING, { filename: 'https://jslib.k6.io/k6chaijs/index.js' });
  const wire = wiringScript.runInContext(context) as (chai: unknown, k6: ChaiK6) => Record<string, unknown>;
  return wire(chai, k6);
}
