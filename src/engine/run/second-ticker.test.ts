import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { everySecondFrom } from './second-ticker.ts';

describe('everySecondFrom', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fires a whole second after the start and every second after it, none before', () => {
    vi.setSystemTime(10_300);
    const fired: number[] = [];
    const ticker = everySecondFrom(10_300, () => fired.push(Date.now()));
    vi.advanceTimersByTime(999);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(2_001);
    ticker.stop();
    vi.advanceTimersByTime(5_000);
    expect(fired).toEqual([11_300, 12_300, 13_300]);
  });

  it('keeps to start + n s when a tick runs late, dropping the ticks a busy thread missed', () => {
    vi.setSystemTime(20_000);
    const fired: number[] = [];
    const ticker = everySecondFrom(20_000, () => {
      fired.push(Date.now());
      if (fired.length === 1) vi.setSystemTime(Date.now() + 1_500); // the first tick takes 1.5 s
    });
    vi.advanceTimersByTime(2_000); // the clock's jump counts: this ends at 23 500
    ticker.stop();
    expect(fired).toEqual([21_000, 23_000]);
  });
});
