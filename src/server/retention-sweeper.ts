// Deletes the results of runs whose retention expired: once at start and then periodically. The run
// records stay (saving one afterwards answers 409 "Test run has been deleted").
import type { Store } from '../store/index.ts';

export interface SweeperLog {
  info(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface RetentionSweeper {
  /** Runs one sweep now; resolves with how many runs' results were deleted. */
  sweep(): Promise<number>;
  stop(): void;
}

export const DEFAULT_SWEEP_INTERVAL_MS = 60 * 60 * 1000;

export function startRetentionSweeper(store: Store, log: SweeperLog, opts: { intervalMs?: number; now?: () => Date } = {}): RetentionSweeper {
  const now = opts.now ?? (() => new Date());
  let running: Promise<number> | null = null;
  const sweep = (): Promise<number> => {
    // One sweep at a time: a slow sweep is never overlapped by the next tick.
    running ??= store.testRuns
      .sweepRetention(now())
      .then((deleted) => {
        if (deleted > 0) log.info({ deleted }, 'retention sweep deleted expired results');
        return deleted;
      })
      .catch((err: unknown) => {
        log.error({ err }, 'retention sweep failed');
        return 0;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  const timer = setInterval(() => void sweep(), opts.intervalMs ?? DEFAULT_SWEEP_INTERVAL_MS);
  timer.unref();
  void sweep();
  return { sweep, stop: () => clearInterval(timer) };
}
