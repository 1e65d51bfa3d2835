// The variables Grafana Cloud k6 gives a cloud run's script in `__ENV` (its "cloud execution context
// variables"): the test run's id, the load zone and sequential instance number of the load generator
// the script runs on, and the `options.cloud.distribution` label of that zone. Scripts branch on them
// (per-zone data or targets), and the http-instrumentation-pyroscope jslib sends the run id.

import { distributionOption } from '../domain/index.ts';

/** The distribution label whose entry names `loadZone` (the first one); the zone itself when none does (no distribution option). */
export function distributionLabel(options: Record<string, unknown> | null | undefined, loadZone: string): string {
  const distribution = distributionOption(options).raw;
  if (typeof distribution === 'object' && distribution !== null) {
    for (const [label, entry] of Object.entries(distribution)) {
      if (typeof entry === 'object' && entry !== null && (entry as Record<string, unknown>)['loadZone'] === loadZone) return label;
    }
  }
  return loadZone;
}

/** `label`: the distribution entry the runner carries, when known; else the first label naming its zone. */
export function cloudRunEnv(runId: number, loadZone: string, instanceId: number, options: Record<string, unknown> | null | undefined, label?: string): Record<string, string> {
  return {
    K6_CLOUDRUN_TEST_RUN_ID: String(runId),
    K6_CLOUDRUN_LOAD_ZONE: loadZone,
    K6_CLOUDRUN_INSTANCE_ID: String(instanceId),
    K6_CLOUDRUN_DISTRIBUTION: label ?? distributionLabel(options, loadZone),
  };
}
