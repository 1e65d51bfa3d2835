import { describe, expect, it } from 'vitest';
import { TrendDigest, TrendScratch, encodeTrendSamples } from './trend-digest.ts';

function exactPercentile(values: number[], pct: number): number {
  const s = [...values].sort((a, b) => a - b);
  const i = (pct / 100) * (s.length - 1);
  const j = s[Math.floor(i)] ?? 0;
  const k = s[Math.ceil(i)] ?? 0;
  return j + (k - j) * (i - Math.floor(i));
}

function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

const PCTS = [0, 1, 10, 25, 50, 75, 90, 95, 99, 99.9, 100];

describe('TrendDigest', () => {
  it('is exact for small trends, matching k6 interpolation', () => {
    const d = new TrendDigest();
    for (const v of [10, 20, 30, 40]) d.add(v);
    expect(d.percentile(50)).toBe(25);
    expect(d.percentile(90)).toBeCloseTo(37, 10);
    expect(d.percentile(0)).toBe(10);
    expect(d.percentile(100)).toBe(40);
    expect(d.avg()).toBe(25);
  });

  it('returns 0 for an empty trend and the value for a single sample', () => {
    const d = new TrendDigest();
    expect(d.percentile(95)).toBe(0);
    expect(d.avg()).toBe(0);
    d.add(7.5);
    expect(d.percentile(95)).toBe(7.5);
  });

  it('keeps percentiles within 1% of exact on large random latency data', () => {
    const r = rng(42);
    const values = Array.from({ length: 50_000 }, () => Math.exp(r() * 9 - 3) * 10);
    const d = new TrendDigest();
    for (const v of values) d.add(v);
    for (const p of PCTS) {
      const exact = exactPercentile(values, p);
      expect(Math.abs(d.percentile(p) - exact)).toBeLessThanOrEqual(Math.abs(exact) * 0.01);
    }
    expect(d.count).toBe(50_000);
  });

  it('handles negative and fractional custom trend values through the wire encoding', () => {
    const r = rng(3);
    const values = Array.from({ length: 20_000 }, () => (r() - 0.3) * 1000 * r());
    const scratch = new TrendScratch();
    const d = new TrendDigest();
    for (let i = 0; i < values.length; i += 1000) d.addAggregate(encodeTrendSamples(values.slice(i, i + 1000), scratch));
    for (const p of PCTS) {
      const exact = exactPercentile(values, p);
      // relative to the value, with a floor for values near zero where relative error is meaningless
      expect(Math.abs(d.percentile(p) - exact)).toBeLessThanOrEqual(Math.max(Math.abs(exact) * 0.01, 1e-3));
    }
    expect(d.min).toBe(Math.min(...values));
    expect(d.max).toBe(Math.max(...values));
  });

  it('sends few samples as exact values and many as compact histograms', () => {
    const scratch = new TrendScratch();
    expect(encodeTrendSamples([1, 2, 3], scratch)).toEqual({ count: 3, sum: 6, sumSq: 14, min: 1, max: 3, values: [1, 2, 3] });
    const many = encodeTrendSamples(Array.from({ length: 5000 }, (_, i) => i * 0.37), scratch);
    expect(many.values).toBeUndefined();
    expect(typeof many.hdr).toBe('string');
    expect(many.hdrNeg).toBeUndefined();
    expect((many.hdr ?? '').length).toBeLessThan(5000);
  });

  it('computes the population standard deviation', () => {
    const d = new TrendDigest();
    for (const v of [2, 4, 4, 4, 5, 5, 7, 9]) d.add(v);
    expect(d.stddev()).toBeCloseTo(2, 10);
  });

  it('rolls up into one aggregate that merges back to the same values', () => {
    for (const n of [10, 5000]) {
      const r = rng(n);
      const d = new TrendDigest();
      for (let i = 0; i < n; i++) d.add((r() - 0.1) * 300);
      const back = new TrendDigest();
      back.addAggregate(JSON.parse(JSON.stringify(d.toAggregate())));
      expect(back.count).toBe(d.count);
      expect(back.stddev()).toBeCloseTo(d.stddev(), 6);
      for (const p of PCTS) expect(back.percentile(p)).toBeCloseTo(d.percentile(p), 9);
    }
  });

  it('stays bounded however many samples it holds', () => {
    const r = rng(11);
    const d = new TrendDigest();
    const sizes: number[] = [];
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 50_000; i++) d.add(Math.exp(r() * 8) / 10);
      sizes.push(JSON.stringify(d.toAggregate()).length);
    }
    expect(d.count).toBe(200_000);
    // the encoding grows with the buckets in use, not with the sample count
    expect(sizes[3]).toBeLessThan(40_000);
    expect((sizes[3] ?? 0) - (sizes[1] ?? 0)).toBeLessThan((sizes[1] ?? 0) * 0.2);
  });
});
