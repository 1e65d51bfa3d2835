// The jslib jsonpath module (https://jslib.k6.io/jsonpath/<v>/index.js), default export jsonpath:
// query, paths, nodes, value, parent, apply, parse, stringify. The jslib is the npm package's
// browser build; the same build (a newer 1.x) is evaluated in the script realm (compiled once per
// thread, run once per VU), so results are the script's own arrays and objects.
import type vm from 'node:vm';
import { UmdPackage } from './umd-package.ts';

const JSONPATH = new UmdPackage('jsonpath/jsonpath.min.js', 'https://jslib.k6.io/jsonpath/index.js');

/** jsonpath created in the script realm `context`, as the module namespace (default and named). */
export function createJsonpathModule(context: vm.Context): Record<string, unknown> {
  const jp = JSONPATH.exportsIn(context) as Record<string, unknown>;
  return { ...jp, default: jp };
}
