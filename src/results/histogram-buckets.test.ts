import hdr from 'hdr-histogram-js';
import type { JsHistogram } from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { decodeBuckets } from './histogram-buckets.ts';

function encoded(digits: number, values: readonly number[]): { base64: string; h: JsHistogram } {
  const h = new hdr.Int32Histogram(1, 2, digits) as JsHistogram;
  h.autoResize = true;
  for (const v of values) h.recordValue(v);
  return { base64: hdr.encodeIntoCompressedBase64(h), h };
}

describe('decodeBuckets', () => {
  it('reads the engine\'s encoding straight into the same non-empty buckets the library decodes', () => {
    const values = Array.from({ length: 500 }, (_, i) => Math.round(1e6 * (1 + ((i * 7919) % 997) * 3.3)));
    values.push(2 ** 40, 0, 0, 5);
    const { base64, h } = encoded(3, values);
    const b = decodeBuckets(base64);
    const expected: [number, number][] = [];
    for (let i = 0; i < h.countsArrayLength; i++) if (h.getCountAtIndex(i) > 0) expected.push([i, h.getCountAtIndex(i)]);
    expect(Array.from(b.index, (idx, i) => [idx, b.count[i]])).toEqual(expected);
  });

  it('maps histograms of another resolution onto the engine\'s buckets, keeping every count', () => {
    const values = Array.from({ length: 300 }, (_, i) => 1000 + i * 1234);
    const b = decodeBuckets(encoded(2, values).base64);
    expect(Array.from(b.count).reduce((a, c) => a + c, 0)).toBe(300);
    expect(Array.from(b.index).every((v, i, a) => i === 0 || v >= (a[i - 1] as number))).toBe(true);
  });
});
