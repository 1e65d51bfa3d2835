// Starts bench/results/server-process.ts as a child process and talks to it over IPC.
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { FromServer, ToServer } from './protocol.ts';

export type Ready = Extract<FromServer, { type: 'ready' }>;

export interface ServerHandle {
  ready: Ready;
  pid: number;
  /** Sends `msg` and resolves with the first answer of type `want` (rejects on an error answer or exit). */
  ask<T extends FromServer['type']>(msg: ToServer, want: T): Promise<Extract<FromServer, { type: T }>>;
  cpuMicros(): Promise<number>;
  stop(): Promise<void>;
}

function next(child: ChildProcess, want: FromServer['type']): Promise<FromServer> {
  return new Promise((resolve, reject) => {
    const onMessage = (msg: FromServer) => {
      if (msg.type === 'error') {
        cleanup();
        reject(new Error(`bench server failed:\n${msg.message}`));
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

export async function startServer(root: string, start: Extract<ToServer, { type: 'start' }>): Promise<ServerHandle> {
  // BENCH_CPU_PROF=<dir>: the server process writes a V8 CPU profile there (where its time goes).
  const prof = process.env['BENCH_CPU_PROF'];
  const execArgv = prof === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${prof}`];
  const child = fork(join(root, 'bin/run-ts.js'), [join(root, 'bench/results/server-process.ts')], { cwd: root, execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await next(child, 'hello');
    child.send(start);
    const ready = (await next(child, 'ready')) as Ready;
    const ask = async <T extends FromServer['type']>(msg: ToServer, want: T): Promise<Extract<FromServer, { type: T }>> => {
      const answer = next(child, want);
      child.send(msg);
      return (await answer) as Extract<FromServer, { type: T }>;
    };
    return {
      ready,
      pid: child.pid ?? 0,
      ask,
      async cpuMicros() {
        return (await ask({ type: 'cpu' }, 'cpu')).micros;
      },
      async stop() {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const stopped = next(child, 'stopped').catch(() => undefined);
        child.send({ type: 'stop' } satisfies ToServer);
        await stopped;
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
