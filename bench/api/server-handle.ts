// Starts bench/api/server-process.ts as a child process and talks to it over IPC.
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { FromServer, ToServer } from './protocol.ts';

export type Ready = Extract<FromServer, { type: 'ready' }>;

export interface ServerHandle {
  ready: Ready;
  /** CPU time the server process has used so far (user + system), in microseconds. */
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
  const child = fork(join(root, 'bin/run-ts.js'), [join(root, 'bench/api/server-process.ts')], { cwd: root, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await next(child, 'hello');
    child.send(start);
    const ready = (await next(child, 'ready')) as Ready;
    return {
      ready,
      async cpuMicros() {
        const answer = next(child, 'cpu');
        child.send({ type: 'cpu' } satisfies ToServer);
        return ((await answer) as Extract<FromServer, { type: 'cpu' }>).micros;
      },
      async stop() {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const stopped = next(child, 'stopped').catch(() => undefined);
        child.send({ type: 'stop' } satisfies ToServer);
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
