// `stampede run`'s progress block as k6 draws it (internal/cmd/ui.go renderMultipleBars,
// internal/ui/pb/progressbar.go, the scheduler's getRunStats): an empty line, the run line, then one bar
// per scenario: its name padded to the longest left text (at least k6's 4-character "Init", at most
// 30, longer names cut with "..."), a status character between spaces, the bar, and the right-hand
// columns padded to their widest across the bars. A bar is 38 characters between brackets at most,
// narrowed to fit the terminal; at 6 or less (and always without a terminal) it shows a percentage.
import { fixedDuration, fixedInt } from '../engine/index.ts';
import type { PlannedScenario, RunProgress } from '../engine/index.ts';

/** k6's pb.Status characters: running, waiting for startTime, stopping (graceful stop), done, interrupted. */
export type BarStatus = ' ' | '•' | '↓' | '✓' | '✗';

export interface Bar {
  readonly left: string;
  readonly status: BarStatus;
  readonly fraction: number;
  readonly right: readonly string[];
}

const DEFAULT_WIDTH = 40;
const MIN_WIDTH = 8;
const MAX_LEFT = 30;
const TERM_PADDING = 1;
const INIT_LEFT = 'Init';

const GREEN = '\x1b[32m';
const RED = '\x1b[31m';
const FAINT = '\x1b[2m';
const RESET = '\x1b[0m';

/** The scheduler's run line: "running (00m05.0s), 03/10 VUs, 12 complete and 0 interrupted iterations". */
export function runStatsLine(p: RunProgress, maxVUs: number): string {
  const iterations = p.scenarios.reduce((n, s) => n + s.iterations, 0);
  const interrupted = p.scenarios.reduce((n, s) => n + s.interrupted, 0);
  const status = p.phase === 'init' || p.phase === 'setup' ? 'running' : `running (${fixedDuration(p.elapsedMs, p.totalDurationMs)})`;
  return `${status}, ${fixedInt(p.vusActive, maxVUs)}/${fixedInt(p.vusInitialized, maxVUs)} VUs, ${iterations} complete and ${interrupted} interrupted iterations`;
}

/**
 * Each scenario's bar: waiting (•, "waiting" and the time left) before its startTime, ↓ while VUs
 * finish their iterations after its time is up, ✓ once its work is done (✗ when the run ended before
 * that), the executor's own right-hand text otherwise.
 */
export function scenarioBars(p: RunProgress, planned: readonly PlannedScenario[], final: boolean): Bar[] {
  return planned.map((plan) => {
    const s = p.scenarios.find((x) => x.name === plan.name);
    const fraction = s?.fraction ?? 0;
    const right = s?.right ?? (s === undefined || s.text === '' ? [] : [s.text]);
    const sinceStart = p.executorsElapsedMs;
    if (!final && p.phase === 'running' && sinceStart < plan.startTimeMs) {
      return { left: plan.name, status: '•', fraction: 0, right: ['waiting', fixedDuration(plan.startTimeMs - sinceStart, plan.startTimeMs)] };
    }
    const busy = (s?.vus ?? 0) > 0;
    const status: BarStatus = fraction >= 1 && !busy ? '✓' : final ? '✗' : fraction >= 1 ? '↓' : ' ';
    return { left: plan.name, status, fraction, right };
  });
}

function rendered(bar: Bar, maxLeft: number, width: number, color: boolean, rightPad: readonly number[]): string {
  let left = bar.left;
  if (left.length > maxLeft) left = `${left.slice(0, maxLeft - 3)}...`;
  let status: string = bar.status;
  if (color && bar.status === '✓') status = `${GREEN}✓${RESET}`;
  else if (color && bar.status === '✗') status = `${RED}✗${RESET}`;
  const progress = Math.max(0, Math.min(1, bar.fraction));
  let body: string;
  if (width > MIN_WIDTH) {
    const space = width - 2;
    const filled = Math.trunc(space * progress);
    const fill = filled <= 0 ? '' : filled < space ? `${'='.repeat(filled - 1)}>` : '='.repeat(filled);
    const padding = space > filled ? '-'.repeat(space - filled) : '';
    body = fill + (color && padding !== '' ? `${FAINT}${padding}${RESET}` : padding);
  } else {
    body = ` ${goRound(progress * 100).padStart(3)}% `;
  }
  // k6 pads every column, the last included, to the widest non-last one of its index (plus a space).
  const right = bar.right.map((r, i) => ` ${r.padEnd((rightPad[i] ?? 0) + 1)}`).join('');
  return `${left.padEnd(maxLeft)} ${status} [${body}]${right}`;
}

/** Go's `%.f`: rounds half to even. */
function goRound(v: number): string {
  const r = Math.round(v);
  return String(r - v === 0.5 && r % 2 !== 0 ? r - 1 : r);
}

/** Visible length: without colour escapes, counting code points as Go's utf8.RuneCountInString. */
function visibleLength(s: string): number {
  return [...s.replace(/\x1b\[[0-9;]*m/g, '')].length;
}

export interface BarLayout {
  /** The terminal's width; without a terminal the bars show percentages. */
  readonly termWidth: number | undefined;
  readonly color: boolean;
}

/** The block's lines: an empty one, the run line, then the bars, in k6's layout. */
export function progressBlock(head: string, bars: readonly Bar[], layout: BarLayout): string[] {
  const maxLeft = Math.min(MAX_LEFT, Math.max(INIT_LEFT.length, ...bars.map((b) => b.left.length)));
  const rightPad: number[] = [];
  for (const b of bars) {
    b.right.forEach((r, i) => {
      if (i < b.right.length - 1) rightPad[i] = Math.max(rightPad[i] ?? 0, r.length);
    });
  }
  let width = MIN_WIDTH;
  const term = layout.termWidth;
  if (term !== undefined) {
    // k6 narrows its bars until the longest line fits (widthDelta = termWidth - longestLine - 1).
    const longest = Math.max(0, ...bars.map((b) => visibleLength(rendered(b, maxLeft, DEFAULT_WIDTH, false, rightPad))));
    width = Math.max(MIN_WIDTH, Math.min(DEFAULT_WIDTH, DEFAULT_WIDTH + term - longest - TERM_PADDING));
  }
  return ['', head, ...bars.map((b) => rendered(b, maxLeft, width, layout.color, rightPad))];
}
