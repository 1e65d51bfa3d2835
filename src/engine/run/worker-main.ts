// Entry of a run's worker thread (loaded through worker-bootstrap.mjs, which registers tsx first).
import { parentPort } from 'node:worker_threads';
import type { MainToWorker, WorkerToMain } from './worker-protocol.ts';
import { WorkerRun } from './worker-run.ts';
import { captureUnhandledRejections } from './unhandled-rejections.ts';

const port = parentPort;
if (port === null) throw new Error('worker-main.ts must run in a worker thread');

const run = new WorkerRun((m: WorkerToMain) => port.postMessage(m));
// Scripts share this thread: a promise a script forgot to handle must not kill the other VUs.
captureUnhandledRejections({ write: (level, msg, fields) => port.postMessage({ type: 'log', level, msg, ...(fields ? { fields } : {}) } satisfies WorkerToMain) });
port.on('message', (m: MainToWorker) => run.handle(m));
