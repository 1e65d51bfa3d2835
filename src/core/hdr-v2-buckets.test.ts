import hdr from 'hdr-histogram-js';
import type { JsHistogram } from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { decodeV2Buckets } from './hdr-v2-buckets.ts';

describe('decodeV2Buckets', () => {
  it('returns exactly the non-empty buckets of an engine-geometry histogram', () => {
    const h = new hdr.Int32Histogram(1, 2, 3) as JsHistogram;
    h.autoResize = true;
    for (const [v, n] of [[5, 2], [1500, 1], [2_000_000, 4]] as const) h.recordValueWithCount(v, n);
    const buckets = decodeV2Buckets(hdr.encodeIntoCompressedBase64(h));
    expect(buckets?.count).toEqual([2, 1, 4]);
    expect(buckets?.index).toEqual([5, 1500, 2_000_000].map((v) => h.countsArrayIndex(v)));
  });
  it('refuses another geometry and garbage', () => {
    const other = new hdr.Int32Histogram(1, 2, 2) as JsHistogram;
    other.autoResize = true;
    other.recordValue(42);
    expect(decodeV2Buckets(hdr.encodeIntoCompressedBase64(other))).toBeNull();
    expect(decodeV2Buckets('not base64 at all')).toBeNull();
  });
});
