// One runner's conversation with the orchestrator (see protocol.ts): load the script in the engine,
// report the plan, run when told to, stream metrics and progress, report the end. The process
// around it (runner-main.ts) only moves lines; this class holds the logic so tests can drive it.
import { isAbsolute, resolve } from 'node:path';
import { readFile, writeFile } from 'node:fs/promises';
import { engineErrorExitCode } from './engine-port.ts';
import type { EngineIoPort, EngineLoadedTestPort, EnginePort, EngineRunningTestPort } from './engine-port.ts';
import type { FromRunner, PlanInfo, RunnerAbortReason, RunnerShare, ScriptPayload, ToRunner } from './protocol.ts';
import { LogBatcher } from './log-batcher.ts';
import { declaredDependencies, readArchiveMetadata } from './script-metadata.ts';
import { checksOf, failedThresholdsOf } from './summary-facts.ts';

export interface RunnerSessionDeps {
  engine: EnginePort;
  send(message: FromRunner): void;
  /** The run's private folder: the engine's cwd and the only place it may write. */
  workDir: string;
  /** Called once, when the conversation is over and the process may exit. */
  onDone(): void;
  progressIntervalMs?: number;
  /** Stampede's own version (`name-version`), reported in the plan's `versions`. */
  engineVersion: string;
}

// The engine knows k6's abort reasons only; a stop for a limit or by the system is, to the engine, an
// external stop like Ctrl+C. The orchestrator keeps its own reason for the record.
const ENGINE_ABORT_REASON: Record<RunnerAbortReason, string> = { user: 'user', system: 'user', limit: 'user', timeout: 'timeout' };

// Engine progress phases before the executors start; the run is `running` from the first other phase.
const PRE_RUN_PHASES = new Set(['init', 'setup']);

type State =
  | { kind: 'idle' }
  | { kind: 'loading'; abortRequested: boolean }
  | { kind: 'planned'; loaded: EngineLoadedTestPort }
  | { kind: 'running'; running: EngineRunningTestPort; timer: NodeJS.Timeout }
  | { kind: 'over' };

export class RunnerSession {
  private state: State = { kind: 'idle' };
  private readonly deps: RunnerSessionDeps;
  private readonly logs: LogBatcher;

  constructor(deps: RunnerSessionDeps) {
    this.deps = deps;
    this.logs = new LogBatcher(deps.send);
  }

  handle(message: ToRunner): void {
    switch (message.type) {
      case 'inspect':
      case 'start':
        if (this.state.kind !== 'idle') return;
        this.state = { kind: 'loading', abortRequested: false };
        void this.load(message, message.type === 'inspect', message.type === 'start' ? message.share : undefined);
        return;
      case 'proceed':
        if (this.state.kind === 'planned') this.run(this.state.loaded, message.env);
        return;
      case 'abort':
        this.abort(message.reason, message.message);
        return;
    }
  }

  /** The orchestrator is gone (stdin closed): stop whatever runs, as a system abort. */
  orphaned(): void {
    this.abort('system', 'the orchestrator went away');
  }

  private abort(reason: RunnerAbortReason, message: string | undefined): void {
    const s = this.state;
    if (s.kind === 'running') s.running.abort(ENGINE_ABORT_REASON[reason], message);
    else if (s.kind === 'loading') s.abortRequested = true;
    else if (s.kind === 'planned' || s.kind === 'idle') this.finish();
  }

  private async load(payload: ScriptPayload, inspectOnly: boolean, share: RunnerShare | undefined): Promise<void> {
    this.deps.send({ type: 'status', phase: 'initializing' });
    const data = new Uint8Array(Buffer.from(payload.script, 'base64'));
    const isArchive = payload.contentType === 'application/x-tar';
    let plan: PlanInfo;
    let loaded: EngineLoadedTestPort;
    try {
      const archive = isArchive ? await readArchiveMetadata(data) : null;
      const declared = archive?.dependencies ?? declaredDependencies(Buffer.from(data).toString('utf8'));
      loaded = await this.deps.engine.loadTest(
        { name: isArchive ? 'archive.tar' : 'script.js', data },
        {
          ...(payload.env === undefined ? {} : { env: payload.env }),
          // Nobody can resume a runner's run through k6's local REST API: a script's `paused: true`
          // would hold it forever, so the CLI tier turns the pause off.
          paused: false,
          // A share's own data is not the run's: only the control plane, merging every share, may
          // judge the thresholds (and abort for them).
          ...(share === undefined ? {} : { executionSegment: share.segment, executionSegmentSequence: share.sequence, noThresholds: true }),
        },
        this.engineIo(),
      );
      plan = {
        // The run shows the options as declared (durations as written); only without them the
        // consolidated ones.
        options: JSON.parse(JSON.stringify(loaded.scriptOptions ?? archive?.options ?? loaded.options ?? {})) as Record<string, unknown>,
        maxVUs: loaded.plan.maxVUs,
        maxPlannedVUs: loaded.plan.maxPlannedVUs,
        maxBrowserVUs: loaded.plan.maxBrowserVUs ?? 0,
        totalDurationMs: loaded.plan.totalDurationMs,
        warnings: [...loaded.warnings, ...(loaded.thresholdWarnings ?? [])],
        // An archive's own metadata.json `dependencies` (k6 v2 writes them); else what k6 v2 works
        // out (k6, every k6/x import, the directives of every imported file) when the engine says,
        // else the directives of the script (or of an older archive's main script).
        dependencies: archive?.recorded === true ? archive.dependencies : loaded.dependencies ?? declared,
        versions: this.deps.engine.k6Version === undefined
          ? { k6: this.deps.engineVersion }
          : { k6: `v${this.deps.engine.k6Version}`, stampede: this.deps.engineVersion },
      };
    } catch (err) {
      this.deps.send({ type: 'error', message: this.withoutWorkDir(err instanceof Error ? err.message : String(err)), exitCode: engineErrorExitCode(err) });
      this.finish();
      return;
    }
    if (inspectOnly) {
      this.deps.send({ type: 'inspected', ...plan });
      this.finish();
      return;
    }
    const abortRequested = this.state.kind === 'loading' && this.state.abortRequested;
    this.deps.send({ type: 'plan', ...plan });
    if (abortRequested) {
      this.finish();
      return;
    }
    this.state = { kind: 'planned', loaded };
  }

  private run(loaded: EngineLoadedTestPort, env: Record<string, string> | undefined): void {
    const running = loaded.start(env === undefined ? undefined : { env });
    running.onMetrics((batch) => this.deps.send({ type: 'metrics', batch }));
    let announced = false;
    const announceRunning = (): void => {
      if (announced) return;
      const phase = (running.progress() as { phase?: unknown } | null)?.phase;
      if (typeof phase === 'string' && PRE_RUN_PHASES.has(phase)) return;
      announced = true;
      this.deps.send({ type: 'status', phase: 'running' });
    };
    const progressEvery = this.deps.progressIntervalMs ?? 1000;
    let ticks = 0;
    const timer = setInterval(() => {
      announceRunning();
      if (++ticks % Math.max(1, Math.round(progressEvery / 100)) === 0) this.sendProgress(running);
    }, 100);
    this.state = { kind: 'running', running, timer };
    announceRunning();
    running.result.then(
      (result) => {
        clearInterval(timer);
        // A run that ended after its executors started has been running, however briefly; one
        // that failed in init or setup has not.
        announceRunning();
        this.sendProgress(running);
        this.deps.send({ type: 'status', phase: 'processing_metrics' });
        this.deps.send({
          type: 'finished',
          exitCode: result.exitCode,
          ...(result.abortReason === undefined ? {} : { abortReason: result.abortReason.replaceAll('-', '_') }),
          // A script error's stack names the script's files as uploaded, as its log line does.
          ...(result.abortMessage === undefined ? {} : { abortMessage: this.withoutWorkDir(result.abortMessage) }),
          summaryData: result.summaryData,
          thresholds: failedThresholdsOf(result.summaryData),
          checks: checksOf(result.summaryData),
          testRunDurationMs: result.testRunDurationMs,
        });
        this.finish();
      },
      (err: unknown) => {
        clearInterval(timer);
        this.deps.send({ type: 'error', message: this.withoutWorkDir(err instanceof Error ? err.message : String(err)), exitCode: engineErrorExitCode(err) });
        this.finish();
      },
    );
  }

  private sendProgress(running: EngineRunningTestPort): void {
    const raw = running.progress();
    const p = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
    const num = (k: string, from: Record<string, unknown> = p): number => (typeof from[k] === 'number' ? (from[k] as number) : 0);
    const scenarios = Array.isArray(p['scenarios']) ? (p['scenarios'] as Record<string, unknown>[]) : [];
    const iterations = num('iterations') || scenarios.reduce((sum, s) => sum + num('iterations', s), 0);
    this.deps.send({ type: 'progress', ...p, vus: num('vus') || num('vusActive'), iterations, elapsedMs: num('elapsedMs') });
  }

  private finish(): void {
    if (this.state.kind === 'over') return;
    this.logs.flush();
    if (this.state.kind === 'running') clearInterval(this.state.timer);
    this.state = { kind: 'over' };
    this.deps.send({ type: 'status', phase: 'done' });
    this.deps.onDone();
  }

  /**
   * What a script's errors say reaches whoever uploaded it: its files are named as uploaded
   * (`script.js:1:28`, `file:///script.js:2:36` in a stack), not by the runner's temporary folder,
   * which is the server's business.
   */
  private withoutWorkDir(message: string): string {
    const dir = this.deps.workDir.replace(/\/+$/, '');
    return message.split(`file://${dir}/`).join('file:///').split(`${dir}/`).join('');
  }

  private engineIo(): EngineIoPort {
    const { workDir } = this.deps;
    const inWorkDir = (path: string): string => (isAbsolute(path) ? path : resolve(workDir, path));
    return {
      cwd: workDir,
      // The runner's own environment is already scrubbed; the script sees none of it.
      env: {},
      readFile: async (path) => new Uint8Array(await readFile(inWorkDir(path))),
      writeFile: (path, data) => writeFile(inWorkDir(path), data),
      stdout: { write: (text) => this.logs.write('stdout', text), isTTY: false },
      stderr: { write: (text) => this.logs.write('stderr', text), isTTY: false },
      // Log lines go to the control plane as entries, which it keeps as the run's logs.
      // Stack traces in them name the script's files as uploaded, as a load failure does.
      logEntries: { write: (entry) => this.logs.entry({ ...entry, msg: this.withoutWorkDir(entry.msg) }) },
    };
  }
}
