// Local-execution runs (`k6 cloud run --local-execution`): k6 runs the test on the user's machine and
// Stampede records it as a run of the load test, the way Grafana Cloud k6 does through its
// provisioning API (k6: internal/cloudapi/provisioning, internal/cmd/outputs_cloud.go).
//
// k6's sequence: create or find the load test (v6), POST start_local_execution (options, max VUs,
// total duration, archive size), PUT the archive to the returned upload URL, poll GET
// /cloud/v6/test_runs/{id} until `initializing`, run the test while its cloud output pushes protobuf
// metrics (and Loki logs) signed with the run's token, then POST notify (script_execution_completed,
// with an error when the test did not complete) with that token.
//
// The run moves created → queued → initializing when k6 may start (at once, or once its archive has
// arrived), → running with the first metrics (entered at the first sample's time), and ends on notify.
// No runner executes it: the orchestrator leaves runs with a test run token alone.
import { StampedeError } from '../core/index.ts';
import { abortExtra, checkProjectLimits, computeCost, isFinalStatus, NO_LIMITS, RUN_STATUSES, runningMs } from '../domain/index.ts';
import type { AbortReason, RunStatus, StatusExtra } from '../domain/index.ts';
import { capSeries, createSeriesCapState, summarizeMergedBatches } from '../results/index.ts';
import type { K6MetricsPush, SeriesCapState } from '../results/index.ts';
import type { Script, TestRunRecord } from '../store/index.ts';
import type { ApiContext, Caller } from './api-context.ts';
import { LOKI_TAIL_PATH } from './run-log-views.ts';
import { runDetailsPageUrl } from './routes/run-details-page-route.ts';
import { validationError } from './validation-error.ts';

/** The spec's StartLocalExecutionTestRequest (checked against the spec before it gets here). */
export interface StartLocalExecutionRequest {
  options: Record<string, unknown>;
  max_vus: number;
  total_duration: number;
  instances?: number | null;
  archive_size?: number | null;
}

/** The spec's ScriptExecutionCompletedNotificationApiModel. */
export interface ScriptExecutionCompleted {
  event_type: 'script_execution_completed';
  error?: { code: number; reason: string; detail?: string | null } | null;
  /**
   * A Stampede extension (the schema allows other fields; k6 sends none): the test run duration the
   * client measured, as its own summary divides by (k6's MarkStarted to MarkEnded, setup and teardown in).
   */
  test_run_duration_ms?: unknown;
}

/**
 * The duration the run's summary rates divide by: the client's measured test run duration when it sent
 * one that fits the run (more than 0, not longer than the run has existed), else the time the run spent
 * in `running` (from its first pushed second to this notification: a little longer than the test).
 */
export function summaryDurationMs(event: ScriptExecutionCompleted, run: Pick<TestRunRecord, 'created' | 'statusHistory'>, now: Date): number {
  const measured = event.test_run_duration_ms;
  if (typeof measured === 'number' && Number.isFinite(measured) && measured > 0 && measured <= now.getTime() - run.created.getTime()) return measured;
  return runningMs(run.statusHistory, now);
}

/** Metrics aggregation asked of k6: one-second buckets, as Stampede's runners store them. */
const METRICS_CONFIG = {
  push_interval: '1s',
  push_concurrency: null,
  aggregation_period: '1s',
  aggregation_wait_period: '3s',
  aggregation_min_samples: null,
  max_samples_per_package: null,
} as const;

/** Runs whose series-cap state is kept in memory at once (the oldest is forgotten beyond). */
const MAX_TRACKED_RUNS = 1000;

/**
 * k6's notify error codes (internal/cloudapi/provisioning/notify.go mapTestErrorToNotifyCode) as
 * Stampede's abort reasons. 8036 is a user abort, `test.abort()` or an abortOnFail threshold: the
 * thresholds judged on the pushed metrics tell the last one apart. 8035 is a script error (8030, the
 * spec's example, a setup() error); 8034 a timeout or the cloud output failing, which k6 does not
 * tell apart; anything else (0: unknown) an abort by the system.
 */
function abortReasonOf(code: number, thresholdsFailed: boolean): AbortReason {
  if (code === 8036) return thresholdsFailed ? 'threshold' : 'by_user';
  if (code === 8035 || code === 8030) return 'script_error';
  return 'by_system';
}

/** The namespace of local executions' idempotency keys in the store (cloud starts use the key as sent). */
const LOCAL_KEY_PREFIX = 'local:';

export class LocalExecutionRuns {
  private readonly caps = new Map<number, SeriesCapState>();
  /** Per run, the chain its pushes and notification run on, so status moves happen in order. */
  private readonly chains = new Map<number, Promise<unknown>>();

  constructor(private readonly ctx: ApiContext, private readonly log: { warn(obj: object, msg: string): void }) {}

  /** Runs `task` after every earlier task of the same run. */
  private serial<T>(runId: number, task: () => Promise<T>): Promise<T> {
    const previous = this.chains.get(runId) ?? Promise.resolve();
    const next = previous.then(task, task);
    const settled = next.catch(() => undefined);
    this.chains.set(runId, settled);
    void settled.then(() => {
      if (this.chains.get(runId) === settled) this.chains.delete(runId);
    });
    return next;
  }

  async start(caller: Caller, loadTestId: number, body: StartLocalExecutionRequest, idempotencyKey: string | undefined): Promise<{ run: TestRunRecord; token: string; archiveToken: string | null }> {
    const { store } = this.ctx;
    const now = this.ctx.now();
    for (const field of ['max_vus', 'total_duration'] as const) {
      if (body[field] < 0) {
        const message = `${field} must not be negative`;
        throw validationError(field, message);
      }
    }
    const archiveSize = body.archive_size ?? null;
    if (archiveSize !== null && archiveSize > this.ctx.config.bodyLimitBytes) {
      const message = `The archive (${archiveSize} bytes) is larger than this server accepts (${this.ctx.config.bodyLimitBytes} bytes, STAMPEDE_BODY_LIMIT_BYTES); run k6 with --no-archive-upload`;
      throw validationError('archive_size', message);
    }
    const { run, reused } = await store.testRuns.create({
      stackId: caller.stackId,
      loadTestId,
      startedBy: caller.email,
      script: null,
      options: body.options,
      maxVus: body.max_vus,
      maxBrowserVus: 0,
      estimatedDuration: body.total_duration,
      cost: computeCost({ maxVus: body.max_vus, maxBrowserVus: 0, durationSeconds: body.total_duration }),
      now,
      // Local executions keep their keys apart from cloud starts', so a key reused here always names a
      // local-execution run, even one whose first request has not issued its token yet (concurrent retries).
      ...(idempotencyKey !== undefined && { idempotencyKey: `${LOCAL_KEY_PREFIX}${idempotencyKey}` }),
    });
    // The same key within its 10 minutes answers the same run; its secrets were shown once, so the
    // retry gets new ones (the earlier ones keep working).
    const token = await store.runTokens.issue(run.id, 'run', now);
    if (!reused) {
      const limits = (await store.projects.getLimits(caller.stackId, run.projectId)) ?? NO_LIMITS;
      const used = limits.vuh_max_per_month === null ? 0 : await store.testRuns.vuhUsedInMonth(run.projectId, now, run.id);
      const violation = checkProjectLimits(limits, { maxVus: body.max_vus, maxBrowserVus: 0, durationSeconds: body.total_duration }, used);
      if (violation !== null) {
        // As a started run that breaks a limit: it ends aborted (code 9), and k6, polling for
        // `initializing`, stops with the message.
        await store.testRuns.transition(run.id, 'aborted', { at: now, extra: abortExtra('limit', { message: violation.message }) });
      } else if (archiveSize === null) {
        await this.advance(run.id, 'initializing', now);
      }
    }
    const latest = (await store.testRuns.getById(run.id)) ?? run;
    // No upload URL for a run that ended at its start (a limit): k6 skips the upload and, polling for
    // `initializing`, stops with the limit's message rather than the upload's 409.
    const archiveToken = archiveSize !== null && latest.status === 'created' ? await store.runTokens.issue(run.id, 'archive', now) : null;
    return { run: latest, token, archiveToken };
  }

  /** The archive k6 uploads: the run's script from now on; then k6 may start. */
  async attachArchive(run: TestRunRecord, script: Script): Promise<void> {
    await this.serial(run.id, async () => {
      const current = await this.current(run.id);
      if (isFinalStatus(current.status)) throw new StampedeError('STAMPEDE_ERR_CONFLICT', `Test run has already ended (${current.status})`);
      await this.ctx.store.testRuns.setScript(run.id, script);
      await this.ctx.store.runTokens.revoke(run.id, 'archive');
      await this.advance(run.id, 'initializing', this.ctx.now());
    });
  }

  /** Stores a metrics push as the run's per-second batches; the first one moves the run to `running`. */
  async ingest(run: TestRunRecord, push: K6MetricsPush): Promise<void> {
    await this.serial(run.id, async () => {
      const current = await this.current(run.id);
      if (isFinalStatus(current.status)) throw new StampedeError('STAMPEDE_ERR_CONFLICT', `Test run has already ended (${current.status}); its metrics are not stored`);
      if (push.batches.length === 0) return;
      if (RUN_STATUSES.indexOf(current.status) < RUN_STATUSES.indexOf('running')) {
        const now = this.ctx.now();
        await this.advance(run.id, 'initializing', now);
        const ready = await this.current(run.id);
        const since = Date.parse(ready.statusHistory[ready.statusHistory.length - 1]?.entered ?? '') || now.getTime();
        // The test started with its first sample (k6's clock), if that lies between k6 being let go and now.
        const first = push.batches[0]?.time ?? now.getTime();
        await this.advance(run.id, 'running', new Date(Math.min(Math.max(first, since), now.getTime())));
      }
      const state = this.capState(run.id);
      for (const received of push.batches) {
        const capped = capSeries(received, state);
        if (capped.warning !== undefined) this.log.warn({ runId: run.id, maxSeries: state.maxSeries }, capped.warning);
        await this.ctx.store.runMetrics.append(run.id, capped.batch);
      }
    });
  }

  /** script_execution_completed: the run ends completed (its thresholds decide passed or failed) or aborted. */
  async notify(run: TestRunRecord, event: ScriptExecutionCompleted): Promise<void> {
    await this.serial(run.id, async () => {
      const current = await this.current(run.id);
      // A repeated notification (k6 retries on 5xx), or a run aborted from the API meanwhile.
      if (isFinalStatus(current.status)) return;
      const now = this.ctx.now();
      const options = current.options ?? {};
      const batches = await this.ctx.store.runMetrics.read(run.id);
      const judged = options['noThresholds'] === true ? undefined : options['thresholds'];
      const trendStats = options['summaryTrendStats'];
      const durationMs = summaryDurationMs(event, current, now);
      const merged = batches.length === 0
        ? null
        : summarizeMergedBatches(batches, {
            thresholds: judged,
            ...(Array.isArray(trendStats) && trendStats.every((s) => typeof s === 'string') && { summaryTrendStats: trendStats }),
            ...(durationMs > 0 && { testRunDurationMs: durationMs }),
          });
      const thresholdsFailed = merged !== null && merged.verdicts.some((v) => !v.ok);
      const fields = merged === null ? {} : { summary: merged.data, thresholds: merged.failedThresholds };
      const error = event.error ?? null;
      try {
        if (error === null) {
          await this.advance(run.id, 'processing_metrics', now);
          await this.ctx.store.testRuns.transition(run.id, 'completed', { at: now, fields });
        } else {
          const extra: StatusExtra = abortExtra(abortReasonOf(error.code, thresholdsFailed), { message: error.reason });
          await this.ctx.store.testRuns.transition(run.id, 'aborted', { at: now, extra, fields });
        }
      } catch (err) {
        // Aborted from the API while this notification was on its way: it ended, as after the check above.
        if (!(err instanceof StampedeError && err.code === 'STAMPEDE_ERR_CONFLICT' && isFinalStatus((await this.current(run.id)).status))) throw err;
      }
      this.caps.delete(run.id);
    });
  }

  private async current(runId: number): Promise<TestRunRecord> {
    const run = await this.ctx.store.testRuns.getById(runId);
    if (run === null) throw new StampedeError('STAMPEDE_ERR_NOT_FOUND', 'Test run not found');
    return run;
  }

  /** Moves the run step by step up to `target` (every status in between is recorded, as the history requires). */
  private async advance(runId: number, target: RunStatus, at: Date): Promise<void> {
    let run = await this.current(runId);
    while (!isFinalStatus(run.status) && RUN_STATUSES.indexOf(run.status) < RUN_STATUSES.indexOf(target)) {
      const next = RUN_STATUSES[RUN_STATUSES.indexOf(run.status) + 1] as RunStatus;
      run = await this.ctx.store.testRuns.transition(runId, next, { at });
    }
  }

  private capState(runId: number): SeriesCapState {
    let state = this.caps.get(runId);
    if (state === undefined) {
      if (this.caps.size >= MAX_TRACKED_RUNS) {
        const oldest = this.caps.keys().next();
        if (oldest.done !== true) this.caps.delete(oldest.value);
      }
      state = createSeriesCapState();
      this.caps.set(runId, state);
    }
    return state;
  }
}

/** The StartLocalExecutionTestResponse for a run, with every URL on this server. */
export function startLocalExecutionResponse(origin: string, run: TestRunRecord, token: string, archiveToken: string | null) {
  const base = `${origin}/provisioning/v1/test_runs/${run.id}`;
  return {
    test_run_id: run.id,
    runtime_config: {
      metrics: { push_url: `${base}/metrics`, ...METRICS_CONFIG },
      // Stampede stores no traces and no browser screenshots: empty URLs (k6's local execution reads neither).
      traces: { push_url: '', traces_metadata: {}, proto: 'http' },
      files: { push_url: '', screenshots_base_path: '', headers: {}, method: 'POST' },
      logs: {
        push_url: `${base}/logs`,
        tail_url: `${origin.replace(/^http/, 'ws')}${LOKI_TAIL_PATH}`,
        limit: 900,
        push_period_seconds: '3s',
        level: 'info',
        message_max_size: 10000,
        allowed_labels: ['lz', 'level', 'test_run_id', 'instance_id', 'source'],
      },
      secrets: { endpoint: `${base}/decrypt_secret?name={key}`, response_path: 'plaintext' },
      test_run_token: token,
    },
    archive_upload_url: archiveToken === null ? null : `${base}/archive?token=${encodeURIComponent(archiveToken)}`,
    test_run_details_page_url: runDetailsPageUrl(origin, run.id),
  };
}

/** How long a local run may go unreported past its planned end (or, before it runs, past its last step). */
export const ABANDONED_AFTER_MS = 60 * 60_000;
/** How often the server looks for abandoned local runs. */
export const ABANDONED_CHECK_INTERVAL_MS = 60_000;

/**
 * Ends the local-execution runs whose k6 went away without notifying (killed, machine gone): an hour
 * after the planned end of a run that was running, or after the last step of one that never ran, it
 * is aborted as timed out (code 4). Returns the ids it ended.
 */
export async function endAbandonedLocalRuns(store: Pick<ApiContext['store'], 'testRuns'>, now: Date): Promise<number[]> {
  const ended: number[] = [];
  for (const run of await store.testRuns.listUnfinished({ localExecution: true })) {
    const last = run.statusHistory[run.statusHistory.length - 1];
    const since = Date.parse(last?.entered ?? '') || run.created.getTime();
    const ran = run.status === 'running' || run.status === 'processing_metrics';
    const planned = ran ? (run.estimatedDuration ?? 0) * 1000 : 0;
    if (now.getTime() - since <= planned + ABANDONED_AFTER_MS) continue;
    const message = ran
      ? `k6 did not report the end of the test run within ${ABANDONED_AFTER_MS / 60_000} minutes of its planned end`
      : `k6 did not start the test run within ${ABANDONED_AFTER_MS / 60_000} minutes`;
    try {
      await store.testRuns.transition(run.id, 'aborted', { at: now, extra: abortExtra('timed_out', { message }) });
      ended.push(run.id);
    } catch (err) {
      // Ended meanwhile (k6 notified, a user aborted): nothing to do.
      if (!(err instanceof StampedeError && err.code === 'STAMPEDE_ERR_CONFLICT')) throw err;
    }
  }
  return ended;
}
