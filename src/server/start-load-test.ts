// Starting a run of a load test, as `POST /load_tests/{id}/start` and a schedule's trigger both do:
// the run is created with a snapshot of the test's script and handed to the orchestrator.
import { StampedeError } from '../core/index.ts';
import type { Store, TestRunRecord } from '../store/index.ts';
import type { RunControl } from './run-control.ts';
import { retryWhileStoreUnavailable } from './store-retry.ts';

export interface StartLoadTestInput {
  stackId: number;
  loadTestId: number;
  /** The starting user's email; null for a stack token. */
  startedBy: string | null;
  now: Date;
  idempotencyKey?: string;
}

/** The run as stored after it was handed over (the same run again for a repeated idempotency key). NOT_FOUND when the test has no script. */
export async function startLoadTest(deps: { store: Store; runs: Pick<RunControl, 'start'> }, input: StartLoadTestInput): Promise<TestRunRecord> {
  const script = await deps.store.loadTests.getScript(input.stackId, input.loadTestId);
  if (script === null) {
    // Start documents no 400: the script to run is not found, as GET …/script answers for the same test.
    throw new StampedeError('STAMPEDE_ERR_NOT_FOUND', 'The load test has no script yet; upload one with PUT /cloud/v6/load_tests/{id}/script', { target: 'script' });
  }
  const { run, reused } = await deps.store.testRuns.create({
    stackId: input.stackId,
    loadTestId: input.loadTestId,
    startedBy: input.startedBy,
    script,
    now: input.now,
    ...(input.idempotencyKey !== undefined && { idempotencyKey: input.idempotencyKey }),
  });
  // The run exists now: queueing it and reading it back are tried again through a brief store outage
  // (a 500 here would have the client start another run while this one goes on).
  if (!reused) await retryWhileStoreUnavailable(() => deps.runs.start(run.id));
  return (await retryWhileStoreUnavailable(() => deps.store.testRuns.get(input.stackId, run.id))) ?? run;
}
