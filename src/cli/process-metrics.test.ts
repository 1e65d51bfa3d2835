import { describe, expect, it } from 'vitest';
import { processMetricsText } from './process-metrics.ts';

/** name → value of each sample line, after checking every family has its HELP and TYPE lines first. */
function parse(text: string): Map<string, number> {
  const values = new Map<string, number>();
  const lines = text.trimEnd().split('\n');
  for (let i = 0; i < lines.length; i += 3) {
    const [help, type, sample] = [lines[i] ?? '', lines[i + 1] ?? '', lines[i + 2] ?? ''];
    const [name = '', value = ''] = sample.split(' ');
    expect(help).toMatch(new RegExp(`^# HELP ${name} \\S`));
    expect(type).toMatch(new RegExp(`^# TYPE ${name} (counter|gauge)$`));
    expect(value).toMatch(/^-?\d+(\.\d+)?(e[+-]\d\d)?$/);
    values.set(name, Number(value));
  }
  return values;
}

describe('GET /metrics (Prometheus process families, as k6 serves its own)', () => {
  it('describes this process: CPU, resident memory and start time in the text exposition format', () => {
    const now = Date.now();
    const values = parse(processMetricsText(now));
    expect([...values.keys()].slice(0, 1)).toEqual(['process_cpu_seconds_total']);
    expect(values.get('process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(values.get('process_resident_memory_bytes')).toBeGreaterThan(1_000_000);
    const start = values.get('process_start_time_seconds') ?? 0;
    expect(start).toBeLessThanOrEqual(now / 1000);
    expect(start).toBeGreaterThan(now / 1000 - process.uptime() - 5);
    if (process.platform === 'linux') {
      expect(values.get('process_open_fds')).toBeGreaterThan(2);
      expect(values.get('process_max_fds')).toBeGreaterThanOrEqual(values.get('process_open_fds') ?? 0);
      expect(values.get('process_virtual_memory_bytes')).toBeGreaterThan(values.get('process_resident_memory_bytes') ?? 0);
    }
  });

  it('writes large values as Go\'s strconv does (an exponent from a million on)', () => {
    const text = processMetricsText();
    expect(text).toMatch(/^process_resident_memory_bytes \d\.\d+e\+\d\d$/m);
    expect(text).toMatch(/^process_start_time_seconds \d\.\d+e\+09$/m);
  });
});
