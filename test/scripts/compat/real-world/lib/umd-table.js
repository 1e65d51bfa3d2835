/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS library as vendored copies are written */
// A small UMD library in the style of those vendored next to k6 scripts (papaparse, lodash builds):
// CommonJS when `module` exists, a global otherwise, and a Node-only branch that requires Node's
// modules only when it runs.
(function (root, factory) {
  if (typeof module === 'object' && typeof exports !== 'undefined') module.exports = factory();
  else root.UmdTable = factory();
})(this, function () {
  function rows(text) {
    const [head, ...lines] = text.trim().split('\n').map((l) => l.split(';'));
    return lines.map((cells) => Object.fromEntries(head.map((h, i) => [h, cells[i]])));
  }
  function streamRows() {
    const Transform = require('stream').Transform;
    return new Transform();
  }
  function fromFile(name) {
    return rows(require('fs').readFileSync(name, 'utf8'));
  }
  return { rows, streamRows, fromFile };
});
