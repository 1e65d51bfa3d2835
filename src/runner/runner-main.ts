// Entry of a runner process (started by spawnRunner under Node's permission model): moves protocol
// lines between stdin/stdout and a RunnerSession hosting the engine, sends heartbeats, and exits when
// the conversation is over. `--engine-module=<file>` swaps in another engine module (tests only).
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { EnginePort } from './engine-port.ts';
import { exitWhenDrained } from './drain-exit.ts';
import { lineSplitter, parseToRunner } from './protocol.ts';
import type { FromRunner } from './protocol.ts';
import { RunnerSession } from './runner-session.ts';
import { lineSigner, RUNNER_KEY_ENV } from './signed-lines.ts';

const HEARTBEAT_MS = 1000;

// Taken out of the environment before any script code can run (worker threads copy the env later).
const sign = lineSigner(process.env[RUNNER_KEY_ENV] ?? '');
delete process.env[RUNNER_KEY_ENV];
const writeOut = process.stdout.write.bind(process.stdout);

function send(message: FromRunner): void {
  writeOut(sign(message));
}

/** Exits once every protocol line already written has reached the pipe (see exitWhenDrained). */
function exitAfterFlush(code: number): void {
  exitWhenDrained(process.stdout, () => process.exit(code));
}

function fail(err: unknown): void {
  send({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err), exitCode: 255 });
  send({ type: 'status', phase: 'done' });
  exitAfterFlush(1);
}
/** The engine, once its module is loaded (below). */
const hosted: { engine?: EnginePort } = {};
process.on('uncaughtException', fail);
process.on('unhandledRejection', (reason) => {
  // During a run the engine's own listener takes the script's rejections (setup's fails the run with
  // 107, a stray one is logged as k6 logs it): they are not the runner's failure.
  if (hosted.engine?.capturesRejections?.() === true) return;
  fail(reason);
});

const heartbeat = setInterval(() => send({ type: 'heartbeat', pid: process.pid, time: Date.now() }), HEARTBEAT_MS);
send({ type: 'heartbeat', pid: process.pid, time: Date.now() });

const engineArg = process.argv.find((a) => a.startsWith('--engine-module='))?.slice('--engine-module='.length);
const loadedEngine: EnginePort = engineArg === undefined ? (await import('./real-engine.ts')).realEngine : ((await import(pathToFileURL(engineArg).href)) as EnginePort);

hosted.engine = loadedEngine;

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { name?: string; version?: string };

const session = new RunnerSession({
  engine: loadedEngine,
  engineVersion: `${pkg.name ?? 'stampede'}-${pkg.version ?? '0.0.0'}`,
  send,
  workDir: process.cwd(),
  onDone: () => {
    clearInterval(heartbeat);
    exitAfterFlush(0);
  },
});

process.stdin.on('data', lineSplitter((line) => {
  const message = parseToRunner(line);
  if (message !== null) session.handle(message);
}));
process.stdin.on('end', () => session.orphaned());
