// A timer that fires just after every wall-clock second boundary. The metrics aggregator closes a
// second once its end has passed, so a flush right after the boundary hands on each second at once:
// a flush every 1,000 ms from an arbitrary start would hold a second's samples for up to another
// second (a run that started at x.99 s would keep its first full second until x+2.99 s).

/** How long after the boundary the timer fires, so that a timer a millisecond early still sees it passed. */
const MARGIN_MS = 5;

export interface SecondBoundaryTimer {
  stop(): void;
}

/** Calls `tick` after `delayMs()`, then again after each new `delayMs()`, until stopped. */
export function repeatAfter(delayMs: () => number, tick: () => void): SecondBoundaryTimer {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const schedule = (): void => {
    timer = setTimeout(() => {
      if (stopped) return;
      tick();
      if (!stopped) schedule();
    }, delayMs());
  };
  schedule();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

/** Calls `tick` at every second boundary (+ a few ms) until stopped. */
export function everySecondBoundary(tick: () => void, now: () => number = Date.now): SecondBoundaryTimer {
  return repeatAfter(() => 1000 - (now() % 1000) + MARGIN_MS, tick);
}
