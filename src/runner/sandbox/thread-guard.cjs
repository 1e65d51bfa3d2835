// What the permission model leaves open to a script that reaches its thread's real `process` (a host
// function's constructor evaluates in the host realm, see docs/runner.md), closed in every runner
// thread before any other code runs there:
// - signals: `process.kill`/`_kill` could stop the server or any other process of its user;
// - `os.setPriority(pid)`: could renice the server (or any process of its user) to a crawl;
// - new threads: the guard reaches a worker thread through the `--import` of loader-bootstrap.mjs,
//   which Node skips for a worker started with `eval: true` (its code runs as a CommonJS script) and for
//   one given its own `execArgv`. `Worker` is replaced by one that always inherits the runner's
//   execArgv and starts eval code with this guard, so no thread escapes it.
// A CommonJS file, so the preamble of an eval worker can `require` it.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose (see above) */

const { syncBuiltinESMExports } = require('node:module');
const os = require('node:os');
const workerThreads = require('node:worker_threads');

function refusal(name) {
  return () => {
    throw Object.assign(new Error(`${name} is not allowed in a runner`), { code: 'ERR_ACCESS_DENIED' });
  };
}

function lock(target, name, value, enumerable = true) {
  Object.defineProperty(target, name, { value, writable: false, configurable: false, enumerable });
}

/** The code an eval worker runs: this guard first, then the given code. */
function guardedEvalCode(code) {
  return `require(${JSON.stringify(__filename)}).guardThread();${code}`;
}

function guardThread() {
  // Already guarded (a thread whose preamble and --import both ran): the locks cannot be set twice.
  if (Object.getOwnPropertyDescriptor(process, 'kill')?.configurable === false) return;
  for (const name of ['kill', '_kill']) lock(process, name, refusal(`process.${name}`));
  lock(os, 'setPriority', refusal('os.setPriority'));

  const Original = workerThreads.Worker;
  function Worker(filename, options) {
    if (new.target === undefined) throw new TypeError("Class constructor Worker cannot be invoked without 'new'");
    // One read of every option (a getter cannot answer the check one thing and Node another).
    const own = typeof options === 'object' && options !== null ? { ...options } : options;
    if (typeof own === 'object' && own !== null) {
      delete own.execArgv;
      if (own.eval) return new Original(guardedEvalCode(String(filename)), own);
    }
    return new Original(filename, own);
  }
  Worker.prototype = Original.prototype;
  lock(Original.prototype, 'constructor', Worker, false);
  lock(workerThreads, 'Worker', Worker);
  // `import('node:worker_threads')`/`node:os` namespaces made before now would still hold the originals.
  syncBuiltinESMExports();
}

module.exports = { guardThread };
