// Decodes what the remote-write output sends, as a Prometheus receiver would: one snappy block, then a
// prometheus.WriteRequest protobuf, read field by field (unknown fields skipped).
import { decodeSnappyBlock } from '../../core/index.ts';
import { protobufMinimal } from './prometheus-rw-wire.ts';

export interface DecodedSeries {
  readonly labels: Record<string, string>;
  readonly samples: { value: number; timestamp: number; stale: boolean }[];
}

export function decodeRemoteWrite(body: Uint8Array): DecodedSeries[] {
  const { Reader } = protobufMinimal();
  const r = Reader.create(decodeSnappyBlock(body, 64 << 20));
  const out: DecodedSeries[] = [];
  while (r.pos < r.len) {
    const tag = r.uint32();
    if (tag >>> 3 !== 1) {
      r.skipType(tag & 7);
      continue;
    }
    const end = r.uint32() + r.pos;
    const labels: Record<string, string> = {};
    const samples: DecodedSeries['samples'] = [];
    while (r.pos < end) {
      const t = r.uint32();
      const len = r.uint32();
      const stop = r.pos + len;
      if (t >>> 3 === 1) {
        let name = '';
        let value = '';
        while (r.pos < stop) {
          const lt = r.uint32();
          if (lt >>> 3 === 1) name = r.string();
          else if (lt >>> 3 === 2) value = r.string();
          else r.skipType(lt & 7);
        }
        labels[name] = value;
      } else if (t >>> 3 === 2) {
        let value = 0;
        let timestamp = 0;
        let stale = false;
        while (r.pos < stop) {
          const st = r.uint32();
          if (st >>> 3 === 1) {
            const bits = r.fixed64() as unknown as { low: number; high: number };
            stale = bits.low === 2 && bits.high === 0x7ff00000;
            const b = Buffer.alloc(8);
            b.writeUInt32LE(bits.low >>> 0, 0);
            b.writeUInt32LE(bits.high >>> 0, 4);
            value = b.readDoubleLE(0);
          } else if (st >>> 3 === 2) timestamp = Number(r.int64());
          else r.skipType(st & 7);
        }
        samples.push({ value, timestamp, stale });
      } else r.pos = stop;
    }
    out.push({ labels, samples });
  }
  return out;
}
