import { describe, expect, it } from 'vitest';
import { stuckWorkers, WORKER_SILENCE_MS, WORKER_STOP_LIMIT_MS } from './stuck-workers.ts';

describe('stuckWorkers', () => {
  const stop = 1_000_000;

  it('waits for a slow worker that still posts, and gives up on a silent one', () => {
    // 4,000 VUs stopped by Ctrl+C on a loaded machine: the worker posted 2 s before the old fixed
    // 4 s deadline, was terminated anyway, and the summary lost ~900 of its requests.
    const now = stop + 4000;
    const workers = [{ done: false, heardAt: now - 2000 }, { done: false, heardAt: now - WORKER_SILENCE_MS }, { done: true, heardAt: 0 }];
    expect(stuckWorkers(workers, stop, now)).toEqual([1]);
  });

  it('gives up on any worker not done by the stop limit', () => {
    expect(stuckWorkers([{ done: false, heardAt: stop + WORKER_STOP_LIMIT_MS - 10 }], stop, stop + WORKER_STOP_LIMIT_MS)).toEqual([0]);
    expect(stuckWorkers([{ done: false, heardAt: stop + WORKER_STOP_LIMIT_MS - 10 }], stop, stop + WORKER_STOP_LIMIT_MS - 1)).toEqual([]);
  });
});
