// The execution plan of a whole test (k6 lib/executors.go GetFullExecutionRequirements, lib/helpers.go):
// every scenario's steps shifted by its startTime, merged on one timeline by summing what each scenario
// reserves at that moment. Max VUs, pre-initialised VUs and total duration come from the merged steps.
import { ExecutionTuple } from './execution-segment.ts';
import { toNumber } from './rational.ts';
import type { ExecutionStep, ExecutorType, ScenarioConfig } from './executor-config.ts';
import { executorKind, sortScenarios } from './scenario-config.ts';

export interface PlannedScenario {
  readonly name: string;
  readonly executor: ExecutorType;
  readonly startTimeMs: number;
  /** startTime + regular duration + graceful windows: when the scenario's last step ends. */
  readonly endOffsetMs: number;
  /** Most VUs this scenario may use at once (planned + unplanned), in the planned segment. */
  readonly maxVUs: number;
  readonly exec: string;
  /** k6's description line, e.g. "10 looping VUs for 30s (gracefulStop: 30s)". */
  readonly description: string;
}

export interface ExecutionPlan {
  /** k6 GetMaxPossibleVUs: the most planned + unplanned VUs at any step ("N max VUs"). */
  readonly maxVUs: number;
  /** k6 GetMaxPlannedVUs: VUs initialised before the test starts. */
  readonly maxPlannedVUs: number;
  /** k6 GetEndOffset: offset of the last step (includes graceful stops; excludes setup/teardown). */
  readonly totalDurationMs: number;
  /** Most VUs of browser scenarios (`options.browser.type` set) at once: what Grafana Cloud k6 bills as browser VUs. */
  readonly maxBrowserVUs: number;
  /** Scenarios sorted by (startTime, name). */
  readonly scenarios: readonly PlannedScenario[];
  readonly steps: readonly ExecutionStep[];
  /** The execution segment's share of the whole test (k6 ExecutionSegment.FloatLength); 1 when absent. */
  readonly segmentLength?: number;
}

/** Merges scenarios' steps exactly like k6 (stable sort by offset then scenario order; equal sums are collapsed). */
export function mergeSteps(sorted: readonly ScenarioConfig[], tuple: ExecutionTuple): ExecutionStep[] {
  const tracked: { step: ExecutionStep; id: number }[] = [];
  sorted.forEach((config, id) => {
    for (const s of executorKind(config).steps(config, tuple)) {
      tracked.push({ step: { ...s, offsetMs: s.offsetMs + config.startTime }, id });
    }
  });
  tracked.sort((a, b) => a.step.offsetMs - b.step.offsetMs || a.id - b.id);
  const planned = sorted.map(() => 0);
  const unplanned = sorted.map(() => 0);
  const out: ExecutionStep[] = [];
  const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
  for (const { step, id } of tracked) {
    planned[id] = step.plannedVUs;
    unplanned[id] = step.maxUnplannedVUs;
    const p = sum(planned);
    const u = sum(unplanned);
    const last = out[out.length - 1];
    if (!last || last.plannedVUs !== p || last.maxUnplannedVUs !== u) out.push({ offsetMs: step.offsetMs, plannedVUs: p, maxUnplannedVUs: u });
  }
  return out;
}

export function buildExecutionPlan(scenarios: readonly ScenarioConfig[], tuple: ExecutionTuple = ExecutionTuple.of()): ExecutionPlan {
  const sorted = sortScenarios(scenarios);
  const steps = mergeSteps(sorted, tuple);
  const planned = sorted.map((config) => {
    const kind = executorKind(config);
    const own = kind.steps(config, tuple);
    return {
      name: config.name,
      executor: config.executor,
      startTimeMs: config.startTime,
      endOffsetMs: config.startTime + (own[own.length - 1]?.offsetMs ?? 0),
      maxVUs: own.reduce((m, s) => Math.max(m, s.plannedVUs + s.maxUnplannedVUs), 0),
      exec: config.exec,
      description: kind.describe(config, tuple),
    };
  });
  const browserScenarios = sorted.filter(isBrowserScenario);
  const browserSteps = browserScenarios.length === 0 ? [] : mergeSteps(browserScenarios, tuple);
  return {
    maxVUs: peakVUs(steps),
    maxPlannedVUs: steps.reduce((m, s) => Math.max(m, s.plannedVUs), 0),
    totalDurationMs: steps[steps.length - 1]?.offsetMs ?? 0,
    maxBrowserVUs: peakVUs(browserSteps),
    scenarios: planned,
    steps,
    segmentLength: toNumber(tuple.segment.length),
  };
}

function peakVUs(steps: readonly ExecutionStep[]): number {
  return steps.reduce((m, s) => Math.max(m, s.plannedVUs + s.maxUnplannedVUs), 0);
}

/** A scenario that drives a browser: k6's browser module requires `options.browser.type` on it. */
function isBrowserScenario(config: ScenarioConfig): boolean {
  const browser = config.options?.browser;
  return typeof browser === 'object' && browser !== null && !Array.isArray(browser) && typeof (browser as { type?: unknown }).type === 'string' && (browser as { type: string }).type !== '';
}
