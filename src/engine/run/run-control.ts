// What k6's REST API reads and changes while a run lives: the execution status, pause/resume, stop,
// live metrics and setup data. Kept apart from test-run.ts so the API side can use these names without
// loading the run machinery.
import type { LiveMetric } from '../summary/live-metrics.ts';
import type { SummaryGroup } from '../summary/summary-data.ts';

/** k6's lib.ExecutionStatus values, in their numeric order (the REST API reports the index). */
export const EXECUTION_STATUSES = [
  'Created', 'InitVUs', 'InitExecutors', 'InitDone', 'PausedBeforeRun', 'Started', 'Setup', 'Running',
  'Teardown', 'Ended', 'Interrupted', 'MarkedAsFailed',
] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

export interface ExecutionSnapshot {
  readonly status: ExecutionStatus;
  /** The run waits for a resume before setup() (`paused` option, `--paused`). */
  readonly paused: boolean;
  /** Started and not yet ended; like k6, an aborted or failed run never ends. */
  readonly running: boolean;
  /** The run was stopped: any abort (Ctrl+C, the REST API, a threshold, test.abort()). */
  readonly stopped: boolean;
  readonly vusActive: number;
  readonly vusInitialized: number;
  /** Metrics whose thresholds failed in the latest evaluation. */
  readonly breachedThresholds: number;
}

/** A refused control request, with k6's message. */
export class RunControlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunControlError';
  }
}

export interface RunControl {
  snapshot(): ExecutionSnapshot;
  /**
   * k6's Scheduler.SetPaused: a run that waits paused before its start can be resumed (once); every
   * other change throws RunControlError (no executor of Stampede, as none of k6 v2's, pauses mid-run).
   */
  setPaused(paused: boolean): void;
  /** Stops the run as k6's REST API does: exit code 103, "test run stopped from REST API". */
  stop(): void;
  metrics(): LiveMetric[];
  rootGroup(): SummaryGroup;
  /** The setup data the VUs get (JSON text), undefined when there is none. */
  setupData(): string | undefined;
  /** Replaces the setup data; the VUs get it when they start (with --no-setup, or before a resume). */
  setSetupData(json: string | undefined): void;
  /** Runs setup() now and keeps its result as the setup data; rejects with the script's error text. */
  runSetup(): Promise<void>;
  /** Runs teardown(setupData) now; rejects with the script's error text. */
  runTeardown(): Promise<void>;
}

