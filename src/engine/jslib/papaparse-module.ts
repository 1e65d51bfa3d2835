// The jslib papaparse module (https://jslib.k6.io/papaparse/<v>/index.js), default export Papa. The
// npm package's own browser build is evaluated in the script realm (once compiled per thread, run
// once per VU), so results are ordinary script arrays and objects and a SharedArray callback can
// return them. The file is read from node_modules, which the runner sandbox lets scripts read.
import type vm from 'node:vm';
import { UmdPackage } from './umd-package.ts';

const PAPAPARSE = new UmdPackage('papaparse/papaparse.min.js', 'https://jslib.k6.io/papaparse/index.js');

/** Papa created in the script realm `context`, as the module namespace (default and named). */
export function createPapaparseModule(context: vm.Context): Record<string, unknown> {
  const papa = PAPAPARSE.exportsIn(context) as Record<string, unknown>;
  return { ...papa, default: papa };
}
