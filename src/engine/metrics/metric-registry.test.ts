import { describe, expect, it } from 'vitest';
import { MetricRegistry } from './metric-registry.ts';

describe('MetricRegistry', () => {
  it('knows k6 built-in metrics with their types and contents', () => {
    const r = new MetricRegistry();
    expect(r.get('http_req_duration')).toEqual({ name: 'http_req_duration', type: 'trend', contains: 'time' });
    expect(r.get('data_received')).toEqual({ name: 'data_received', type: 'counter', contains: 'data' });
    expect(r.get('checks')?.type).toBe('rate');
    expect(r.get('vus_max')?.type).toBe('gauge');
    expect(r.all()).toHaveLength(18);
  });

  it('defines custom metrics, returning quietly for the same name and type', () => {
    const r = new MetricRegistry();
    r.define('my_trend', 'trend', 'time');
    expect(() => r.define('my_trend', 'trend', 'time')).not.toThrow();
    expect(r.get('my_trend')).toEqual({ name: 'my_trend', type: 'trend', contains: 'time' });
  });

  it('rejects another type for an existing name, including built-ins', () => {
    const r = new MetricRegistry();
    r.define('errors', 'counter', 'default');
    expect(() => r.define('errors', 'rate', 'default')).toThrow(/already exists/);
    expect(() => r.define('http_reqs', 'trend', 'default')).toThrow(/already exists/);
  });

  it('enforces the k6 metric name rule', () => {
    const r = new MetricRegistry();
    expect(() => r.define('a', 'counter', 'default')).toThrow(/Invalid metric name/);
    expect(() => r.define('1abc', 'counter', 'default')).toThrow(/Invalid metric name/);
    expect(() => r.define('has-dash', 'counter', 'default')).toThrow(/Invalid metric name/);
    expect(() => r.define('x'.repeat(130), 'counter', 'default')).toThrow(/Invalid metric name/);
    expect(() => r.define('_ok_9', 'counter', 'default')).not.toThrow();
  });
});
