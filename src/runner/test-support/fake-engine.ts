// Test stand-in for the engine inside a real runner process (spawnRunner's `engineModule`). The
// "script" is JSON describing what to do, so process-level tests (sandbox, abort, crash) do not
// depend on the engine's progress. Never used outside tests.
import { appendFileSync, readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import type { NetConnectOpts } from 'node:net';
import { getPriority, setPriority } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { SHARE_ENV } from 'node:worker_threads';
import type { Worker } from 'node:worker_threads';
import type { EngineFlagsPort, EngineIoPort, EngineLoadedTestPort, EngineRunResultPort } from '../engine-port.ts';

export interface FakeScript {
  vus?: number;
  durationMs?: number;
  options?: Record<string, unknown>;
  /** Throw from loadTest with this k6 exit code. */
  loadError?: number;
  /** Try to escape the sandbox and report what happened in summaryData.probe. */
  probe?: { readPath: string; envName: string };
  /** Connect to these and report each outcome in summaryData.connections (the server's database, a Unix socket, a target). */
  connect?: { deniedPort: number; allowedPort: number; socketPath: string; freeDeniedPort: number };
  /** Make the threshold `rate<0.01` on http_req_failed fail. */
  failThreshold?: boolean;
  /** Ignore abort requests, like an engine stuck in a script's loop. */
  ignoreAbort?: boolean;
  /** Once running, block the event loop for this long (a runaway script starving the runner). */
  blockMs?: number;
  /** Write forged protocol lines to stdout, as a script holding the host `process` could. */
  forge?: boolean;
  /** Once running, write this many MiB into the run folder (1 MiB a tick), as a script holding `node:fs` could. */
  fillDiskMb?: number;
  /** While loading (what an inspection runs), write this many MiB into the run folder, as init code could. */
  loadFillDiskMb?: number;
  /** Once running, hold this many MiB more of memory (64 MiB a tick). */
  holdMemoryMb?: number;
  /** Each VU adds this much to the counter `hits` once, as the run starts. */
  hitsPerVu?: number;
}

/** This runner's VUs of `vus` for an execution segment "from:to" (fractions "a/b" or "0"/"1"). */
function shareOf(vus: number, segment: string | undefined): number {
  if (segment === undefined) return vus;
  const point = (text: string): number => {
    const [a, b] = text.split('/');
    return Number(a) / (b === undefined ? 1 : Number(b));
  };
  const [from = '0', to = '1'] = segment.split(':');
  return Math.round(vus * point(to)) - Math.round(vus * point(from));
}

function tryIt(fn: () => unknown): string {
  try {
    return `ok: ${String(fn())}`;
  } catch (err) {
    return `denied: ${(err as { code?: string }).code ?? (err as Error).message}`;
  }
}

/** Signals the parent (signal 0: a probe) from a new thread; what that thread reports. */
const SIGNAL_FROM_THREAD = "let r; try { process.kill(process.ppid, 0); r = 'ok'; } catch (e) { r = 'denied: ' + e.code; }";

async function fromThread(start: (worker: typeof Worker) => Worker): Promise<string> {
  // Taken as a script would take it: the module's namespace, then the class behind an instance.
  const threads = await import('node:worker_threads');
  return new Promise((res) => {
    const worker = start(threads.Worker);
    worker.once('message', (m) => { res(String(m)); void worker.terminate(); });
    worker.once('error', (e) => res(`error: ${e.message}`));
  });
}

/** `connected`, or the error code of the connect (`EACCES` where the guard refused it). */
function connectOutcome(options: NetConnectOpts): Promise<string> {
  return new Promise((res) => {
    const socket = connect(options);
    socket.once('connect', () => { socket.destroy(); res('connected'); });
    socket.once('error', (e: NodeJS.ErrnoException) => res(e.code ?? e.message));
  });
}

/** A TCP connect whose handle is told `address`:`port` directly, as a script can (past net's checks). */
function rawConnectOutcome(allowedPort: number, address: string, port: number): Promise<string> {
  return new Promise((res) => {
    const socket = connect({ host: '127.0.0.1', port: allowedPort });
    // The handle exists and its connect comes on the next tick: a method of the instance shadows the guarded one.
    const handle = (socket as unknown as { _handle: { connect: (...a: unknown[]) => unknown } })._handle;
    const guarded = Object.getPrototypeOf(handle) as { connect: (...a: unknown[]) => unknown };
    Object.defineProperty(handle, 'connect', { value: (req: unknown) => guarded.connect.call(handle, req, address, port) });
    socket.once('connect', () => { socket.destroy(); res('connected'); });
    socket.once('error', (e: NodeJS.ErrnoException) => res(e.code ?? e.message));
  });
}

/** A connect made while the script has replaced builtins the guard might call (restored after). */
async function withTamperedBuiltins(c: NonNullable<FakeScript['connect']>): Promise<string> {
  const replace = Object.getOwnPropertyDescriptor(String.prototype, 'replace');
  const get = Object.getOwnPropertyDescriptor(Map.prototype, 'get');
  Object.defineProperty(String.prototype, 'replace', { value: () => '192.0.2.1', configurable: true, writable: true });
  Object.defineProperty(Map.prototype, 'get', { value: () => undefined, configurable: true, writable: true });
  try {
    return await connectOutcome({ host: '127.0.0.1', port: c.deniedPort });
  } finally {
    Object.defineProperty(String.prototype, 'replace', replace as PropertyDescriptor);
    Object.defineProperty(Map.prototype, 'get', get as PropertyDescriptor);
  }
}

/** The original TCP connect, if the guard hands it to a `Reflect.apply` the script replaced, then dialled. */
async function withCaughtOriginal(c: NonNullable<FakeScript['connect']>): Promise<string> {
  const apply = Reflect.apply;
  let caught: ((...a: unknown[]) => unknown) | undefined;
  Reflect.apply = ((f: (...a: unknown[]) => unknown, self: unknown, args: ArrayLike<unknown>) => {
    if (f.name === 'connect') caught ??= f;
    return apply(f, self, args);
  }) as typeof Reflect.apply;
  try {
    await connectOutcome({ host: '127.0.0.1', port: c.allowedPort });
  } finally {
    Reflect.apply = apply;
  }
  if (caught === undefined) return 'not caught';
  const original = caught;
  return new Promise((res) => {
    const socket = connect({ host: '127.0.0.1', port: c.allowedPort });
    const handle = (socket as unknown as { _handle: object })._handle;
    Object.defineProperty(handle, 'connect', { value: (req: unknown) => original.call(handle, req, '127.0.0.1', c.deniedPort) });
    socket.once('connect', () => { socket.destroy(); res('connected'); });
    socket.once('error', (e: NodeJS.ErrnoException) => res(e.code ?? e.message));
  });
}

/** `listening`, or the error code of a listen (`EACCES` where the guard refused it). */
function listenOutcome(at: { port: number; host: string } | { path: string }): Promise<string> {
  return new Promise((res) => {
    const server = createServer();
    server.once('error', (e: NodeJS.ErrnoException) => res(e.code ?? e.message));
    server.listen(at, () => server.close(() => res('listening')));
  });
}

/** A module hook of the script's: it would run in Node's hooks thread, and dial from there. */
async function fromHooksThread(deniedPort: number): Promise<string> {
  const { register } = await import('node:module');
  const { MessageChannel } = await import('node:worker_threads');
  const { port1, port2 } = new MessageChannel();
  const hook = `export async function initialize({ port, target }) {
    const s = (await import('node:net')).connect({ host: '127.0.0.1', port: target });
    s.once('connect', () => { s.destroy(); port.postMessage('connected'); }); s.once('error', (e) => port.postMessage(e.code)); }`;
  try {
    register(`data:text/javascript,${encodeURIComponent(hook)}`, { data: { port: port2, target: deniedPort }, transferList: [port2] });
  } catch (err) {
    port1.close();
    return `denied: ${(err as { code?: string }).code ?? (err as Error).message}`;
  }
  return new Promise((res) => port1.once('message', (m) => { port1.close(); res(String(m)); }));
}

/** Each way a script could dial the server's database port, and a target it may reach. */
async function connections(c: NonNullable<FakeScript['connect']>): Promise<Record<string, string>> {
  const post = "const post = (r) => require('node:worker_threads').parentPort.postMessage(r);";
  const threadCode = `const s = require('node:net').connect({ host: '127.0.0.1', port: ${c.deniedPort} });
    ${post} s.once('connect', () => { s.destroy(); post('connected'); }); s.once('error', (e) => post(e.code));`;
  // Eval code declaring its own `require`: hoisted above anything placed before it in the same script.
  const hoistingCode = `function require() { return { guardThread() {}, parentPort: process.getBuiltinModule('node:worker_threads').parentPort }; }
    const s = process.getBuiltinModule('node:net').connect({ host: '127.0.0.1', port: ${c.deniedPort} });
    const post = (r) => process.getBuiltinModule('node:worker_threads').parentPort.postMessage(r);
    s.once('connect', () => { s.destroy(); post('connected'); }); s.once('error', (e) => post(e.code));`;
  process.env['STAMPEDE_RUNNER_DENIED_TCP'] = '[]';
  return {
    ipv4: await connectOutcome({ host: '127.0.0.1', port: c.deniedPort }),
    name: await connectOutcome({ host: 'localhost', port: c.deniedPort, family: 4 }),
    mappedIpv6: await connectOutcome({ host: '::ffff:127.0.0.1', port: c.deniedPort }),
    otherLoopback: await connectOutcome({ host: '127.0.0.2', port: c.deniedPort }),
    // Linux dials 0.x.y.z as this machine.
    zeroNetwork: await connectOutcome({ host: '0.0.0.1', port: c.deniedPort }),
    portPast65535: await rawConnectOutcome(c.allowedPort, '127.0.0.1', c.deniedPort + 65536),
    tamperedBuiltins: await withTamperedBuiltins(c),
    caughtOriginal: await withCaughtOriginal(c),
    unixSocket: await connectOutcome({ path: c.socketPath }),
    // Taking the database's port while it is down (it would answer the server's reconnection).
    listenOnDeniedPort: await listenOutcome({ host: '127.0.0.1', port: c.freeDeniedPort }),
    // A Unix socket's file, made outside the run folder.
    listenOnUnixSocket: await listenOutcome({ path: `${c.socketPath}.runner` }),
    // A thread given an empty environment, after the script emptied its own rules.
    threadWithEmptyEnv: await fromThread((W) => new W(threadCode, { eval: true, env: {} })),
    // A thread sharing the script's environment, whose rules the script removes before the thread reads them.
    threadWithSharedEnv: await fromThread((W) => {
      const worker = new W(threadCode, { eval: true, env: SHARE_ENV });
      delete process.env['STAMPEDE_RUNNER_DENIED_TCP'];
      return worker;
    }),
    evalThreadOwnRequire: await fromThread((W) => new W(hoistingCode, { eval: true })),
    hooksThread: await fromHooksThread(c.deniedPort),
    allowed: await connectOutcome({ host: '127.0.0.1', port: c.allowedPort }),
  };
}

async function probe(p: NonNullable<FakeScript['probe']>): Promise<Record<string, string>> {
  const cp = await import('node:child_process');
  const proc: { kill(pid: number, signal: number): boolean } = process;
  const evalCode = `${SIGNAL_FROM_THREAD} require('node:worker_threads').parentPort.postMessage(r);`;
  const moduleUrl = new URL(`data:text/javascript,${encodeURIComponent(`import { parentPort } from 'node:worker_threads'; ${SIGNAL_FROM_THREAD} parentPort.postMessage(r);`)}`);
  return {
    read: tryIt(() => readFileSync(p.readPath, 'utf8').length),
    env: process.env[p.envName] === undefined ? 'absent' : 'present',
    spawn: tryIt(() => cp.spawnSync('/bin/true').status),
    signal: tryIt(() => proc.kill(process.ppid, 0)),
    // The server's own priority, set again: no change, but proof that it could be set.
    renice: tryIt(() => setPriority(process.ppid, getPriority(process.ppid))),
    // SIGUSR1 opens a Node process's inspector (the server's: process.ppid). Aimed at a pid that does
    // not exist (ESRCH when sent), so the test cannot open its own runner's parent.
    v8Flags: tryIt(() => setFlagsFromString('--allow-natives-syntax')),
    debugProcess: tryIt(() => (process as unknown as { _debugProcess(pid: number): void })._debugProcess(2 ** 22 + 1)),
    evalThreadSignal: await fromThread((W) => new W(evalCode, { eval: true })),
    ownExecArgvThreadSignal: await fromThread((W) => new W(moduleUrl, { execArgv: [] })),
    originalClassThreadSignal: await fromThread((W) => {
      const first = new W(moduleUrl);
      void first.terminate();
      const Class = Object.getPrototypeOf(first).constructor as typeof W;
      return new Class(evalCode, { eval: true, execArgv: [] });
    }),
  };
}

export async function loadTest(input: { name: string; data: Uint8Array }, flags: EngineFlagsPort, io: EngineIoPort): Promise<EngineLoadedTestPort> {
  const script = JSON.parse(Buffer.from(input.data).toString('utf8')) as FakeScript;
  if (script.loadError !== undefined) throw Object.assign(new Error(`fake load failure ${script.loadError}`), { exitCode: script.loadError });
  for (let mb = 0; mb < (script.loadFillDiskMb ?? 0); mb++) {
    appendFileSync('filler.bin', new Uint8Array(1024 * 1024).fill(1));
    await new Promise((r) => setTimeout(r, 5));
  }
  const vus = shareOf(script.vus ?? 1, flags.executionSegment);
  const durationMs = script.durationMs ?? 500;
  return {
    options: script.options ?? { vus, duration: `${durationMs}ms` },
    plan: { maxVUs: vus, maxPlannedVUs: vus, totalDurationMs: durationMs },
    warnings: [],
    start() {
      const metricListeners: ((batch: unknown) => void)[] = [];
      const started = Date.now();
      let iterations = 0;
      let finish: (r: EngineRunResultPort) => void = () => {};
      const result = new Promise<EngineRunResultPort>((res) => { finish = res; });
      const summary = async (): Promise<unknown> => ({
        metrics: {
          iterations: { type: 'counter', contains: 'default', values: { count: iterations } },
          http_req_failed: { type: 'rate', contains: 'default', values: { rate: script.failThreshold ? 1 : 0 }, thresholds: { 'rate<0.01': { ok: !script.failThreshold } } },
        },
        root_group: { name: '', path: '', checks: [{ name: 'is 200', path: '::is 200', passes: iterations, fails: 0 }], groups: [] },
        ...(script.probe === undefined ? {} : { probe: await probe(script.probe) }),
        ...(script.connect === undefined ? {} : { connections: await connections(script.connect) }),
      });
      if (script.hitsPerVu !== undefined) {
        const hits = { time: Math.floor(Date.now() / 1000) * 1000, metrics: [{ name: 'hits', type: 'counter', contains: 'default' }], series: [{ metric: 'hits', tags: {}, counter: { sum: script.hitsPerVu * vus } }] };
        setTimeout(() => { for (const l of metricListeners) l(hits); }, 0);
      }
      const tick = setInterval(() => {
        iterations += vus;
        const batch = { time: Math.floor(Date.now() / 1000) * 1000, metrics: [{ name: 'iterations', type: 'counter', contains: 'default' }], series: [{ metric: 'iterations', tags: {}, counter: { sum: vus } }] };
        for (const l of metricListeners) l(batch);
      }, 100);
      const end = (abortReason?: string, abortMessage?: string): void => {
        clearInterval(tick);
        clearTimeout(timer);
        io.stderr.write(`fake engine ended${abortReason === undefined ? '' : ` (${abortReason})`}\n`);
        void summary().then((summaryData) => finish({
          exitCode: abortReason !== undefined ? 105 : script.failThreshold ? 99 : 0,
          ...(abortReason === undefined ? {} : { abortReason }),
          ...(abortMessage === undefined ? {} : { abortMessage }),
          summaryData,
          testRunDurationMs: Date.now() - started,
        }));
      };
      const timer = setTimeout(() => end(), durationMs);
      if (script.forge) {
        const fake = { type: 'finished', exitCode: 0, summaryData: { forged: true }, thresholds: {}, checks: [], testRunDurationMs: 1, seq: 1_000_000 };
        process.stdout.write(`${JSON.stringify(fake)}\n`);
        process.stdout.write(`${'0'.repeat(64)} ${JSON.stringify(fake)}\n`);
      }
      if (script.fillDiskMb !== undefined || script.holdMemoryMb !== undefined) {
        const held: Uint8Array[] = [];
        let written = 0;
        const fill = setInterval(() => {
          if (written < (script.fillDiskMb ?? 0)) appendFileSync('filler.bin', new Uint8Array(1024 * 1024).fill(1));
          written++;
          if (held.length * 64 < (script.holdMemoryMb ?? 0)) held.push(new Uint8Array(64 * 1024 * 1024).fill(1));
        }, 5);
        void result.then(() => clearInterval(fill));
      }
      if (script.blockMs !== undefined) {
        const until = Date.now() + script.blockMs;
        setTimeout(() => { while (Date.now() < until) { /* runaway */ } }, 50);
      }
      return {
        abort: (reason, message) => { if (!script.ignoreAbort) end(reason, message); },
        onMetrics: (cb) => { metricListeners.push(cb); },
        progress: () => ({ vus, iterations, elapsedMs: Date.now() - started }),
        result,
      };
    },
  };
}
