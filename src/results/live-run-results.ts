// A run's results as the control plane merges them while it executes: every runner's per-second
// batches folded into one RunMetrics, the run's thresholds judged on that merged data during the run
// (the orchestrator calls `evaluate` every THRESHOLD_EVALUATION_INTERVAL_MS, k6's cadence) and once at
// the end, and the end-of-test summary built from it. k6 cloud judges thresholds in the cloud on the
// data of every load generator, never on one generator's share; this is that judge.
//
// Memory stays bounded by the series, not the samples: RunMetrics keeps one state per series (trends
// as HDR digests), and the orchestrator caps the series of a run before batches get here.
//
// A threshold can be judged only once its metric is known, and the control plane learns metrics from
// the batches (a custom metric is defined in the script's init code, which runs in the runners). So a
// threshold waits until its metric first appears; one whose metric never produced a sample is not
// judged here at all (the caller may fall back on a runner's own verdict for it).
import { RunMetrics, ThresholdEvaluator, buildSummaryData, parseThresholds } from '../engine/index.ts';
import type { MetricsBatch, SummaryData, ThresholdResult } from '../engine/index.ts';
import type { StoredMetricsBatch } from '../store/index.ts';

/** How often thresholds are evaluated during a run (k6: internal/metrics/engine/engine.go, every 2 s). */
export const THRESHOLD_EVALUATION_INTERVAL_MS = 2000;

/** What one evaluation during the run found. */
export interface LiveVerdict {
  /** Threshold keys (`metric` or `metric{tags}`) with at least one failing expression now, sorted. */
  failed: string[];
  /** An abortOnFail threshold failed past its delayAbortEval: the run must stop. */
  abort: boolean;
  /** k6's wording of the abort, when `abort`. */
  message?: string;
}

/** The end-of-run verdict on the merged data. */
export interface FinalVerdict {
  /** Every judged expression, in the order the options declare them. */
  results: ThresholdResult[];
  /** Per key, per expression: did it fail (the runner's `thresholds` shape). Judged keys only. */
  failedThresholds: Record<string, Record<string, boolean>>;
}

interface Judge {
  key: string;
  evaluator: ThresholdEvaluator;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const UNKNOWN_METRIC = /no metric name/;

/** "http_req_duration{status:200}" → "http_req_duration". */
function thresholdMetricName(key: string): string {
  const brace = key.indexOf('{');
  return (brace < 0 ? key : key.slice(0, brace)).trim();
}

export class LiveRunResults {
  readonly #metrics = new RunMetrics();
  /** Threshold lists (as the options declare them) whose metric has not been seen yet, by key. */
  readonly #waiting = new Map<string, unknown>();
  readonly #judges: Judge[] = [];
  readonly #order: string[];
  readonly #problems: string[] = [];

  /**
   * Metrics to keep: those the thresholds name, unless everything is kept (a run over several runners,
   * whose summary is built from this data). Decoding every series' trend histograms each second costs
   * the control plane a tenth of a core at 10,000 requests/s; a threshold needs one metric.
   */
  readonly #keep: ReadonlySet<string> | undefined;

  /**
   * `thresholds` is the run's `options.thresholds` as declared; anything else means none. `keepAll`:
   * fold in every metric (for summary()), not only those the thresholds name.
   */
  constructor(thresholds: unknown, options: { keepAll?: boolean } = {}) {
    if (isRecord(thresholds)) for (const [key, list] of Object.entries(thresholds)) this.#waiting.set(key, list);
    this.#order = [...this.#waiting.keys()];
    this.#keep = options.keepAll === false ? new Set(this.#order.map(thresholdMetricName)) : undefined;
  }

  /** Whether the run declares any threshold. */
  get hasThresholds(): boolean {
    return this.#order.length > 0;
  }

  /** Thresholds that could not be judged because they do not parse (validated at upload, so rare). */
  get problems(): readonly string[] {
    return this.#problems;
  }

  /** Folds one (merged or not) second of any runner in. Throws on a malformed batch. */
  ingest(stored: StoredMetricsBatch): void {
    let batch = stored as unknown as MetricsBatch;
    if (!Array.isArray(batch.metrics) || !Array.isArray(batch.series) || typeof batch.time !== 'number') throw new Error('malformed metrics batch');
    const keep = this.#keep;
    if (keep !== undefined) {
      if (keep.size === 0) return;
      batch = {
        time: batch.time,
        metrics: batch.metrics.filter((m) => keep.has(m.name)),
        series: batch.series.filter((x) => keep.has(x.metric)),
      };
    }
    let defined = false;
    for (const def of batch.metrics) {
      if (this.#metrics.metric(def.name) !== undefined) continue;
      this.#metrics.define(def);
      defined = true;
    }
    if (defined && this.#waiting.size > 0) this.#adoptKnown();
    this.#metrics.ingest(batch);
  }

  /** Judges the thresholds during the run; `testRunDurationMs` is the time since the run started running. */
  evaluate(testRunDurationMs: number): LiveVerdict {
    const failed: string[] = [];
    let abort = false;
    for (const { evaluator } of this.#judges) {
      const ev = evaluator.evaluate(this.#metrics, testRunDurationMs, { final: false });
      failed.push(...ev.failed);
      abort ||= ev.shouldAbort;
    }
    failed.sort();
    if (!abort) return { failed, abort };
    return { failed, abort, message: `thresholds on metrics '${failed.join("', '")}' were crossed; at least one has abortOnFail enabled, stopping test prematurely` };
  }

  /** The end-of-run pass over everything merged (empty submetrics included, k6's final rules). */
  final(testRunDurationMs: number): FinalVerdict {
    const byKey = new Map<string, ThresholdResult[]>();
    for (const { key, evaluator } of this.#judges) byKey.set(key, evaluator.evaluate(this.#metrics, testRunDurationMs, { final: true }).results);
    const results = this.#order.flatMap((key) => byKey.get(key) ?? []);
    const failedThresholds: Record<string, Record<string, boolean>> = {};
    for (const r of results) (failedThresholds[r.key] ??= {})[r.source] = !r.ok;
    return { results, failedThresholds };
  }

  /** handleSummary-shaped data of the merged run, with the given threshold results. */
  summary(verdict: FinalVerdict, testRunDurationMs: number, summaryTrendStats?: readonly string[]): SummaryData {
    return buildSummaryData({
      metrics: this.#metrics,
      thresholds: verdict.results,
      testRunDurationMs,
      options: { ...(summaryTrendStats && { summaryTrendStats }) },
      state: { isStdOutTTY: false, isStdErrTTY: false },
    });
  }

  /** Starts judging the waiting thresholds whose metric is now known. */
  #adoptKnown(): void {
    for (const [key, list] of [...this.#waiting]) {
      const parsed = parseThresholds({ [key]: list }, (name) => this.#metrics.metric(name));
      if (parsed.errors.length > 0 && parsed.errors.every((e) => UNKNOWN_METRIC.test(e))) continue;
      this.#waiting.delete(key);
      this.#problems.push(...parsed.errors);
      if (parsed.thresholds.length === 0) continue;
      const evaluator = new ThresholdEvaluator(parsed.thresholds);
      evaluator.track(this.#metrics);
      this.#judges.push({ key, evaluator });
    }
  }
}
