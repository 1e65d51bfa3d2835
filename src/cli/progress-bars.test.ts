// k6's progress bar rendering (internal/ui/pb/progressbar_test.go, internal/cmd/ui.go) against the
// block `stampede run` draws.
import { describe, expect, it } from 'vitest';
import type { PlannedScenario, RunProgress } from '../engine/index.ts';
import { progressBlock, runStatsLine, scenarioBars, type Bar } from './progress-bars.ts';

const bar = (fraction: number, right: string[] = [], status: Bar['status'] = ' ', left = 'left'): Bar => ({ left, status, fraction, right });
/** A bar's line on a terminal of `termWidth` columns (null: no terminal). */
const line = (b: Bar, termWidth: number | null = 200): string => progressBlock('head', [b], { termWidth: termWidth ?? undefined, color: false })[2] ?? '';

describe('progress bars (k6 TestProgressBarRender)', () => {
  it('draws 38 characters between brackets: = up to the caret, - after it, none at 0 and all = at 1 (clamped)', () => {
    expect(line(bar(0))).toBe('left   [--------------------------------------]');
    expect(line(bar(0, [], '✓'))).toBe('left ✓ [--------------------------------------]');
    expect(line(bar(0, ['right']))).toBe('left   [--------------------------------------] right');
    expect(line(bar(0.5, ['right']))).toBe('left   [==================>-------------------] right');
    expect(line(bar(1, ['right']))).toBe('left   [======================================] right');
    expect(line(bar(-1, ['right']))).toBe('left   [--------------------------------------] right');
    expect(line(bar(2, ['right']))).toBe('left   [======================================] right');
    expect(line(bar(0.2, ['constProgress']))).toBe('left   [======>-------------------------------] constProgress');
  });

  it('shows a percentage without a terminal, and narrows the bar to fit a narrow one', () => {
    expect(line(bar(0.25, ['']), null)).toBe('left   [  25% ]  ');
    expect(line(bar(0.5, ['x']), 40)).toBe('left   [=============>--------------] x');
    expect(line(bar(0.5, ['x']), 10)).toBe('left   [  50% ] x');
  });

  it('pads names to the longest (at least 4, k6\'s "Init"), cuts those over 30 with "...", and aligns the right-hand columns', () => {
    const lines = progressBlock('running', [bar(1, ['1 VUs', '10s'], '✓', 'a'), bar(0, ['10/100 VUs', '01.0s/10s', 'last'], ' ', 'x'.repeat(35))], { termWidth: undefined, color: false });
    expect(lines).toEqual([
      '',
      'running',
      `a${' '.repeat(29)} ✓ [ 100% ] 1 VUs       10s       `,
      `${'x'.repeat(27)}...   [   0% ] 10/100 VUs  01.0s/10s  last`,
    ]);
    expect(progressBlock('h', [bar(0, [], ' ', 's')], { termWidth: undefined, color: false })[2]).toBe('s      [   0% ]');
  });

  it('colours the status and the bar\'s padding on a terminal', () => {
    const [, , l] = progressBlock('h', [bar(0.5, [], '✓')], { termWidth: 200, color: true });
    expect(l).toBe('left \x1b[32m✓\x1b[0m [==================>\x1b[2m-------------------\x1b[0m]');
  });
});

describe('the run line and the scenarios\' states', () => {
  const progress = (over: Partial<RunProgress>): RunProgress => ({
    phase: 'running', elapsedMs: 1_500, executorsElapsedMs: 1_500, totalDurationMs: 630_000, vusActive: 3, vusInitialized: 10, scenarios: [], ...over,
  });
  const plan = (name: string, startTimeMs: number): PlannedScenario =>
    ({ name, executor: 'constant-vus', startTimeMs, endOffsetMs: 0, maxVUs: 1, exec: 'default', description: '' });

  it('pads VU counts to the width of the run\'s max VUs and the time to its max duration (k6 getRunStats)', () => {
    const p = progress({ scenarios: [{ name: 'a', fraction: 0.5, text: '', vus: 3, iterations: 7, interrupted: 1, dropped: 0 }] });
    expect(runStatsLine(p, 10)).toBe('running (00m01.5s), 03/10 VUs, 7 complete and 1 interrupted iterations');
    expect(runStatsLine({ ...p, totalDurationMs: 5_000 }, 3)).toBe('running (1.5s), 3/10 VUs, 7 complete and 1 interrupted iterations');
  });

  it('a scenario before its startTime waits (•, the time left), one in its graceful stop is ↓, one whose work is done ✓, one cut short ✗ at the end', () => {
    const p = progress({
      scenarios: [
        { name: 'done', fraction: 1, text: '1 VUs  1s', right: ['1 VUs', '1s'], vus: 0, iterations: 1, interrupted: 0, dropped: 0 },
        { name: 'cut', fraction: 0.4, text: '1 VUs  0.4s/1s', right: ['1 VUs', '0.4s/1s'], vus: 1, iterations: 1, interrupted: 0, dropped: 0 },
        { name: 'stopping', fraction: 1, text: '2 VUs  1s', right: ['2 VUs', '1s'], vus: 2, iterations: 1, interrupted: 0, dropped: 0 },
      ],
    });
    const planned = [plan('done', 0), plan('cut', 0), plan('stopping', 0), plan('later', 10_000)];
    expect(scenarioBars(p, planned, false)).toEqual([
      { left: 'done', status: '✓', fraction: 1, right: ['1 VUs', '1s'] },
      { left: 'cut', status: ' ', fraction: 0.4, right: ['1 VUs', '0.4s/1s'] },
      { left: 'stopping', status: '↓', fraction: 1, right: ['2 VUs', '1s'] },
      { left: 'later', status: '•', fraction: 0, right: ['waiting', '08.5s'] },
    ]);
    expect(scenarioBars(p, planned, true).map((b) => b.status)).toEqual(['✓', '✗', '✗', '✗']);
  });

  it('counts the run\'s time from before setup() and a startTime from the executors\' start (k6 MarkStarted, runExecutor)', () => {
    // setup() took 2s: the run line says 3.5s, the scenario starting at 10s has 8.5s left to wait.
    const p = progress({ elapsedMs: 3_500, executorsElapsedMs: 1_500 });
    expect(runStatsLine(p, 10)).toBe('running (00m03.5s), 03/10 VUs, 0 complete and 0 interrupted iterations');
    expect(scenarioBars(p, [plan('later', 10_000)], false)[0]?.right).toEqual(['waiting', '08.5s']);
  });
});
