import { describe, expect, it } from 'vitest';
import { LoadGeneratorSamples } from './load-generator-samples.ts';

const context = { loadZone: 'amazon:de:frankfurt', instanceId: 1, cores: 2, memoryBytes: 8 * 1024 ** 3 };
const usage = (cpuSeconds: number | null, memoryBytes: number | null = 2 * 1024 ** 3, fileHandles: number | null = 40) => ({ cpuSeconds, memoryBytes, fileHandles, diskBytes: 0 });

describe("a runner's load generator metrics", () => {
  it("give its CPU over the last interval as a share of every core, its memory as a share of what it may use, and its open files, labelled with its zone and instance", () => {
    const samples = new LoadGeneratorSamples();
    const first = samples.sample(usage(10), 1_000_500, context);
    // No CPU figure before a second reading: the interval is unknown.
    expect(first?.series.map((s) => s.metric)).toEqual(['load_generator_memory_used_percent', 'load_generator_file_handles']);
    // 1.5 CPU seconds in one second on two cores: 75 %.
    const second = samples.sample(usage(11.5, 1024 ** 3, 52), 1_001_500, context);
    expect(second?.time).toBe(1_001_000);
    expect(second?.metrics).toEqual([
      { name: 'load_generator_cpu_percent', type: 'gauge', contains: 'default' },
      { name: 'load_generator_memory_used_percent', type: 'gauge', contains: 'default' },
      { name: 'load_generator_file_handles', type: 'gauge', contains: 'default' },
    ]);
    const tags = { load_zone: 'amazon:de:frankfurt', instance_id: '1' };
    expect(second?.series).toEqual([
      { metric: 'load_generator_cpu_percent', tags, gauge: { last: 75, min: 75, max: 75 } },
      { metric: 'load_generator_memory_used_percent', tags, gauge: { last: 12.5, min: 12.5, max: 12.5 } },
      { metric: 'load_generator_file_handles', tags, gauge: { last: 52, min: 52, max: 52 } },
    ]);
  });

  it('keep the CPU share within 0–100 when readings jitter, and give nothing when /proc told nothing', () => {
    const samples = new LoadGeneratorSamples();
    samples.sample(usage(0), 0, context);
    expect(samples.sample(usage(2.5, null, null), 1000, context)?.series).toEqual([{ metric: 'load_generator_cpu_percent', tags: { load_zone: 'amazon:de:frankfurt', instance_id: '1' }, gauge: { last: 100, min: 100, max: 100 } }]);
    expect(new LoadGeneratorSamples().sample(usage(null, null, null), 0, context)).toBeNull();
  });
});
