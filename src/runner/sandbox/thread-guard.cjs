// What the permission model leaves open to a script that reaches its thread's real `process` (a host
// function's constructor evaluates in the host realm, see docs/runner.md), closed in every runner
// thread before any other code runs there:
// - signals: `process.kill`/`_kill` could stop the server or any other process of its user;
// - `os.setPriority(pid)`: could renice the server (or any process of its user) to a crawl;
// - new threads: the guard reaches a worker thread through the `--import` of loader-bootstrap.mjs,
//   which Node skips for a worker started with `eval: true` (its code runs as a CommonJS script) and for
//   one given its own `execArgv`. `Worker` is replaced by one that always inherits the runner's
//   execArgv and starts eval code with this guard, so no thread escapes it;
// - connections: Node 20's permission model has no network rule, so a script could open the server's
//   own database (PostgreSQL on 127.0.0.1 with trust auth, or its Unix socket) and read or write every
//   stack's data. The TCP handle's `connect`/`connect6` (where every socket of `net`, `tls`, `http`,
//   undici and the drivers ends, with the address already resolved) refuse the endpoints named in
//   STAMPEDE_RUNNER_DENIED_TCP (set by spawnRunner), and the Pipe handle's `connect` refuses every Unix
//   socket (k6 scripts reach no Unix socket; daemons' sockets, the database's among them, are local
//   secrets). A refused connect fails as the OS would: `connect EACCES <address>:<port>`.
// A CommonJS file, so the preamble of an eval worker can `require` it.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose (see above) */

const { syncBuiltinESMExports } = require('node:module');
const net = require('node:net');
const os = require('node:os');
const workerThreads = require('node:worker_threads');

const DENIED_TCP_ENV = 'STAMPEDE_RUNNER_DENIED_TCP';
const EACCES = -os.constants.errno.EACCES;

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

/**
 * The rules of STAMPEDE_RUNNER_DENIED_TCP (`[{port, addresses, local}]`) as one BlockList per port:
 * the addresses given, and with `local` every address of this machine (loopback, unspecified, its
 * interfaces). BlockList matches IPv4-mapped IPv6 forms (`::ffff:127.0.0.1`) too.
 */
function deniedTcp(text) {
  const byPort = new Map();
  let rules = [];
  try {
    rules = text === undefined || text === '' ? [] : JSON.parse(text);
  } catch {
    // Written by spawnRunner; unreadable means a broken install: refuse every TCP connection.
    return null;
  }
  for (const rule of Array.isArray(rules) ? rules : []) {
    const port = Number(rule?.port);
    const list = byPort.get(port) ?? new net.BlockList();
    byPort.set(port, list);
    for (const address of Array.isArray(rule?.addresses) ? rule.addresses : []) add(list, String(address));
    if (rule?.local === true) {
      list.addSubnet('127.0.0.0', 8, 'ipv4');
      for (const address of ['::1', '0.0.0.0', '::']) add(list, address);
      for (const entries of Object.values(os.networkInterfaces())) for (const entry of entries ?? []) add(list, entry.address);
    }
  }
  return byPort;
}

function add(list, address) {
  const family = net.isIP(address.replace(/%.*$/, ''));
  if (family !== 0) list.addAddress(address.replace(/%.*$/, ''), family === 6 ? 'ipv6' : 'ipv4');
}

/**
 * The prototype of a socket's handle (TCP or Pipe), from a connect that never gets under way. The
 * handle is caught as `connect` stores it, in case the connect fails at once and drops it.
 */
function handlePrototype(options) {
  const socket = new net.Socket();
  let handle = null;
  let current = socket._handle;
  Object.defineProperty(socket, '_handle', {
    get: () => current,
    set: (value) => {
      current = value;
      handle ??= value;
    },
    configurable: true,
  });
  socket.on('error', () => {});
  socket.connect(options);
  socket.destroy();
  if (handle === null) throw new Error('runner guard: no socket handle to guard');
  return Object.getPrototypeOf(handle);
}

function guardConnections(denied) {
  const refused = (address, port) => {
    if (denied === null) return true;
    const list = denied.get(Number(port));
    if (list === undefined) return false;
    const host = String(address).replace(/%.*$/, '');
    const family = net.isIP(host);
    return family === 0 || list.check(host, family === 6 ? 'ipv6' : 'ipv4');
  };
  // A lookup that never answers: the TCP handle exists, nothing is dialled.
  const tcp = handlePrototype({ host: 'guard.invalid', port: 9, lookup: () => {} });
  for (const name of ['connect', 'connect6']) {
    const original = tcp[name];
    lock(tcp, name, function connect(req, address, port) {
      return refused(address, port) ? EACCES : Reflect.apply(original, this, arguments);
    }, false);
  }
  // An abstract-namespace name nothing listens on: the Pipe handle exists, the connect fails at once.
  const pipe = handlePrototype({ path: `\0stampede-guard-${process.pid}-${workerThreads.threadId}` });
  lock(pipe, 'connect', function connect() {
    return EACCES;
  }, false);
}

function guardThread() {
  // Already guarded (a thread whose preamble and --import both ran): the locks cannot be set twice.
  if (Object.getOwnPropertyDescriptor(process, 'kill')?.configurable === false) return;
  for (const name of ['kill', '_kill']) lock(process, name, refusal(`process.${name}`));
  lock(os, 'setPriority', refusal('os.setPriority'));
  // Read once: a script that edits process.env later changes nothing, here or in its threads.
  const deniedText = process.env[DENIED_TCP_ENV];
  guardConnections(deniedTcp(deniedText));

  const Original = workerThreads.Worker;
  function Worker(filename, options) {
    if (new.target === undefined) throw new TypeError("Class constructor Worker cannot be invoked without 'new'");
    if (options !== undefined && (typeof options !== 'object' || options === null)) return new Original(filename, options);
    // One read of every option (a getter cannot answer the check one thing and Node another).
    const own = { ...options };
    delete own.execArgv;
    // The thread's guard reads the denied endpoints from its environment, whatever env it was given.
    if (deniedText !== undefined) {
      if (own.env === workerThreads.SHARE_ENV) process.env[DENIED_TCP_ENV] = deniedText;
      else own.env = { ...(own.env === undefined ? process.env : Object(own.env)), [DENIED_TCP_ENV]: deniedText };
    }
    if (own.eval) return new Original(guardedEvalCode(String(filename)), own);
    return new Original(filename, own);
  }
  Worker.prototype = Original.prototype;
  lock(Original.prototype, 'constructor', Worker, false);
  lock(workerThreads, 'Worker', Worker);
  // `import('node:worker_threads')`/`node:os` namespaces made before now would still hold the originals.
  syncBuiltinESMExports();
}

module.exports = { guardThread, DENIED_TCP_ENV };
