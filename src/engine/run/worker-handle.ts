// The main thread's end of one worker thread: typed messages, and a hard stop that keeps what was
// already received.
import { Worker } from 'node:worker_threads';
import type { MainToWorker, WorkerInit, WorkerToMain } from './worker-protocol.ts';

const BOOTSTRAP = new URL('./worker-bootstrap.mjs', import.meta.url);

/**
 * The young generation a worker's V8 heap may grow to: 32 MB semi-spaces (V8 sizes the young generation
 * at three semi-spaces and rounds a semi-space up to a power of two). With Node's default, 16 MB
 * semi-spaces, the scavenger is the largest single cost at hundreds of VUs per thread: their in-flight
 * requests outlive a small nursery and are copied and promoted. V8 grows the nursery only under that
 * pressure. Measured (BENCHMARKS.md, session 5): +18 % requests/s at 1,000 VUs, neutral at 64, RSS per
 * VU unchanged; 64 MB semi-spaces gave +29 % but 109 KB per VU at 1,000 sleeping VUs in one run of two.
 */
const YOUNG_GENERATION_MB = 3 * 32;

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
