import { describe, expect, it } from 'vitest';
import { compressSnappyBlock, decodeSnappyBlock } from './snappy-block.ts';

describe('snappy block', () => {
  it('compressSnappyBlock round-trips through the decoder and shrinks repetitive input', () => {
    const inputs = [
      new Uint8Array(0),
      new TextEncoder().encode('abc'),
      new TextEncoder().encode('k6_http_reqs_total'.repeat(500)),
      Uint8Array.from({ length: 70_000 }, (_, i) => (i * 7919) % 251),
      Uint8Array.from({ length: 200_000 }, (_, i) => (i % 3 === 0 ? (i >> 4) & 0xff : 42)),
    ];
    for (const data of inputs) {
      const packed = compressSnappyBlock(data);
      expect(decodeSnappyBlock(packed, 1 << 20)).toEqual(data);
    }
    expect(compressSnappyBlock(inputs[2] as Uint8Array).length).toBeLessThan(600);
  });
});
