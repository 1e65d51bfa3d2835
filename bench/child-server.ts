// Starts a bench's server script (bench/<name>/server-process.ts) as a child process and talks to it
// over IPC. Every such script answers `hello` when loaded, `ready` after `start`, `cpu {micros}` (its
// process.cpuUsage(), user + system) and `stopped`; `error {message}` ends any wait.
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

interface Message {
  type: string;
}

export interface ChildServer<To extends Message, From extends Message> {
  ready: Extract<From, { type: 'ready' }>;
  pid: number;
  /** Sends `msg` and resolves with the first answer of type `want` (rejects on an error answer or exit). */
  ask<T extends From['type']>(msg: To | { type: 'cpu' }, want: T): Promise<Extract<From, { type: T }>>;
  /** CPU time the server process has used so far (user + system), in microseconds. */
  cpuMicros(): Promise<number>;
  stop(): Promise<void>;
}

function next(child: ChildProcess, want: string): Promise<Message> {
  return new Promise((resolve, reject) => {
    const onMessage = (msg: Message & { message?: string }) => {
      if (msg.type === 'error') {
        cleanup();
        reject(new Error(`bench server failed:\n${msg.message ?? ''}`));
      } else if (msg.type === want) {
        cleanup();
        resolve(msg);
      }
    };
    const onExit = (code: number | null, signal: string | null) => {
      cleanup();
      reject(new Error(`bench server exited (code ${code}, signal ${signal}) while waiting for "${want}"`));
    };
    const cleanup = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

export async function startChildServer<To extends Message, From extends Message>(root: string, script: string, start: To): Promise<ChildServer<To, From>> {
  // BENCH_CPU_PROF=<dir>: the server process writes a V8 CPU profile there (where its time goes).
  const prof = process.env['BENCH_CPU_PROF'];
  const execArgv = prof === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${prof}`];
  const child = fork(join(root, 'bin/run-ts.js'), [join(root, script)], { cwd: root, execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await next(child, 'hello');
    child.send(start);
    const ready = (await next(child, 'ready')) as Extract<From, { type: 'ready' }>;
    const ask = async <T extends From['type']>(msg: To | { type: 'cpu' }, want: T): Promise<Extract<From, { type: T }>> => {
      const answer = next(child, want);
      child.send(msg);
      return (await answer) as Extract<From, { type: T }>;
    };
    return {
      ready,
      pid: child.pid ?? 0,
      ask,
      async cpuMicros() {
        const answer = next(child, 'cpu');
        child.send({ type: 'cpu' });
        return ((await answer) as Message & { micros: number }).micros;
      },
      async stop() {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const stopped = next(child, 'stopped').catch(() => undefined);
        child.send({ type: 'stop' });
        await stopped;
        // A handle left open in the child must not hang the bench.
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      },
    };
  } catch (err) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
    throw err;
  }
}
