// A ticker every second from a start time, as Go's time.NewTicker(time.Second): k6's execution
// scheduler emits vus and vus_max on one from its Init (before the VUs are initialised) until the
// run is over, so a run that ends within its first second has no such samples and one just over a
// second has one of each. Ticks keep to start + n s (no drift); a tick missed by a busy thread is
// dropped, as Go's ticker drops them.
import { repeatAfter, type SecondBoundaryTimer } from './second-boundary-timer.ts';

export type SecondTicker = SecondBoundaryTimer;

/** Calls `tick` at `start` + 1 s, + 2 s, … until stopped. */
export function everySecondFrom(start: number, tick: () => void, now: () => number = Date.now): SecondTicker {
  return repeatAfter(() => start + (Math.floor((now() - start) / 1000) + 1) * 1000 - now(), tick);
}
