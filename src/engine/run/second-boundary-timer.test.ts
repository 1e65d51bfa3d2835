import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { everySecondBoundary } from './second-boundary-timer.ts';

describe('everySecondBoundary', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fires just after each wall-clock second ends, wherever within a second it started', () => {
    vi.setSystemTime(10_990);
    const fired: number[] = [];
    const timer = everySecondBoundary(() => fired.push(Date.now()));
    vi.advanceTimersByTime(3_000);
    timer.stop();
    // A run that starts 10 ms before a boundary hands on that second right away, not 1 s later.
    expect(fired).toEqual([11_005, 12_005, 13_005]);
  });

  it('keeps to the boundaries when a tick runs late, and stops firing once stopped', () => {
    vi.setSystemTime(20_400);
    const fired: number[] = [];
    const timer = everySecondBoundary(() => {
      fired.push(Date.now());
      vi.setSystemTime(Date.now() + 300); // a busy thread: the tick itself takes 300 ms
    });
    vi.advanceTimersByTime(2_000);
    expect(fired).toEqual([21_005, 22_005]);
    timer.stop();
    vi.advanceTimersByTime(5_000);
    expect(fired).toHaveLength(2);
  });
});
