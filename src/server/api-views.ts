// Store records → the v6 response models. Field names and null-ness follow the spec's schemas; the
// response-schema checks in the tests hold these functions to it.
import { computeCost, isFinalStatus, runningSeconds } from '../domain/index.ts';
import type { TestCost } from '../domain/index.ts';
import type { LoadTestRecord, LoadZoneRecord, ProjectLimitsRecord, ProjectRecord, TestRunRecord } from '../store/index.ts';

export function projectView(p: ProjectRecord) {
  return { id: p.id, name: p.name, is_default: p.isDefault, grafana_folder_uid: null, created: p.created.toISOString(), updated: p.updated.toISOString() };
}

export function limitsView(l: ProjectLimitsRecord) {
  return {
    project_id: l.projectId,
    vuh_max_per_month: l.vuh_max_per_month,
    vu_max_per_test: l.vu_max_per_test,
    vu_browser_max_per_test: l.vu_browser_max_per_test,
    duration_max_per_test: l.duration_max_per_test,
  };
}

export function loadTestView(t: LoadTestRecord) {
  return {
    id: t.id,
    project_id: t.projectId,
    name: t.name,
    baseline_test_run_id: t.baselineTestRunId,
    k6_version: t.k6Version,
    created: t.created.toISOString(),
    updated: t.updated.toISOString(),
  };
}

export function loadZoneView(z: LoadZoneRecord) {
  return { id: z.id, name: z.name, k6_load_zone_id: z.k6LoadZoneId, available: z.available, custom_load_runner_image: z.customLoadRunnerImage, public: z.public };
}

/**
 * A run as v6 TestRunApiModel. While a run is not final, `execution_duration` counts up to `now` and,
 * when the orchestrator has not stored a cost yet, the cost is the estimate from the plan.
 */
export function testRunView(r: TestRunRecord, now: Date) {
  const final = isFinalStatus(r.status);
  const last = r.statusHistory[r.statusHistory.length - 1];
  return {
    id: r.id,
    test_id: r.loadTestId,
    project_id: r.projectId,
    started_by: r.startedBy,
    created: r.created.toISOString(),
    ended: r.ended?.toISOString() ?? null,
    note: r.note,
    retention_expiry: r.retentionExpiry?.toISOString() ?? null,
    cost: r.cost ?? estimatedCost(r, final),
    status: r.status,
    status_details: last ?? { type: r.status, entered: r.created.toISOString(), extra: null },
    status_history: r.statusHistory,
    distribution: r.distribution,
    result: r.result,
    result_details: r.resultDetails,
    options: r.options,
    k6_dependencies: r.k6Dependencies,
    k6_versions: r.k6Versions,
    max_vus: r.maxVus,
    max_browser_vus: r.maxBrowserVus,
    estimated_duration: r.estimatedDuration,
    execution_duration: final ? r.executionDuration : Math.max(r.executionDuration, runningSeconds(r.statusHistory, now)),
    is_starred: r.isStarred,
  };
}

// Used only when the orchestrator has not stored a cost: the planned duration while the run is in
// flight, the seconds it really ran once final.
function estimatedCost(r: TestRunRecord, final: boolean): TestCost | null {
  const seconds = final ? r.executionDuration : r.estimatedDuration;
  if (r.maxVus === null || seconds === null) return null;
  return computeCost({ maxVus: r.maxVus, maxBrowserVus: r.maxBrowserVus ?? 0, durationSeconds: seconds });
}
