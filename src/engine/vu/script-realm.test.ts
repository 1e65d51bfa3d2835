import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { ScriptRealm } from './script-realm.ts';

describe('ScriptRealm globals', () => {
  it("answers an ES module's use of `exports` or `module` with k6's GoError on mixing ESM and CommonJS (module_loading_test.go TestLoadExportsIsntUsableInModule)", () => {
    const realm = new ScriptRealm();
    const run = (code: string): unknown => vm.runInContext(code, realm.context);
    for (const name of ['exports', 'module']) {
      let caught: unknown;
      try {
        run(`"use strict"; ${name}.A()`);
      } catch (e) {
        caught = e;
      }
      expect(caught).toMatchObject({
        name: 'GoError',
        message: `you are trying to access identifier "${name}", this likely is due to mixing ECMAScript Modules (ESM) and CommonJS syntax. `
          + "This isn't supported in the JavaScript standard, please use only one or the other",
      });
      expect(() => run(`"use strict"; ${name} = {}`)).toThrow('you are trying to access identifier');
    }
    // A CommonJS module's own bindings are untouched.
    expect(run('((exports, module) => { exports.a = 1; module.exports.b = 2; return module.exports; })({}, { exports: {} }).b')).toBe(2);
    expect(run('Object.keys(globalThis).includes("exports")')).toBe(false);
  });
});
