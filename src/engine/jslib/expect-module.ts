// Built-in https://jslib.k6.io/expect/<v>/index.js and its twin https://jslib.k6.io/functional/<v>/index.js
// (grafana/k6-jslib-functional): `describe(name, (t) => { t.expect(value).as('name').toEqual(x).and(y)… })`.
// Written from the jslib's behaviour (its release files on jslib.k6.io):
// - `describe` runs the callback in `group(name)` with `{ expect }` and returns true, or false when a
//   matcher failed or the callback threw; any other exception than a failed matcher is logged
//   (`Exception raised in test "<name>". Failing the test and continuing. \n<error>`) and recorded as a
//   failed check `Exception raised "<error>"`; nothing is rethrown. A callback that blocks (http
//   inside) makes describe's result a blocking promise, as group's;
// - each matcher records one check (`check(null, { [name]: ok }, { value })`), named as the jslib names
//   it: `<lhv> is <rhv>` (toEqual, ===; with `.as(n)`: `<n> is <lhv>.` and ` Expected '<rhv>'` when it
//   fails), `<n|lhv> is greater than <rhv>`, `… is greater or equal to …`, `… is less than …`,
//   `… is less or equal to …`, `… is between <from> - <to>` (inclusive), `… is truthy.`,
//   `<request url> has valid json response` (the value must be a k6 response, else an error is
//   logged and the chain breaks), `<n> schema validation` plus one failed check per Ajv 6 error
//   (`<n> <dataPath> <message>`) for toMatchAPISchema;
// - a failed matcher "breaks the chain": it throws FunkBrokenChainException, which ends the describe
//   block; a matcher called on a broken chain (a script that caught it) records nothing and warns once
//   "This check has been aborted because the previous check in the chain has failed";
// - toMatchAPISchema breaks the chain on invalid data from expect 0.0.5 on; expect 0.0.4 and
//   functional 0.0.x log the errors as JSON instead and go on.
import vm from 'node:vm';

export interface ExpectK6 {
  check(value: unknown, sets: Record<string, unknown>, tags?: Record<string, unknown>): unknown;
  group(name: string, fn: () => unknown): unknown;
  console: { warn(...args: unknown[]): void; error(...args: unknown[]): void };
  /** The ajv jslib's `Ajv` class (Ajv 6 behaviour). */
  Ajv: new () => { compile(schema: unknown): ((data: unknown) => boolean) & { errors: { dataPath: string; message: string }[] | null } };
  isBlocking(value: unknown): boolean;
  block(p: Promise<unknown>): Promise<unknown>;
  caught(error: unknown): void;
}

const SOURCE = `(function (k6, schemaBreaksChain) {
  'use strict';
  class FunkBrokenChainException extends Error {
    constructor(message) {
      super(message);
      this.brokenChain = true;
      this.name = 'FunkBrokenChainException';
    }
  }

  class Funk {
    constructor(value) {
      this.leftHandValue = value;
      this.leftHandValueName = null;
      this.rightHandValue = null;
      this.chainBroken = false;
      this.printedBrokenChainWarning = false;
    }
    as(name) { this.leftHandValueName = name; return this; }
    and(value) {
      if (this.#skip()) return this;
      this.leftHandValue = value;
      this.leftHandValueName = null;
      return this;
    }
    #skip() {
      if (!this.chainBroken) return false;
      if (!this.printedBrokenChainWarning) {
        this.printedBrokenChainWarning = true;
        k6.console.warn('This check has been aborted because the previous check in the chain has failed');
      }
      return true;
    }
    #fail() {
      this.chainBroken = true;
      throw new FunkBrokenChainException('Chain broke, skipping this check');
    }
    #record(name, ok, value) {
      if (value === undefined) k6.check(null, { [name]: ok });
      else k6.check(null, { [name]: ok }, { value });
      if (!ok) this.#fail();
      return this;
    }
    #label() { return this.leftHandValueName || this.leftHandValue; }
    #compare(rhv, words, ok) {
      if (this.#skip()) return this;
      this.rightHandValue = rhv;
      return this.#record(\`\${this.#label()} is \${words} \${rhv}\`, ok, this.leftHandValue);
    }
    toEqual(rhv) {
      if (this.#skip()) return this;
      this.rightHandValue = rhv;
      const ok = this.leftHandValue === rhv;
      let name = \`\${this.leftHandValue} is \${rhv}\`;
      if (this.leftHandValueName) name = \`\${this.leftHandValueName} is \${this.leftHandValue}.\` + (ok ? '' : \` Expected '\${rhv}'\`);
      return this.#record(name, ok, rhv);
    }
    toBeGreaterThan(rhv) { return this.#compare(rhv, 'greater than', this.leftHandValue > rhv); }
    toBeGreaterThanOrEqual(rhv) { return this.#compare(rhv, 'greater or equal to', this.leftHandValue >= rhv); }
    toBeLessThan(rhv) { return this.#compare(rhv, 'less than', this.leftHandValue < rhv); }
    toBeLessThanOrEqual(rhv) { return this.#compare(rhv, 'less or equal to', this.leftHandValue <= rhv); }
    toBeBetween(from, to) {
      const v = this.leftHandValue;
      return this.#compare(\`\${from} - \${to}\`, 'between', v >= from && v <= to);
    }
    toBeTruthy() {
      if (this.#skip()) return this;
      return this.#record(\`\${this.#label()} is truthy.\`, !!this.leftHandValue, this.leftHandValue);
    }
    toHaveValidJson() {
      if (this.#skip()) return this;
      const res = this.leftHandValue;
      if (!(res && Object.prototype.hasOwnProperty.call(res, 'request'))) {
        k6.console.error("The object passed to expect/and for toHaveValidJson isn't a k6 HttpResponse. Aborting the check.");
        this.printedBrokenChainWarning = true;
        this.#fail();
      }
      let ok = true;
      try { res.json(); } catch (e) { k6.caught(e); ok = false; }
      return this.#record(\`\${res.request.url} has valid json response\`, ok);
    }
    toMatchAPISchema(schema) {
      const validate = compile(schema);
      const ok = validate(this.leftHandValue);
      const name = this.leftHandValueName || '';
      k6.check(ok, { [\`\${name} schema validation\`]: (v) => v });
      if (!ok) {
        if (!schemaBreaksChain) k6.console.error(JSON.stringify(validate.errors));
        for (const e of validate.errors) k6.check(ok, { [\`\${name} \${e.dataPath} \${e.message}\`]: (v) => v });
        if (schemaBreaksChain) this.#fail();
      }
      return this;
    }
  }

  const expect = (value) => new Funk(value);

  // One Ajv for the module and one validator per schema object (the jslib compiles a fresh Ajv each
  // time); a schema whose $id another schema already took gets an Ajv of its own, as it would there.
  let ajv;
  const compiled = new WeakMap();
  function compile(schema) {
    const known = schema !== null && typeof schema === 'object' ? compiled.get(schema) : undefined;
    if (known) return known;
    let validate;
    try {
      validate = (ajv ??= new k6.Ajv()).compile(schema);
    } catch (e) {
      k6.caught(e);
      validate = new k6.Ajv().compile(schema);
    }
    if (schema !== null && typeof schema === 'object') compiled.set(schema, validate);
    return validate;
  }

  function unexpected(error, name) {
    k6.caught(error);
    if (error && error.brokenChain) return;
    k6.console.error(\`Exception raised in test "\${name}". Failing the test and continuing. \\n\${error}\`);
    k6.check(null, { [\`Exception raised "\${error}"\`]: false });
  }

  function describe(name, fn) {
    let success = true;
    const done = k6.group(name, () => {
      let result;
      try {
        result = fn({ expect });
      } catch (error) {
        unexpected(error, name);
        success = false;
        return undefined;
      }
      if (!k6.isBlocking(result)) return undefined;
      return k6.block(result.then(() => {}, (error) => { unexpected(error, name); success = false; }));
    });
    return k6.isBlocking(done) ? k6.block(done.then(() => success)) : success;
  }

  // functional 0.0.1 and 0.0.2 named describe "test".
  return { describe, test: describe, FunkBrokenChainException };
})`;

let script: vm.Script | undefined;

/** Whether toMatchAPISchema breaks the chain in this version (expect 0.0.5 on; not functional). */
export function schemaBreaksChain(url: string): boolean {
  const m = /^https:\/\/jslib\.k6\.io\/expect\/(\d+)\.(\d+)\.(\d+)\//.exec(url);
  if (m === null) return !/\/functional\//.test(url);
  const [maj, min, patch] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return maj > 0 || min > 0 || patch >= 5;
}

/** The module's exports (`describe`, `FunkBrokenChainException`) in the script realm `context`. */
export function createExpectModule(context: vm.Context, url: string, k6: ExpectK6): Record<string, unknown> {
  script ??= new vm.Script(SOURCE, { filename: 'https://jslib.k6.io/expect/index.js' });
  return (script.runInContext(context) as (k6: ExpectK6, breaks: boolean) => Record<string, unknown>)(k6, schemaBreaksChain(url));
}
