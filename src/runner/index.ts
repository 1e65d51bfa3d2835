// Public entry of `runner`: start a sandboxed runner process and talk to it (see protocol.ts).
export { spawnRunner, sandboxArgs, type RunnerHandle, type RunnerExit, type RunnerUsage, type SpawnRunnerOptions } from './runner-process.ts';
export type { ServerEndpoint } from './network-denial.ts';
export {
  RUNNER_ABORT_REASONS,
  RUNNER_PHASES,
  SCRIPT_CONTENT_TYPES,
  type FromRunner,
  type ToRunner,
  type PlanInfo,
  type ProgressInfo,
  type FinishedInfo,
  type RunnerAbortReason,
  type RunnerLogLine,
  type RunnerPhase,
  type RunnerShare,
  type ScriptContentType,
} from './protocol.ts';
export { failedThresholdNames, type CheckFact } from './summary-facts.ts';
