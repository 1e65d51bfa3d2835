// Shortcut → scenario derivation (k6 v2 lib/executor/execution_config_shortcuts.go). Runs on the
// consolidated options, where the execution keys all come from one tier, so the conflicts below are
// conflicts inside a tier. The derived scenario is always called "default".
import type { JsonObject } from '../executors/config-fields.ts';
import type { K6Options } from './k6-options.ts';

export const DEFAULT_SCENARIO_NAME = 'default';

export interface Derivation {
  /** Raw scenario objects to decode (derived or given); undefined after a conflict. */
  readonly scenarios: Record<string, JsonObject> | undefined;
  /** The options with `vus`/`iterations` adjusted the way k6 does for a bare `vus`. */
  readonly options: K6Options;
  readonly problems: string[];
  readonly warnings: string[];
}

export function deriveScenarios(o: K6Options): Derivation {
  const stagesSet = o.stages !== undefined && o.stages.length > 0;
  const conflict = (msg: string): Derivation => ({ scenarios: undefined, options: o, problems: [msg], warnings: [] });
  // Like k6, the derived scenario carries `vus` only when it was set (test.options shows null otherwise);
  // the executor's default (1) applies when it is decoded.
  const vus = o.vus === undefined ? {} : { vus: o.vus };

  if (o.iterations !== undefined) {
    if (stagesSet) return conflict('using `iterations` and `stages` options simultaneously is not allowed');
    if (o.scenarios !== undefined) return conflict('using `iterations` and `scenarios` options simultaneously is not allowed');
    const s: JsonObject = { executor: 'shared-iterations', ...vus, iterations: o.iterations };
    if (o.duration !== undefined) s.maxDuration = o.duration;
    return { scenarios: { [DEFAULT_SCENARIO_NAME]: s }, options: o, problems: [], warnings: [] };
  }
  if (o.duration !== undefined) {
    if (stagesSet) return conflict('using `duration` and `stages` options simultaneously is not allowed');
    if (o.scenarios !== undefined) return conflict('using `duration` and `scenarios` options simultaneously is not allowed');
    if (o.duration <= 0) {
      return conflict('`duration` option should be more than 0, for infinite duration use the externally-controlled executor');
    }
    return {
      scenarios: { [DEFAULT_SCENARIO_NAME]: { executor: 'constant-vus', ...vus, duration: o.duration } },
      options: o,
      problems: [],
      warnings: [],
    };
  }
  if (stagesSet) {
    if (o.scenarios !== undefined) return conflict('using `stages` and `scenarios` options simultaneously is not allowed');
    const stages = (o.stages ?? []).filter((s) => s.duration !== undefined).map((s) => ({ ...s }));
    return {
      scenarios: { [DEFAULT_SCENARIO_NAME]: { executor: 'ramping-vus', ...(o.vus === undefined ? {} : { startVUs: o.vus }), stages } },
      options: o,
      problems: [],
      warnings: [],
    };
  }
  if (o.vus !== undefined && o.stages === undefined) {
    // k6 v2: a bare `vus` runs `vus` iterations shared among `vus` VUs, even over declared scenarios.
    const warnings = o.scenarios !== undefined ? [`\`vus=${o.vus}\` overrides scenarios configuration`] : [];
    return {
      scenarios: { [DEFAULT_SCENARIO_NAME]: { executor: 'shared-iterations', vus: o.vus, iterations: o.vus } },
      options: { ...o, iterations: o.vus },
      problems: [],
      warnings,
    };
  }
  if (o.scenarios !== undefined && Object.keys(o.scenarios).length > 0) {
    return { scenarios: o.scenarios, options: o, problems: [], warnings: [] };
  }
  const warnings: string[] = [];
  if (o.stages !== undefined) warnings.push('`stages` was explicitly set to an empty value, running the script with 1 iteration in 1 VU');
  if (o.scenarios !== undefined) warnings.push('`scenarios` was explicitly set to an empty value, running the script with 1 iteration in 1 VU');
  return { scenarios: { [DEFAULT_SCENARIO_NAME]: { executor: 'per-vu-iterations' } }, options: o, problems: [], warnings };
}
