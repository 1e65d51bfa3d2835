// `k6 inspect`'s document (k6 internal/cmd/inspect.go): `json.MarshalIndent(lib.Options)`, so every
// field of lib.Options in the struct's order. It differs from k6/execution's `test.options`
// (test-options.ts) in three ways:
// - the execution shortcuts vus, duration, iterations and stages are there, right after `paused`;
// - consoleOutput and localIPs are not (json:"-"); `features` is the struct's last field;
// - without --execution-requirements it is the script's own options (initRunner.GetOptions(): no
//   other tier, no defaults, so scenarios, summaryTrendStats and systemTags are null when unset).
// With --execution-requirements it is the consolidated and derived options (config file, script,
// K6_* env; no CLI flags) plus `totalDuration` and `maxVUs` of the execution plan.
import type { JsonObject } from '../executors/config-fields.ts';
import type { ExecutionPlan } from '../executors/execution-plan.ts';
import type { K6Options } from './k6-options.ts';
import { parseOptionsObject } from './parse-options.ts';
import { goDuration, stagesJson, testOptionsJson } from './test-options.ts';

const orNull = <T>(v: T | undefined): T | null => (v === undefined ? null : structuredClone(v));

/** Rearranges a `test.options`-shaped object into lib.Options' field order, with the shortcuts of `o`. */
function libOptionsOrder(base: Readonly<Record<string, unknown>>, o: K6Options): JsonObject {
  const { paused, consoleOutput: _console, localIPs: _ips, features, ...rest } = base;
  return {
    paused,
    vus: orNull(o.vus),
    duration: goDuration(o.duration),
    iterations: orNull(o.iterations),
    stages: o.stages === undefined ? null : stagesJson(o.stages),
    ...rest,
    features: features ?? null,
  };
}

/** `k6 inspect script.js`: the options the script (or the archive's metadata) declares, nothing else. */
export function scriptInspectJson(scriptOptions: unknown): JsonObject {
  const o = parseOptionsObject(scriptOptions).options;
  const base = testOptionsJson(o, o.scenarios ?? {});
  return libOptionsOrder(
    {
      ...base,
      scenarios: o.scenarios === undefined ? null : base.scenarios,
      summaryTrendStats: o.summaryTrendStats === undefined ? null : base.summaryTrendStats,
      systemTags: o.systemTags === undefined ? null : base.systemTags,
    },
    o,
  );
}

/**
 * `k6 inspect --execution-requirements`: the derived options (`testOptions`, as the run's
 * k6/execution sees them, and `options` for the shortcuts) and the plan's requirements.
 */
export function executionRequirementsJson(
  testOptions: Readonly<Record<string, unknown>>, options: K6Options, plan: ExecutionPlan,
): JsonObject {
  return {
    ...libOptionsOrder(testOptions, options),
    totalDuration: goDuration(plan.totalDurationMs),
    maxVUs: plan.maxVUs,
  };
}
