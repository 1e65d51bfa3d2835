// What the permission model leaves open to a script that reaches its thread's real `process` (a host
// function's constructor evaluates in the host realm, see docs/runner.md), closed in every runner
// thread before any other code runs there:
// - signals: `process.kill`/`_kill` could stop the server or any other process of its user;
// - `process._debugProcess(pid)`: SIGUSR1 opens a Node process's inspector (the server's is
//   `process.ppid`) on 127.0.0.1:9229, from which a script could run code in the server;
// - `v8.setFlagsFromString`: V8 flags at run time (`--allow-natives-syntax` and its `%` calls);
// - `os.setPriority(pid)`: could renice the server (or any process of its user) to a crawl;
// - `module.register`: a hook module runs in Node's module-hooks thread, which no `--import` reaches;
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
//   secrets). A refused connect fails as the OS would: `connect EACCES <address>:<port>`. Listening
//   is refused the same way: TCP on a denied endpoint, and every Unix socket.
// A CommonJS file, so the preamble of an eval worker can `require` it.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose (see above) */

const moduleBuiltin = require('node:module');

const { syncBuiltinESMExports } = moduleBuiltin;
const net = require('node:net');
const os = require('node:os');
const v8 = require('node:v8');
const workerThreads = require('node:worker_threads');

const DENIED_TCP_ENV = 'STAMPEDE_RUNNER_DENIED_TCP';
const EACCES = -os.constants.errno.EACCES;

// What the guard calls once a script runs, taken now: a script holding this realm can replace any
// global, prototype method or module export (`String.prototype.replace`, `Map.prototype.get`,
// `Reflect.apply`, `net.BlockList`/`SocketAddress` internals…) to change a check's answer or to catch
// the original `connect` as it is passed along. The checks below use only these, operators, and
// objects no script can reach.
const uncurry = (fn) => Function.prototype.call.bind(fn);
const ReflectApply = Reflect.apply;
const ObjectCreate = Object.create;
const ObjectToObject = Object;
const StringIndexOf = uncurry(String.prototype.indexOf);
const StringSlice = uncurry(String.prototype.slice);
const StringCharCodeAt = uncurry(String.prototype.charCodeAt);
const TypedBytes = Uint8Array;
const WorkerOriginal = workerThreads.Worker;
const SHARE_ENV = workerThreads.SHARE_ENV;

function refusal(name) {
  return () => {
    throw Object.assign(new Error(`${name} is not allowed in a runner`), { code: 'ERR_ACCESS_DENIED' });
  };
}

function lock(target, name, value, enumerable = true) {
  Object.defineProperty(target, name, { value, writable: false, configurable: false, enumerable });
}

/**
 * The code an eval worker runs: this guard first, then the given code, compiled on its own (as Node
 * compiles eval code: a global script). Appended to the guard's line, a `function require() {}` of the
 * script's would be hoisted above the guard's call and replace it; as a string it cannot.
 */
const EVAL_PREAMBLE = `require(${JSON.stringify(__filename)}).guardThread();`
  + `require('node:vm').runInThisContext(`;
const EVAL_OPTIONS = `, { filename: '[worker eval]', importModuleDynamically: require('node:vm').constants.USE_MAIN_CONTEXT_DEFAULT_LOADER });`;
const JsonStringify = JSON.stringify;
function guardedEvalCode(code) {
  return EVAL_PREAMBLE + JsonStringify(code) + EVAL_OPTIONS;
}

// ---- IP addresses as libuv reads them (uv_ip4_addr / uv_ip6_addr), as bytes --------------------

/** The part of a JS string C code sees (Node hands the address over as a C string: it ends at a NUL). */
function cString(text) {
  const nul = StringIndexOf(text, '\0');
  return nul === -1 ? text : StringSlice(text, 0, nul);
}

/** Dotted-quad IPv4 (inet_pton) into `out` at `at`; false when libuv would refuse it too. */
function parseIpv4(text, out, at) {
  let octet = 0;
  let digits = 0;
  let index = at;
  for (let i = 0; i <= text.length; i++) {
    const c = i === text.length ? 46 : StringCharCodeAt(text, i);
    if (c >= 48 && c <= 57) {
      octet = octet * 10 + (c - 48);
      digits++;
      if (octet > 255 || digits > 3) return false;
    } else if (c === 46) {
      if (digits === 0 || index - at === 4) return false;
      out[index++] = octet;
      octet = 0;
      digits = 0;
    } else {
      return false;
    }
  }
  return index - at === 4;
}

function hexValue(c) {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** IPv6 text (inet_pton: groups, one `::`, an IPv4 tail) into 16 bytes; null when invalid. */
function parseIpv6(text) {
  const out = new TypedBytes(16);
  let index = 0;
  let gap = -1;
  let i = 0;
  if (text.length >= 2 && StringCharCodeAt(text, 0) === 58 && StringCharCodeAt(text, 1) === 58) {
    gap = 0;
    i = 2;
  } else if (text.length >= 1 && StringCharCodeAt(text, 0) === 58) {
    return null;
  }
  while (i < text.length) {
    if (index === 16) return null;
    const groupStart = i;
    let value = 0;
    let digits = 0;
    while (i < text.length && hexValue(StringCharCodeAt(text, i)) !== -1) {
      value = value * 16 + hexValue(StringCharCodeAt(text, i));
      digits++;
      i++;
      if (digits > 4) return null;
    }
    if (i < text.length && StringCharCodeAt(text, i) === 46) {
      // The IPv4 tail: the last 4 bytes.
      if (index > 12 || !parseIpv4(StringSlice(text, groupStart), out, index)) return null;
      index += 4;
      i = text.length;
      break;
    }
    if (digits === 0) return null;
    out[index++] = value >> 8;
    out[index++] = value & 0xff;
    if (i === text.length) break;
    if (StringCharCodeAt(text, i) !== 58) return null;
    i++;
    if (i < text.length && StringCharCodeAt(text, i) === 58) {
      if (gap !== -1) return null;
      gap = index;
      i++;
    } else if (i === text.length) {
      return null;
    }
  }
  if (gap === -1) return index === 16 ? out : null;
  if (index === 16) return null;
  const shift = 16 - index;
  for (let k = index - 1; k >= gap; k--) out[k + shift] = out[k];
  for (let k = gap; k < gap + shift; k++) out[k] = 0;
  return out;
}

/** The address libuv's uv_ip6_addr dials: a zone (`%eth0`) cut off, the rest cut to 39 characters. */
function ipv6Bytes(address) {
  let text = cString(address);
  const zone = StringIndexOf(text, '%');
  if (zone !== -1) text = StringSlice(text, 0, zone < 40 ? zone : 39);
  return parseIpv6(text);
}

function ipv4Bytes(address) {
  const out = new TypedBytes(4);
  return parseIpv4(cString(address), out, 0) ? out : null;
}

/**
 * One key per IPv4 address (IPv4-mapped IPv6 addresses, which Linux dials over IPv4, included) and
 * per other IPv6 address; `local` when any connection to it stays on this machine whatever the
 * interfaces say: 0.0.0.0/8 (Linux dials 0.x.y.z as this host), 127.0.0.0/8, and ::/96 (`::`, `::1`).
 */
function addressKey(bytes, family) {
  let zeros = 0;
  while (family === 6 && zeros < 10 && bytes[zeros] === 0) zeros++;
  const v4 = family === 4 ? 0 : zeros === 10 && bytes[10] === 0xff && bytes[11] === 0xff ? 12 : -1;
  if (v4 !== -1) {
    const first = bytes[v4];
    return { key: `4:${first}.${bytes[v4 + 1]}.${bytes[v4 + 2]}.${bytes[v4 + 3]}`, local: first === 0 || first === 127 };
  }
  let key = '6:';
  for (let k = 0; k < 16; k++) key += `${bytes[k]}.`;
  return { key, local: zeros === 10 && bytes[10] === 0 && bytes[11] === 0 };
}

function textKey(address) {
  const text = String(address);
  const family = net.isIP(text) === 4 ? 4 : 6;
  const bytes = family === 4 ? ipv4Bytes(text) : ipv6Bytes(text);
  return bytes === null ? null : addressKey(bytes, family).key;
}

/**
 * The rules of STAMPEDE_RUNNER_DENIED_TCP (`[{port, addresses, local}]`) by port: the addresses given
 * and, with `local`, every address of this machine (the ranges of addressKey and its interfaces). null
 * (refuse every TCP connection) when the variable is missing or unreadable: spawnRunner always sets it.
 */
function deniedTcp(text) {
  let rules;
  try {
    rules = text === undefined ? null : JSON.parse(text);
  } catch {
    return null;
  }
  if (!Array.isArray(rules)) return null;
  const byPort = ObjectCreate(null);
  for (const rule of rules) {
    const port = Number(rule?.port) % 65536;
    const entry = byPort[port] ?? { local: false, keys: ObjectCreate(null) };
    byPort[port] = entry;
    const addresses = Array.isArray(rule?.addresses) ? [...rule.addresses] : [];
    if (rule?.local === true) {
      entry.local = true;
      for (const entries of Object.values(os.networkInterfaces())) for (const e of entries ?? []) addresses.push(e.address);
    }
    for (const address of addresses) {
      const key = textKey(address);
      if (key !== null) entry.keys[key] = true;
    }
  }
  return byPort;
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

/**
 * Whether a TCP connect to `address`:`port` (`connect` for IPv4: family 4, `connect6`: 6) is refused.
 * Node passes a Uint32 port and a string address (its C++ side checks both, and dials the port
 * modulo 65536); anything else, or an address libuv reads differently from us, is refused.
 */
function refuser(denied) {
  return (address, port, family) => {
    if (denied === null || typeof address !== 'string' || typeof port !== 'number' || port >>> 0 !== port) return true;
    const entry = denied[port % 65536];
    if (entry === undefined) return false;
    const bytes = family === 4 ? ipv4Bytes(address) : ipv6Bytes(address);
    if (bytes === null) return true;
    const { key, local } = addressKey(bytes, family);
    return (entry.local && local) || entry.keys[key] === true;
  };
}

function guardConnections(denied) {
  const refused = refuser(denied);
  // A lookup that never answers: the TCP handle exists, nothing is dialled.
  const tcp = handlePrototype({ host: 'guard.invalid', port: 9, lookup: () => {} });
  for (const [name, family] of [['connect', 4], ['connect6', 6]]) {
    const original = tcp[name];
    lock(tcp, name, function connect(req, address, port) {
      return refused(address, port, family) ? EACCES : ReflectApply(original, this, arguments);
    }, false);
  }
  // Listening on a denied endpoint: while the database is down (a restart), a script could take its
  // port and answer the server's reconnection as the database, asking for its password in clear text.
  for (const [name, family] of [['bind', 4], ['bind6', 6]]) {
    const original = tcp[name];
    // `net` binds a connection's local address with no port (the handle reads that as 0).
    lock(tcp, name, function bind(address, port) {
      return refused(address, port === undefined ? 0 : port, family) ? EACCES : ReflectApply(original, this, arguments);
    }, false);
  }
  // An abstract-namespace name nothing listens on: the Pipe handle exists, the connect fails at once.
  const pipe = handlePrototype({ path: `\0stampede-guard-${process.pid}-${workerThreads.threadId}` });
  lock(pipe, 'connect', function connect() {
    return EACCES;
  }, false);
  // Binding a Unix socket creates its file wherever the script names it (the permission model does
  // not look), or takes a name the database or another daemon would listen on: refused as well.
  lock(pipe, 'bind', function bind() {
    return EACCES;
  }, false);
}

function guardThread() {
  // Already guarded (a thread whose preamble and --import both ran): the locks cannot be set twice.
  if (Object.getOwnPropertyDescriptor(process, 'kill')?.configurable === false) return;
  for (const name of ['kill', '_kill']) lock(process, name, refusal(`process.${name}`));
  // `_debugProcess(pid)` sends SIGUSR1, which opens the inspector of a Node process (the server's
  // is `process.ppid`) on 127.0.0.1:9229: a script would then run code in the server itself.
  lock(process, '_debugProcess', refusal('process._debugProcess'));
  lock(os, 'setPriority', refusal('os.setPriority'));
  // V8 flags changed while running (`--allow-natives-syntax` gives `%` runtime calls, some of which
  // corrupt memory when misused): nothing a script needs, and beyond what the guard can reason about.
  lock(v8, 'setFlagsFromString', refusal('v8.setFlagsFromString'));
  // A hook module runs in Node's module-hooks thread, which no `--import` reaches; the runner's own
  // hooks are registered before this runs (and guard that thread), a script's are refused.
  lock(moduleBuiltin, 'register', refusal('module.register'));
  // Read once: a script that edits process.env later changes nothing, here or in its threads.
  const deniedText = process.env[DENIED_TCP_ENV];
  guardConnections(deniedTcp(deniedText));

  function Worker(filename, options) {
    if (new.target === undefined) throw new TypeError("Class constructor Worker cannot be invoked without 'new'");
    if (options !== undefined && (typeof options !== 'object' || options === null)) return new WorkerOriginal(filename, options);
    // One read of every option (a getter cannot answer the check one thing and Node another).
    const own = { ...options };
    delete own.execArgv;
    // The thread's guard reads the denied endpoints from its environment, whatever env it was given.
    // Not a shared one: the script could change it before the thread reads it (SHARE_ENV becomes a copy).
    const env = own.env === undefined || own.env === SHARE_ENV ? process.env : ObjectToObject(own.env);
    own.env = { ...env, [DENIED_TCP_ENV]: deniedText };
    if (own.eval) return new WorkerOriginal(guardedEvalCode(`${filename}`), own);
    return new WorkerOriginal(filename, own);
  }
  Worker.prototype = WorkerOriginal.prototype;
  lock(WorkerOriginal.prototype, 'constructor', Worker, false);
  lock(workerThreads, 'Worker', Worker);
  // `import('node:worker_threads')`/`node:os`/`node:module`/`node:v8` namespaces made before now would still hold the originals.
  syncBuiltinESMExports();
}

/** The guard's answer for STAMPEDE_RUNNER_DENIED_TCP text `rules` (exported for tests). */
function connectRefused(rules, address, port, family) {
  return refuser(deniedTcp(rules))(address, port, family);
}

module.exports = { guardThread, connectRefused, DENIED_TCP_ENV };
