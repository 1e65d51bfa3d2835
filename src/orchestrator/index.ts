// Public entry of `orchestrator`: queue, dispatch to sandboxed runner processes, abort, reconcile.
export {
  createOrchestrator,
  type Orchestrator,
  type CreateOrchestratorInput,
  type ScriptInspection,
  type OptionsPlan,
  type Checked,
} from './orchestrator.ts';
export { DEFAULT_ORCHESTRATOR_CONFIG, type OrchestratorConfig, type OrchestratorLogger, type OrchestratorStore } from './orchestrator-deps.ts';
