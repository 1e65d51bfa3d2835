import { describe, expect, it } from 'vitest';
import { leadingPart, mergeProgressFraction, mergeProgressRight } from './progress-merge.ts';

describe('a scenario\'s progress over several worker threads', () => {
  it('adds up VUs and iterations as one k6 process counts them, keeps times and per-VU counts', () => {
    expect(mergeProgressRight([['1 VUs', '01.0s/3s'], ['1 VUs', '01.0s/3s']])).toEqual(['2 VUs', '01.0s/3s']);
    expect(mergeProgressRight([['3 VUs', '00m01.1s/10m0s', '4/9 iters, 3 per VU'], ['2 VUs', '00m01.0s/10m0s', '2/6 iters, 3 per VU']]))
      .toEqual(['5 VUs', '00m01.1s/10m0s', '06/15 iters, 3 per VU']);
    expect(mergeProgressRight([['5 VUs', '0m01.0s/1m0s', '30/50 shared iters'], ['5 VUs', '0m01.0s/1m0s', '20/50 shared iters']]))
      .toEqual(['10 VUs', '0m01.0s/1m0s', '050/100 shared iters']);
    expect(mergeProgressRight([['2/5 VUs', '10.0s/30s'], ['3/5 VUs', '10.0s/30s']])).toEqual(['05/10 VUs', '10.0s/30s']);
    expect(mergeProgressRight([['1/1 VUs', '1.0s/2s', '5.00 iters/s'], ['0/1 VUs', '1.0s/2s', '5.00 iters/s']]))
      .toEqual(['1/2 VUs', '1.0s/2s', '10.00 iters/s']);
  });

  it('one thread\'s fragments are kept as they are', () => {
    expect(mergeProgressRight([['1 VUs', '1s']])).toEqual(['1 VUs', '1s']);
  });
});

describe('a scenario\'s fraction over several worker threads', () => {
  it('is the slowest thread still running it', () => {
    expect(mergeProgressFraction([{ fraction: 0.4 }, { fraction: 0.6 }])).toBe(0.4);
    // A thread without VUs of the scenario does not hold it back.
    expect(mergeProgressFraction([{ fraction: 0, idle: true }, { fraction: 0.6 }])).toBe(0.6);
  });

  it('leaves out a thread whose share has returned while another still runs', () => {
    // ramping-arrival-rate: one thread's share had no iteration to start and returned at once.
    expect(mergeProgressFraction([{ fraction: 0, done: true }, { fraction: 0.5 }])).toBe(0.5);
  });

  it('once every thread has returned, stops where the last one stopped', () => {
    expect(mergeProgressFraction([{ fraction: 0, done: true }, { fraction: 0.77, done: true }])).toBe(0.77);
    expect(mergeProgressFraction([{ fraction: 1, done: true }, { fraction: 1, done: true }])).toBe(1);
    expect(mergeProgressFraction([{ fraction: 0, idle: true }, { fraction: 0.3, done: true }])).toBe(0.3);
  });

  it('threads that all have no VUs of the scenario stay where they are', () => {
    expect(mergeProgressFraction([{ fraction: 0, idle: true }, { fraction: 0, idle: true }])).toBe(0);
  });
});

describe('the times beside a scenario\'s bar over several worker threads', () => {
  it('are the leading thread\'s, the one the fraction is taken from', () => {
    // ramping-arrival-rate after both threads returned: the bar stops where the later one stopped
    // (82 % of 2s), and so does its time; VUs still add up.
    const parts = [{ fraction: 0.6, done: true }, { fraction: 0.82, done: true }];
    expect(leadingPart(parts)).toBe(1);
    expect(mergeProgressFraction(parts)).toBe(0.82);
    expect(mergeProgressRight([['0/1 VUs', '1.2s/2s'], ['0/1 VUs', '1.6s/2s']], leadingPart(parts)))
      .toEqual(['0/2 VUs', '1.6s/2s']);
  });

  it('while threads run, the slowest running one leads', () => {
    expect(leadingPart([{ fraction: 0.5, done: true }, { fraction: 0.3 }, { fraction: 0.4 }])).toBe(1);
    expect(leadingPart([{ fraction: 0, idle: true }, { fraction: 0.6 }])).toBe(1);
  });
});

describe('a ramping-vus stopped early over several worker threads', () => {
  it('counts to the latest ramp-down end of the threads, as one k6 process counts to the scenario\'s', () => {
    // Stopped at 4s: one share's VUs reach 0 at 5.33s, the other's at 6s.
    const parts = [
      { fraction: 0.75, done: true, regularMs: 5_333 },
      { fraction: 4 / 6, done: true, regularMs: 6_000 },
    ];
    expect(leadingPart(parts)).toBe(1);
    expect(mergeProgressRight([['0/2 VUs', '4.0s/5.333333334s'], ['0/1 VUs', '4.0s/6s']], leadingPart(parts)))
      .toEqual(['0/3 VUs', '4.0s/6s']);
    // Run to its end, both at 100 %: the scenario's end.
    expect(leadingPart([{ fraction: 1, done: true, regularMs: 5_333 }, { fraction: 1, done: true, regularMs: 6_000 }])).toBe(1);
  });
});
