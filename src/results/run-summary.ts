// A finished run's end-of-test summary: the data k6 hands to handleSummary(data) (metrics with values
// and threshold outcomes, root_group with groups and checks, options, state, setup_data), as the
// orchestrator stored it from the run, plus its text rendering in k6's layout.
import { StampedeError } from '../core/index.ts';
import type { SummaryData } from '../engine/index.ts';
import type { RunResults, TestRunRecord } from '../store/index.ts';

export type RunForSummary = Pick<TestRunRecord, 'id' | 'status' | 'resultsDeleted'>;

export type RunSummary = SummaryData & {
  /** k6's end-of-test text summary (compact mode, no colours); null until the engine exports its renderer. */
  text: string | null;
};

const FINAL = new Set(['completed', 'aborted']);

function isSummaryData(value: unknown): value is SummaryData {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v['metrics'] === 'object' && v['metrics'] !== null && typeof v['root_group'] === 'object' && v['root_group'] !== null;
}

/**
 * The summary answer, or the reason there is none: 409 while the run has not ended, 404 when its
 * results were swept by retention or it ended without producing a summary (e.g. aborted before running).
 */
export function runSummary(run: RunForSummary, results: RunResults | null): RunSummary {
  if (!FINAL.has(run.status)) throw new StampedeError('STAMPEDE_ERR_CONFLICT', `The summary is available once the test run has ended; it is ${run.status}`);
  if (run.resultsDeleted) throw new StampedeError('STAMPEDE_ERR_NOT_FOUND', 'The results of this test run were deleted by the retention policy');
  const data = results?.summary;
  if (!isSummaryData(data)) throw new StampedeError('STAMPEDE_ERR_NOT_FOUND', 'This test run ended without an end-of-test summary');
  // The engine's text renderer (engine/summary/text-summary.ts) is not on its public entry yet.
  return { ...data, text: null };
}
