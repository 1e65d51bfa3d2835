// In-memory OrchestratorStore for orchestrator tests, following the Store contract for the parts the
// orchestrator uses (transitions checked by the domain rules, final statuses set `ended`).
import { StampedeError } from '../../core/index.ts';
import { appendStatus, isFinalStatus, runningSeconds, NO_LIMITS } from '../../domain/index.ts';
import { isLoadGeneratorMetric } from '../../results/index.ts';
import type { ProjectLimits } from '../../domain/index.ts';
import type { RunFieldsPatch, RunLogLine, Script, StoredMetricsBatch, TestRunRecord } from '../../store/index.ts';
import type { OrchestratorStore } from '../orchestrator-deps.ts';

export interface MemoryRun extends TestRunRecord {
  summary?: unknown;
  thresholds?: unknown;
}

export class MemoryRunStore implements OrchestratorStore {
  readonly runs = new Map<number, MemoryRun>();
  readonly scripts = new Map<number, Script>();
  readonly metrics = new Map<number, StoredMetricsBatch[]>();

  /** The run's stored batches of the engine's metrics: those the control plane wrote about its runners left out. */
  engineMetrics(runId: number): StoredMetricsBatch[] {
    return (this.metrics.get(runId) ?? []).filter((b) => !b.series.every((s) => isLoadGeneratorMetric(s.metric)));
  }
  readonly logs = new Map<number, RunLogLine[]>();
  limits: ProjectLimits = NO_LIMITS;
  /** The deployment's load zones (k6 ids), all available. */
  zones: string[] = ['amazon:us:ashburn'];
  private nextId = 1;

  addRun(script: Script, status: TestRunRecord['status'] = 'created', stackId = 1): number {
    const id = this.nextId++;
    const now = new Date();
    let history = appendStatus([], 'created', now);
    for (const s of ['queued', 'initializing', 'running'] as const) {
      if (history[history.length - 1]?.type === status) break;
      history = appendStatus(history, s, now);
    }
    this.runs.set(id, {
      id, loadTestId: 1, projectId: 1, stackId, status, statusHistory: history, result: null, resultDetails: null,
      options: null, distribution: null, maxVus: null, maxBrowserVus: null, estimatedDuration: null, executionDuration: 0,
      cost: null, k6Dependencies: {}, k6Versions: {}, startedBy: null, note: '', isStarred: false, isSaved: false,
      retentionExpiry: null, resultsDeleted: false, runnerDistribution: null, created: now, ended: null,
    });
    this.scripts.set(id, script);
    return id;
  }

  run(id: number): MemoryRun {
    const run = this.runs.get(id);
    if (run === undefined) throw new Error(`no run ${id}`);
    return run;
  }

  private apply(run: MemoryRun, fields: RunFieldsPatch): void {
    const { resultDetails, ...rest } = fields;
    Object.assign(run, rest);
    if (resultDetails !== undefined) {
      run.resultDetails = resultDetails;
      run.result = resultDetails?.type ?? null;
    }
  }

  runLogs: OrchestratorStore['runLogs'] = {
    append: async (runId, lines) => {
      this.logs.set(runId, [...(this.logs.get(runId) ?? []), ...lines]);
    },
  };

  testRuns: OrchestratorStore['testRuns'] = {
    getById: async (id) => (this.runs.has(id) ? structuredClone(this.run(id)) : null),
    getScript: async (_stackId, id) => this.scripts.get(id) ?? null,
    listUnfinished: async () => [...this.runs.values()].filter((r) => !isFinalStatus(r.status)).map((r) => structuredClone(r)),
    vuhUsedInMonth: async (projectId, _at, exclude) => [...this.runs.values()].filter((r) => r.projectId === projectId && r.id !== exclude).reduce((a, r) => a + (r.cost?.total_vuh ?? 0), 0),
    updateFields: async (id, fields) => {
      const run = this.run(id);
      this.apply(run, fields);
      return structuredClone(run);
    },
    transition: async (id, to, opts = {}) => {
      const run = this.run(id);
      const at = opts.at ?? new Date();
      const wasRunning = run.status === 'running';
      try {
        run.statusHistory = appendStatus(run.statusHistory, to, at, opts.extra ?? null);
      } catch (err) {
        throw err instanceof StampedeError ? err : new StampedeError('STAMPEDE_ERR_CONFLICT', String(err));
      }
      run.status = to;
      if (opts.fields !== undefined) this.apply(run, opts.fields);
      if (isFinalStatus(to)) {
        run.ended = at;
        const keep = opts.durationAsLastStored === true && wasRunning;
        if (opts.fields?.executionDuration === undefined && !keep) run.executionDuration = runningSeconds(run.statusHistory, at);
      }
      return structuredClone(run);
    },
  };

  projects: OrchestratorStore['projects'] = {
    getLimits: async (_stackId, projectId) => ({ projectId, ...this.limits }),
  };

  runMetrics: OrchestratorStore['runMetrics'] = {
    append: async (runId, batch) => {
      this.metrics.set(runId, [...(this.metrics.get(runId) ?? []), batch]);
    },
  };

  loadZones: OrchestratorStore['loadZones'] = {
    list: async () => this.zones.map((k6LoadZoneId, i) => ({ id: i + 1, name: `Stampede ${k6LoadZoneId}`, k6LoadZoneId, available: true, public: true, customLoadRunnerImage: null })),
  };
}
