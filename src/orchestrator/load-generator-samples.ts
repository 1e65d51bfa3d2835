// A run's runners measured as Grafana Cloud k6 measures its load generators: once a second, gauges of
// the runner's CPU, memory and open files (results/load-generator-metrics.ts), labelled with its load
// zone and instance number. Stampede's runners share the machine with the server and each other, so
// the figures are the runner process's own, relative to what it may use:
// - CPU: its CPU time over the interval, as a percentage of all the machine's cores (a runner has one
//   worker thread per core, so 100 is every core busy with this run);
// - memory: its resident memory as a percentage of what it may take, the runner memory limit or the
//   machine's memory when that is smaller (at 100 the runner is killed, docs/runner.md);
// - file handles: its open file descriptors (sockets included).
import { LOAD_GENERATOR_CPU, LOAD_GENERATOR_FILE_HANDLES, LOAD_GENERATOR_MEMORY } from '../results/index.ts';
import type { RunnerUsage } from '../runner/index.ts';
import type { StoredMetricsBatch, StoredSeriesAggregate } from '../store/index.ts';

export interface LoadGeneratorContext {
  loadZone: string;
  instanceId: number;
  /** Cores the runner's threads can run on. */
  cores: number;
  /** The memory the runner may use, in bytes. */
  memoryBytes: number;
}

const gauge = (metric: string, tags: Record<string, string>, value: number): StoredSeriesAggregate => ({ metric, tags, gauge: { last: value, min: value, max: value } });

/** Turns one runner's successive usage readings into a batch of its second each. */
export class LoadGeneratorSamples {
  #previous: { at: number; cpuSeconds: number } | null = null;

  /** The gauges of a reading taken at `at` (epoch ms); null when it told nothing. CPU needs a reading before it. */
  sample(usage: RunnerUsage, at: number, context: LoadGeneratorContext): StoredMetricsBatch | null {
    const tags = { load_zone: context.loadZone, instance_id: String(context.instanceId) };
    const series: StoredSeriesAggregate[] = [];
    const previous = this.#previous;
    if (usage.cpuSeconds !== null) {
      this.#previous = { at, cpuSeconds: usage.cpuSeconds };
      const wallSeconds = previous === null ? 0 : (at - previous.at) / 1000;
      if (previous !== null && wallSeconds > 0) {
        const share = (usage.cpuSeconds - previous.cpuSeconds) / (wallSeconds * Math.max(1, context.cores));
        series.push(gauge(LOAD_GENERATOR_CPU, tags, round2(Math.min(100, Math.max(0, share * 100)))));
      }
    }
    if (usage.memoryBytes !== null && context.memoryBytes > 0) series.push(gauge(LOAD_GENERATOR_MEMORY, tags, round2((usage.memoryBytes / context.memoryBytes) * 100)));
    if (usage.fileHandles !== null) series.push(gauge(LOAD_GENERATOR_FILE_HANDLES, tags, usage.fileHandles));
    if (series.length === 0) return null;
    const metrics = series.map((s) => ({ name: s.metric, type: 'gauge' as const, contains: 'default' as const }));
    return { time: Math.floor(at / 1000) * 1000, metrics, series };
  }
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
