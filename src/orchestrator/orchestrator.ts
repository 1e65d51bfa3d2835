// The orchestrator: a FIFO of queued runs, at most `maxConcurrentRuns` executing at once, each in its
// own runner process. It also answers the server's script inspections, and after a restart it
// reconciles the runs a crash left behind (the processes that carried them are gone).
import { StampedeError } from '../core/index.ts';
import { abortExtra, deriveResult, isFinalStatus, statusEntry } from '../domain/index.ts';
import type { StatusExtra } from '../domain/index.ts';
import type { ScriptContentType } from '../runner/index.ts';
import { DEFAULT_ORCHESTRATOR_CONFIG } from './orchestrator-deps.ts';
import type { OrchestratorConfig, OrchestratorLogger, OrchestratorStore } from './orchestrator-deps.ts';
import { RunExecution } from './run-execution.ts';
import { optionsOnlyScript } from './options-only-script.ts';
import { InspectionSlots, inspectWithRunner } from './script-inspection.ts';

/** What a short-lived inspection of a script (or k6 archive) in a runner learned, in k6's arithmetic. */
export interface ScriptInspection {
  /** The options as the script declared them (its `options` export, or an archive's metadata). */
  options: Record<string, unknown>;
  maxVus: number;
  maxBrowserVus: number;
  /** The execution plan's total duration, graceful stops included, in whole seconds. */
  estimatedDurationS: number;
  /** Declared k6 dependencies (`k6`, `k6/x/...`) with their version constraints. */
  dependencies: Record<string, string>;
}

/** The plan numbers of an options object, as `k6 inspect --execution-requirements` would report them. */
export interface OptionsPlan {
  maxVus: number;
  maxBrowserVus: number;
  estimatedDurationS: number;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; message: string; problems: string[] };

export interface Orchestrator {
  /** Queues a freshly created run (status `created` → `queued`); it executes when a slot is free. */
  start(runId: number): Promise<void>;
  /** Stops a non-final run: at once when queued, through its runner otherwise. CONFLICT when final. */
  abort(runId: number, byUser: string | null): Promise<void>;
  inspectScript(bytes: Uint8Array, contentType: ScriptContentType): Promise<Checked<ScriptInspection>>;
  planOptions(options: Record<string, unknown>): Promise<Checked<OptionsPlan>>;
  /** Reconciles runs left in flight by a previous process, re-queues waiting ones, starts dispatching. */
  open(): Promise<void>;
  /** Stops dispatching and aborts the runs executing here (by the system); resolves when they ended. */
  close(): Promise<void>;
  /** Runs executing now, with their runner's pid. */
  active(): { runId: number; pid: number | null }[];
}

export interface CreateOrchestratorInput {
  store: OrchestratorStore;
  config: Partial<OrchestratorConfig> & { maxConcurrentRuns: number };
  log: OrchestratorLogger;
}

const RESTART_MESSAGE = 'The server restarted while the test run was in flight';

export function createOrchestrator(input: CreateOrchestratorInput): Orchestrator {
  const config: OrchestratorConfig = Object.freeze({ ...DEFAULT_ORCHESTRATOR_CONFIG, ...input.config });
  if (!Number.isInteger(config.maxConcurrentRuns) || config.maxConcurrentRuns < 1) {
    throw new StampedeError('STAMPEDE_ERR_VALIDATION', 'maxConcurrentRuns must be a positive integer');
  }
  const { store, log } = input;
  /** Runs waiting for a slot, in the order they were queued, with their stack. */
  const queue: { runId: number; stackId: number }[] = [];
  const running = new Map<number, { execution: RunExecution; done: Promise<void>; stackId: number }>();
  let dispatching = false;
  const queued = (runId: number): number => queue.findIndex((q) => q.runId === runId);

  /** When each stack last had a run started (a dispatch counter), for turns among stacks. */
  const lastTurn = new Map<number, number>();
  let turns = 0;

  /**
   * The queued run to start next: the first of the stack with the fewest runs executing, and among
   * those the stack whose turn came longest ago, so one tenant's many runs cannot keep another's
   * waiting behind them all (FIFO within a stack).
   */
  function next(): number {
    const busy = new Map<number, number>();
    for (const r of running.values()) busy.set(r.stackId, (busy.get(r.stackId) ?? 0) + 1);
    const rank = (i: number): [number, number] => {
      const stackId = queue[i]?.stackId ?? 0;
      return [busy.get(stackId) ?? 0, lastTurn.get(stackId) ?? -1];
    };
    let best = 0;
    for (let i = 1; i < queue.length; i++) {
      const [load, turn] = rank(i);
      const [bestLoad, bestTurn] = rank(best);
      if (load < bestLoad || (load === bestLoad && turn < bestTurn)) best = i;
    }
    return best;
  }

  function pump(): void {
    while (dispatching && running.size < config.maxConcurrentRuns && queue.length > 0) {
      const [{ runId, stackId }] = queue.splice(next(), 1) as [{ runId: number; stackId: number }];
      lastTurn.set(stackId, turns++);
      const execution = new RunExecution(runId, { store, config, log });
      const done = execution.execute().finally(() => {
        running.delete(runId);
        pump();
      });
      running.set(runId, { execution, done, stackId });
    }
  }

  function enqueue(runId: number, stackId: number): void {
    if (queued(runId) < 0 && !running.has(runId)) queue.push({ runId, stackId });
    pump();
  }

  // `lostRunners`: the run's runners went with a previous process, at a moment nobody saw.
  async function abortWithoutRunner(runId: number, extra: StatusExtra, lostRunners = false): Promise<void> {
    const run = await store.testRuns.getById(runId);
    if (run === null || isFinalStatus(run.status)) return;
    const at = new Date();
    const resultDetails = deriveResult({ final: statusEntry('aborted', at, extra), failedThresholds: [] });
    await store.testRuns.transition(runId, 'aborted', { at, extra, fields: { resultDetails }, ...(lostRunners && { durationAsLastStored: true }) });
  }

  const slots = new InspectionSlots(config.maxConcurrentInspections);
  const inspection = { timeoutMs: config.inspectTimeoutMs, memoryBytes: config.runnerMemoryBytes, diskBytes: config.runnerDiskBytes, ...(config.runnerTmpRoot === undefined ? {} : { runnerTmpRoot: config.runnerTmpRoot }), ...(config.engineModule === undefined ? {} : { engineModule: config.engineModule }), ...(config.runnerDeniedEndpoints === undefined ? {} : { deniedEndpoints: config.runnerDeniedEndpoints }) };

  return {
    async start(runId) {
      const run = await store.testRuns.getById(runId);
      if (run === null) throw new StampedeError('STAMPEDE_ERR_NOT_FOUND', `Test run ${runId} not found`);
      if (run.status === 'created') await store.testRuns.transition(runId, 'queued');
      else if (run.status !== 'queued') throw new StampedeError('STAMPEDE_ERR_CONFLICT', `Test run ${runId} is ${run.status}, not waiting to start`);
      enqueue(runId, run.stackId);
    },

    async abort(runId, byUser) {
      const extra = abortExtra('by_user', { byUser });
      const active = running.get(runId);
      if (active !== undefined) {
        active.execution.requestAbort('by_user', extra);
        return;
      }
      const run = await store.testRuns.getById(runId);
      if (run === null) throw new StampedeError('STAMPEDE_ERR_NOT_FOUND', `Test run ${runId} not found`);
      if (isFinalStatus(run.status)) throw new StampedeError('STAMPEDE_ERR_CONFLICT', `Test run has already ended (${run.status})`);
      // A slot may have freed for it while the store answered: then its runner must be told to stop.
      const dispatched = running.get(runId);
      if (dispatched !== undefined) {
        dispatched.execution.requestAbort('by_user', extra);
        return;
      }
      const i = queued(runId);
      if (i >= 0) queue.splice(i, 1);
      await abortWithoutRunner(runId, extra);
    },

    async inspectScript(bytes, contentType) {
      const result = await slots.with(() => inspectWithRunner(bytes, contentType, inspection));
      if (!result.ok) return { ok: false, message: result.message, problems: result.problems };
      const { plan } = result;
      return {
        ok: true,
        value: { options: plan.options, maxVus: plan.maxVUs, maxBrowserVus: plan.maxBrowserVUs, estimatedDurationS: Math.ceil(plan.totalDurationMs / 1000), dependencies: plan.dependencies },
      };
    },

    async planOptions(options) {
      const result = await slots.with(() => inspectWithRunner(optionsOnlyScript(options), 'text/javascript', inspection));
      if (!result.ok) return { ok: false, message: result.message, problems: result.problems };
      return { ok: true, value: { maxVus: result.plan.maxVUs, maxBrowserVus: result.plan.maxBrowserVUs, estimatedDurationS: Math.ceil(result.plan.totalDurationMs / 1000) } };
    },

    async open() {
      for (const run of await store.testRuns.listUnfinished()) {
        if (running.has(run.id)) continue;
        try {
          if (run.status === 'created') await store.testRuns.transition(run.id, 'queued');
          if (run.status === 'created' || run.status === 'queued') {
            if (queued(run.id) < 0) queue.push({ runId: run.id, stackId: run.stackId });
            continue;
          }
          log.warn({ runId: run.id, status: run.status }, 'reconciling a run left in flight');
          await abortWithoutRunner(run.id, abortExtra('by_system', { message: RESTART_MESSAGE }), true);
        } catch (err) {
          log.error({ runId: run.id, err }, 'could not reconcile run');
        }
      }
      dispatching = true;
      pump();
    },

    async close() {
      dispatching = false;
      const ending = [...running.values()];
      for (const { execution } of ending) execution.requestAbort('by_system', abortExtra('by_system', { message: 'The server is shutting down' }));
      await Promise.all(ending.map((r) => r.done));
    },

    active() {
      return [...running.values()].map(({ execution }) => ({ runId: execution.runId, pid: execution.pid }));
    },
  };
}
