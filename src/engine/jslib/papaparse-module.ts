// The jslib papaparse module (https://jslib.k6.io/papaparse/<v>/index.js), default export Papa. The
// npm package's own browser build is evaluated in the script realm (once compiled per thread, run
// once per VU), so results are ordinary script arrays and objects and a SharedArray callback can
// return them. The file is read from node_modules, which the runner sandbox lets scripts read.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import vm from 'node:vm';

let script: vm.Script | undefined;

function papaScript(): vm.Script {
  if (script === undefined) {
    const file = createRequire(import.meta.url).resolve('papaparse/papaparse.min.js');
    // The UMD header takes the CommonJS branch: `module` and `exports` are the wrapper's parameters.
    const source = `(function (module, exports) {\n${readFileSync(file, 'utf8')}\n})`;
    script = new vm.Script(source, { filename: 'https://jslib.k6.io/papaparse/index.js' });
  }
  return script;
}

/** Papa created in the script realm `context`, as the module namespace (default and named). */
export function createPapaparseModule(context: vm.Context): Record<string, unknown> {
  const wrapper = papaScript().runInContext(context) as (module: { exports: unknown }, exports: unknown) => void;
  const module = vm.runInContext('({ exports: {} })', context) as { exports: unknown };
  wrapper(module, module.exports);
  const papa = module.exports as Record<string, unknown>;
  return { ...papa, default: papa };
}
