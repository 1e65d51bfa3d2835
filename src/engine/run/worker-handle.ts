// The main thread's end of one worker thread: typed messages, and a hard stop that keeps what was
// already received.
import { Worker } from 'node:worker_threads';
import type { MainToWorker, WorkerInit, WorkerToMain } from './worker-protocol.ts';

const BOOTSTRAP = new URL('./worker-bootstrap.mjs', import.meta.url);

export class WorkerHandle {
  readonly index: number;
  readonly #worker: Worker;
  #exited = false;
  readonly exited: Promise<void>;

  constructor(init: WorkerInit, onMessage: (index: number, m: WorkerToMain) => void, onError: (index: number, e: Error) => void) {
    this.index = init.index;
    this.#worker = new Worker(BOOTSTRAP);
    this.#worker.on('message', (m: WorkerToMain) => onMessage(this.index, m));
    this.#worker.on('error', (e) => onError(this.index, e));
    this.exited = new Promise((resolve) => {
      this.#worker.once('exit', () => {
        this.#exited = true;
        resolve();
      });
    });
    this.send({ type: 'init', init });
  }

  send(m: MainToWorker): void {
    if (!this.#exited) this.#worker.postMessage(m);
  }

  /** Ends the thread now (a VU stuck beyond every interrupt); pending messages are lost. */
  async terminate(): Promise<void> {
    if (this.#exited) return;
    await this.#worker.terminate();
  }
}
