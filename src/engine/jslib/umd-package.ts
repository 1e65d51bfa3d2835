// A UMD build from node_modules evaluated in a script realm: compiled once per thread, run once per
// realm, so what it exports is made of the script's own arrays, objects and functions. The file is
// read from node_modules, which the runner sandbox lets scripts read.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import vm from 'node:vm';

export class UmdPackage {
  #script: vm.Script | undefined = undefined;

  /** `file`: the build as `require.resolve` finds it; `filename`: how stack traces name it. */
  constructor(
    private readonly file: string,
    private readonly filename: string,
  ) {}

  /** The package's `module.exports`, created in `context`. */
  exportsIn(context: vm.Context): unknown {
    if (this.#script === undefined) {
      const path = createRequire(import.meta.url).resolve(this.file);
      // The UMD header takes the CommonJS branch: `module` and `exports` are the wrapper's parameters.
      const source = `(function (module, exports) {\n${readFileSync(path, 'utf8')}\n})`;
      this.#script = new vm.Script(source, { filename: this.filename });
    }
    const wrapper = this.#script.runInContext(context) as (module: { exports: unknown }, exports: unknown) => void;
    const module = vm.runInContext('({ exports: {} })', context) as { exports: unknown };
    wrapper(module, module.exports);
    return module.exports;
  }
}
