// How a runner process ends: only once every protocol line it wrote has left for the orchestrator, since
// process.exit() drops queued writes and the last lines (the final metrics, `finished`) matter most.

/** The part of process.stdout this needs. */
export interface DrainingOutput {
  readonly writableLength: number;
  write(chunk: string, callback: (err?: Error | null) => void): boolean;
}

/**
 * Calls `exit` once `out` has flushed everything queued, or once it has made no progress for `stallMs`
 * (nobody reads the pipe any more). A slow reader is waited for: a busy run can leave tens of megabytes
 * of metrics queued at its end, which a fixed five-second limit cut off, `finished` included, so the run
 * ended as aborted by the system.
 */
export function exitWhenDrained(out: DrainingOutput, exit: () => void, stallMs = 5000): void {
  let left = out.writableLength;
  let progressAt = Date.now();
  let done = false;
  const end = (): void => {
    if (done) return;
    done = true;
    clearInterval(watchdog);
    exit();
  };
  const watchdog = setInterval(() => {
    const now = out.writableLength;
    if (now < left) {
      left = now;
      progressAt = Date.now();
    } else if (Date.now() - progressAt >= stallMs) {
      end();
    }
  }, Math.max(10, Math.min(1000, stallMs / 5)));
  out.write('', end);
}
