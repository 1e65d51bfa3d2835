import { afterEach, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import type { StoredMetricsBatch, StoredSeriesAggregate } from '../store/index.ts';
import { createOrchestrator } from './orchestrator.ts';
import type { Orchestrator } from './orchestrator.ts';
import { SecondCoalescer } from './second-coalescer.ts';
import { MemoryRunStore } from './test-support/memory-run-store.ts';

const defs: StoredMetricsBatch['metrics'] = [
  { name: 'http_reqs', type: 'counter', contains: 'default' },
  { name: 'http_req_duration', type: 'trend', contains: 'time' },
];

function batch(time: number, reqs: number, durations: number[]): StoredMetricsBatch {
  const tags = { name: 'a', status: '200' };
  const sum = durations.reduce((a, b) => a + b, 0);
  // A second with few samples carries them exactly (`values`, the engine's wire form), not as HDR.
  const trend = { count: durations.length, sum, min: Math.min(...durations), max: Math.max(...durations), values: durations } as unknown as StoredSeriesAggregate['trend'];
  return {
    time,
    metrics: defs,
    series: [
      { metric: 'http_reqs', tags, counter: { sum: reqs } },
      { metric: 'http_req_duration', tags: { ...tags }, trend },
    ],
  };
}

describe('SecondCoalescer', () => {
  it("stores each second's batches merged into one once held long enough, oldest first", () => {
    const out: StoredMetricsBatch[] = [];
    const c = new SecondCoalescer((b) => out.push(b), { holdMs: 2000 });
    c.add(batch(2000, 3, [5, 7]), 10_000);
    c.add(batch(1000, 1, [1]), 10_100);
    c.add(batch(2000, 4, [9]), 10_500);
    c.add(batch(1000, 2, [3, 4]), 10_900);
    c.releaseDue(11_999);
    expect(out).toEqual([]);
    c.releaseDue(12_050);
    expect(out.map((b) => b.time)).toEqual([2000]);
    c.releaseDue(12_100);
    expect(out.map((b) => b.time)).toEqual([2000, 1000]);
    const [second2, second1] = out;
    expect(second2?.series).toHaveLength(2);
    expect(second2?.series.find((s) => s.metric === 'http_reqs')?.counter).toEqual({ sum: 7 });
    expect(second2?.series.find((s) => s.metric === 'http_req_duration')?.trend).toMatchObject({ count: 3, sum: 21, min: 5, max: 9 });
    expect(second1?.series.find((s) => s.metric === 'http_reqs')?.counter).toEqual({ sum: 3 });
    expect(c.pendingSeconds).toBe(0);
  });

  it('passes a lone batch through unchanged, keeps a late one for later, and releases all at the end', () => {
    const out: StoredMetricsBatch[] = [];
    const c = new SecondCoalescer((b) => out.push(b), { holdMs: 2000 });
    const lone = batch(1500, 1, [2]);
    c.add(lone, 0);
    c.releaseDue(2000);
    expect(out).toEqual([lone]);
    c.add(batch(1500, 5, [1]), 2100); // late for its second: stored as a row of its own
    c.add(batch(2500, 1, [1]), 2100);
    c.releaseAll();
    expect(out.map((b) => b.time)).toEqual([1500, 1500, 2500]);
  });

  it("sums the VU gauges of several runners' batches for one second, and merges the rest as one runner's", () => {
    const out: StoredMetricsBatch[] = [];
    const c = new SecondCoalescer((b) => out.push(b), { holdMs: 2000 });
    const vus = (n: number, max: number): StoredMetricsBatch => ({
      time: 1000,
      metrics: [{ name: 'vus', type: 'gauge', contains: 'default' }, { name: 'vus_max', type: 'gauge', contains: 'default' }],
      series: [{ metric: 'vus', tags: {}, gauge: { last: n, min: n, max: n } }, { metric: 'vus_max', tags: {}, gauge: { last: max, min: max, max } }],
    });
    // Runner 0: a worker's requests and its main thread's VUs (2, then 3); runner 1: 2 VUs of 2.
    c.add(batch(1000, 3, [5]), 0, 0);
    c.add(vus(2, 3), 100, 0);
    c.add(vus(3, 3), 200, 0);
    c.add(vus(2, 2), 300, 1);
    c.add(batch(1000, 4, [9]), 400, 1);
    c.releaseAll();
    expect(out).toHaveLength(1);
    const series = out[0]?.series ?? [];
    // Runner 0 went 2 → 3 in the second: the run had 4 to 5.
    expect(series.find((s) => s.metric === 'vus')?.gauge).toEqual({ last: 5, min: 4, max: 5 });
    expect(series.find((s) => s.metric === 'vus_max')?.gauge).toEqual({ last: 5, min: 5, max: 5 });
    expect(series.find((s) => s.metric === 'http_reqs')?.counter).toEqual({ sum: 7 });
    expect(series.filter((s) => s.metric === 'vus')).toHaveLength(1);
    // A second only runner 0 reported: its VUs are the run's, but runner 1 still holds its 2 vus_max.
    c.add({ ...vus(3, 3), time: 2000 }, 3000, 0);
    c.releaseAll();
    expect(out[1]?.series.find((s) => s.metric === 'vus')?.gauge).toEqual({ last: 3, min: 3, max: 3 });
    expect(out[1]?.series.find((s) => s.metric === 'vus_max')?.gauge).toEqual({ last: 5, min: 5, max: 5 });
  });
});

describe('SecondCoalescer: the VU gauges of a split run', () => {
  const vus = (time: number, n: number, max: number): StoredMetricsBatch => ({
    time,
    metrics: [{ name: 'vus', type: 'gauge', contains: 'default' }, { name: 'vus_max', type: 'gauge', contains: 'default' }],
    series: [{ metric: 'vus', tags: {}, gauge: { last: n, min: n, max: n } }, { metric: 'vus_max', tags: {}, gauge: { last: max, min: max, max } }],
  });
  /** Per second, per gauge: the stored rows' `last` values (queries keep the latest of a second's rows). */
  const stored = (out: StoredMetricsBatch[], metric: string): Record<number, number[]> => {
    const by: Record<number, number[]> = {};
    for (const b of out) for (const s of b.series) if (s.metric === metric) (by[b.time] ??= []).push(s.gauge?.last ?? NaN);
    return by;
  };

  it("stores a second's vus and vus_max once, summed over every runner, however late a runner's batch comes; ended runners count no vus", () => {
    const out: StoredMetricsBatch[] = [];
    const c = new SecondCoalescer((b) => out.push(b), { holdMs: 2000 });
    c.expectSource(1);
    c.expectSource(2);
    // Runner 1 (3 VUs) reports seconds 1 and 2; runner 2 (2 VUs) is slow: nothing until 10 s later.
    c.add({ ...vus(1000, 3, 3), series: [...vus(1000, 3, 3).series, ...batch(1000, 1, [1]).series] }, 0, 1);
    c.add(vus(2000, 3, 3), 1000, 1);
    c.releaseDue(5000);
    // The requests of second 1 are stored; its VUs wait for runner 2.
    expect(out.flatMap((b) => b.series.map((s) => s.metric))).toEqual(['http_reqs', 'http_req_duration']);
    expect(c.pendingGaugeSeconds).toBe(2);
    c.add(vus(1000, 2, 2), 10_000, 2);
    c.add(vus(3000, 2, 2), 10_000, 2); // its ticker skipped second 2: it counts its last values there
    c.releaseDue(12_000);
    c.add(vus(3000, 1, 3), 12_500, 1);
    c.sourceEnded(1); // runner 1 ends; runner 2 runs on
    c.add(vus(4000, 2, 2), 13_000, 2);
    c.add(vus(5000, 2, 2), 14_000, 2);
    c.releaseDue(20_000);
    expect(stored(out, 'vus')).toEqual({ 1000: [5], 2000: [5], 3000: [3], 4000: [2] });
    expect(stored(out, 'vus_max')).toEqual({ 1000: [5], 2000: [5], 3000: [5], 4000: [5] });
    c.releaseAll();
    expect(stored(out, 'vus')[5000]).toEqual([2]);
  });

  it("counts a runner that has not reported yet with its first report in the run's first seconds", () => {
    const out: StoredMetricsBatch[] = [];
    const c = new SecondCoalescer((b) => out.push(b), { holdMs: 2000 });
    c.expectSource(1);
    c.expectSource(2);
    // Runner 1's ticker first ticks just before a second boundary, runner 2's just after it.
    c.add(vus(1000, 3, 3), 0, 1);
    c.add(vus(2000, 3, 3), 1000, 1);
    c.add(vus(2000, 2, 2), 1010, 2);
    c.add(vus(3000, 3, 3), 2000, 1);
    c.add(vus(3000, 2, 2), 2010, 2);
    c.releaseAll();
    expect(stored(out, 'vus_max')).toEqual({ 1000: [5], 2000: [5], 3000: [5] });
    expect(stored(out, 'vus')).toEqual({ 1000: [5], 2000: [5], 3000: [5] });
  });
});

describe('orchestrator ingest: one stored batch per second', () => {
  let orchestrator: Orchestrator | null = null;
  afterEach(async () => {
    await orchestrator?.close();
    orchestrator = null;
  });

  it('merges the many batches a runner sends for one second (the stand-in engine sends ten a second) into one row per series, totals exact', async () => {
    const store = new MemoryRunStore();
    const engineModule = fileURLToPath(new URL('../runner/test-support/fake-engine.ts', import.meta.url));
    orchestrator = createOrchestrator({ store, log: { info: () => {}, warn: () => {}, error: () => {} }, config: { maxConcurrentRuns: 1, engineModule, abortGraceMs: 3000 } });
    await orchestrator.open();
    const id = store.addRun({ bytes: new TextEncoder().encode(JSON.stringify({ vus: 3, durationMs: 2500 })), contentType: 'text/javascript' });
    await orchestrator.start(id);
    const deadline = Date.now() + 9000;
    while (store.run(id).ended === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    expect(store.run(id).status).toBe('completed');
    const batches = store.engineMetrics(id);
    const times = batches.map((b) => b.time);
    expect(new Set(times).size).toBe(times.length);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(batches.every((b) => b.series.length === 1)).toBe(true);
    const stored = batches.reduce((a, b) => a + (b.series[0]?.counter?.sum ?? 0), 0);
    const summary = store.run(id).summary as { metrics: { iterations: { values: { count: number } } } };
    expect(stored).toBe(summary.metrics.iterations.values.count);
  }, 10_000);

  it('stores every batch as it arrives with metricsHoldMs 0', async () => {
    const store = new MemoryRunStore();
    const engineModule = fileURLToPath(new URL('../runner/test-support/fake-engine.ts', import.meta.url));
    orchestrator = createOrchestrator({ store, log: { info: () => {}, warn: () => {}, error: () => {} }, config: { maxConcurrentRuns: 1, engineModule, abortGraceMs: 3000, metricsHoldMs: 0 } });
    await orchestrator.open();
    const id = store.addRun({ bytes: new TextEncoder().encode(JSON.stringify({ vus: 2, durationMs: 1500 })), contentType: 'text/javascript' });
    await orchestrator.start(id);
    const deadline = Date.now() + 9000;
    while (store.run(id).ended === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    const times = (store.metrics.get(id) ?? []).map((b) => b.time);
    // Ten batches a second from the stand-in engine: seconds repeat.
    expect(times.length).toBeGreaterThan(new Set(times).size);
  }, 10_000);
});
