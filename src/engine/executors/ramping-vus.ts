// ramping-vus config (k6 lib/executor/ramping_vus.go). The VU count follows straight lines between stage
// targets, one VU at a time. Step times are computed in integer nanoseconds exactly like k6 (Go
// time.Duration arithmetic, truncating division), then reported in milliseconds.
import { formatDuration } from '../../core/index.ts';
import { readDuration, readInt, readStages } from './config-fields.ts';
import { SegmentedIndex, type ExecutionTuple } from './execution-segment.ts';
import {
  describeBase,
  stagesMaxTarget,
  sumStages,
  validateBase,
  validateStages,
  type ExecutionStep,
  type ExecutorKind,
  type RampingVusConfig,
} from './executor-config.ts';

const MAX_CONCURRENT_VUS = 100_000_000;

interface NsStep {
  t: bigint;
  vus: number;
}

const ns = (ms: number): bigint => BigInt(Math.round(ms * 1e6));
const toMs = (t: bigint): number => Number(t) / 1e6;

/**
 * The VUs this segment should have running at each moment, ignoring graceful ramp-down; with `zeroEnd`
 * a final 0-VU step is added at Σ stages. Used by the runtime to start and gracefully stop VUs.
 */
export function rampingVusRawSteps(c: RampingVusConfig, tuple: ExecutionTuple, zeroEnd: boolean): ExecutionStep[] {
  return rawSteps(c, tuple, zeroEnd).map((s) => ({ offsetMs: toMs(s.t), plannedVUs: s.vus, maxUnplannedVUs: 0 }));
}

function rawSteps(c: RampingVusConfig, tuple: ExecutionTuple, zeroEnd: boolean): NsStep[] {
  let timeTillEnd = 0n;
  let fromVUs = c.startVUs;
  const index = new SegmentedIndex(tuple);
  let { scaled, unscaled } = index.goTo(fromVUs);
  const steps: NsStep[] = [{ t: 0n, vus: scaled }];
  const addStep = (t: bigint, vus: number): void => {
    if ((steps[steps.length - 1] as NsStep).vus !== vus) steps.push({ t, vus });
  };
  for (const stage of c.stages) {
    const stageEnd = stage.target ?? 0;
    const stageDur = ns(stage.duration ?? 0);
    timeTillEnd += stageDur;
    const diff = stageEnd - fromVUs;
    if (diff === 0) continue;
    if (stageDur === 0n) {
      ({ scaled, unscaled } = index.goTo(stageEnd));
      addStep(timeTillEnd, scaled);
      fromVUs = stageEnd;
      continue;
    }
    const bigDiff = BigInt(diff);
    if (unscaled > stageEnd) {
      // Going down, a VU leaves at the time the next lower VU would have been added on the way up.
      for (; unscaled > stageEnd; { scaled, unscaled } = index.prev()) {
        addStep(timeTillEnd - (stageDur * BigInt(stageEnd - unscaled + 1)) / bigDiff, scaled - 1);
      }
    } else {
      for (; unscaled <= stageEnd; { scaled, unscaled } = index.next()) {
        addStep(timeTillEnd - (stageDur * BigInt(stageEnd - unscaled)) / bigDiff, scaled);
      }
    }
    fromVUs = stageEnd;
  }
  if (zeroEnd && (steps[steps.length - 1] as NsStep).vus !== 0) steps.push({ t: timeTillEnd, vus: 0 });
  return steps;
}

/**
 * k6 reserveVUsForGracefulRampDowns: whenever the VU count drops, keep the higher count reserved for
 * gracefulRampDown (VUs may still finish their iterations), unless the count climbs back within that window.
 */
function reserveForGracefulRampDowns(raw: NsStep[], rampDown: bigint, endOffset: bigint): NsStep[] {
  const out: NsStep[] = [];
  let lastPlanned = 0;
  let lastDownwardSlopeStep = 0;
  for (let i = 0; i < raw.length; i++) {
    const step = raw[i] as NsStep;
    if (i === 0 || step.vus > lastPlanned) {
      out.push(step);
      lastPlanned = step.vus;
      continue;
    }
    if (step.vus === lastPlanned) continue;
    let skipped = false;
    const timeoutAt = step.t + rampDown;
    let wasRampingDown = true;
    for (let adv = Math.max(lastDownwardSlopeStep, i + 1); adv < raw.length; adv++) {
      const advStep = raw[adv] as NsStep;
      if (advStep.t > timeoutAt) break;
      if (advStep.vus >= lastPlanned) {
        i = adv - 1;
        skipped = true;
        break;
      }
      if (wasRampingDown) {
        if ((raw[adv - 1] as NsStep).vus > advStep.vus) lastDownwardSlopeStep = adv;
        else wasRampingDown = false;
      }
    }
    if (skipped) continue;
    if (timeoutAt >= endOffset) break;
    out.push({ t: timeoutAt, vus: step.vus });
    lastPlanned = step.vus;
  }
  return out;
}

export const rampingVus: ExecutorKind<RampingVusConfig> = {
  type: 'ramping-vus',
  fields: ['startVUs', 'stages', 'gracefulRampDown'],
  read(raw, base, problems, path) {
    return {
      ...base,
      executor: 'ramping-vus',
      startVUs: readInt(raw.startVUs, `${path}.startVUs`, problems) ?? 1,
      stages: readStages(raw.stages, `${path}.stages`, problems) ?? [],
      gracefulRampDown: readDuration(raw.gracefulRampDown, `${path}.gracefulRampDown`, problems) ?? 30_000,
    };
  },
  validate(c) {
    const errors = validateBase(c);
    if (c.startVUs < 0) errors.push("the number of start VUs can't be negative");
    if (stagesMaxTarget(c.startVUs, c.stages) <= 0) {
      errors.push("either startVUs or one of the stages' target values must be greater than 0");
    }
    errors.push(...validateStages(c.stages));
    if (c.startVUs > MAX_CONCURRENT_VUS) errors.push(`the startVUs exceed max limit of ${MAX_CONCURRENT_VUS}`);
    c.stages.forEach((s, i) => {
      if ((s.target ?? 0) > MAX_CONCURRENT_VUS) errors.push(`target for stage ${i + 1} exceeds max limit of ${MAX_CONCURRENT_VUS}`);
    });
    return errors;
  },
  steps(c, tuple) {
    let steps = rawSteps(c, tuple, false);
    const endOffset = ns(sumStages(c.stages) + c.gracefulStop);
    if (c.gracefulRampDown > 0) steps = reserveForGracefulRampDowns(steps, ns(c.gracefulRampDown), endOffset);
    if ((steps[steps.length - 1] as NsStep).vus !== 0) steps.push({ t: endOffset, vus: 0 });
    return steps.map((s) => ({ offsetMs: toMs(s.t), plannedVUs: s.vus, maxUnplannedVUs: 0 }));
  },
  regularDurationMs: (c) => sumStages(c.stages),
  describe(c, tuple) {
    const maxVUs = tuple.scaleInt64(stagesMaxTarget(c.startVUs, c.stages));
    return `Up to ${maxVUs} looping VUs for ${formatDuration(sumStages(c.stages))} over ${c.stages.length} stages${describeBase(
      c,
      `gracefulRampDown: ${formatDuration(c.gracefulRampDown)}`,
    )}`;
  },
};
