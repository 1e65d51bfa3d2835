// The main thread's end of one worker thread: typed messages, and a hard stop that keeps what was
// already received.
import { Worker } from 'node:worker_threads';
import type { MainToWorker, WorkerInit, WorkerToMain } from './worker-protocol.ts';

const BOOTSTRAP = new URL('./worker-bootstrap.mjs', import.meta.url);

/**
 * The young generation a worker's V8 heap may grow to: 16 MB semi-spaces (V8 sizes the young
 * generation at three semi-spaces), Node's default on 64-bit hosts, set here so the choice is explicit.
 * 32 MB semi-spaces (session 5) made hundreds of busy VUs per thread 10–18 % faster (their in-flight
 * requests outlive a small nursery and are copied and promoted), but V8 grows the nursery under that
 * same pressure when VUs sleep, and at 1,000 VUs in `sleep(1)` loops it cost ≈ 28 KB of RSS per VU
 * (BENCHMARKS.md, session 13): memory per VU is what limits how many VUs a machine can run.
 */
const YOUNG_GENERATION_MB = 3 * 16;

export class WorkerHandle {
  readonly index: number;
  readonly #worker: Worker;
  #exited = false;
  readonly exited: Promise<void>;

  constructor(init: WorkerInit, onMessage: (index: number, m: WorkerToMain) => void, onError: (index: number, e: Error) => void) {
    this.index = init.index;
    this.#worker = new Worker(BOOTSTRAP, { resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
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
