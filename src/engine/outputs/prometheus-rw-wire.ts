// The remote-write body: a prometheus.WriteRequest (timeseries = 1; TimeSeries labels = 1, samples
// = 2; Label name = 1, value = 2; Sample value = 1 double, timestamp = 2 int64) as Go's proto.Marshal
// writes it (zero scalars left out), in one snappy block. The stale marker is Prometheus'
// StaleNaN (bits 0x7ff0000000000002), written bit for bit.
import { createRequire } from 'node:module';
import type * as Protobuf from 'protobufjs';
import { compressSnappyBlock } from '../../core/index.ts';
import type { PromSeries } from './prometheus-rw-series.ts';

const require = createRequire(import.meta.url);
let protobuf: typeof Protobuf | undefined;

/** protobufjs' minimal runtime (Writer/Reader), loaded when an output first needs it. */
export function protobufMinimal(): typeof Protobuf {
  protobuf ??= require('protobufjs/minimal') as typeof Protobuf;
  return protobuf;
}

const STALE_NAN = { low: 2, high: 0x7ff00000, unsigned: true };

/** The protobuf WriteRequest of `series`, uncompressed. */
export function encodeWriteRequest(series: readonly PromSeries[]): Uint8Array {
  const w = protobufMinimal().Writer.create();
  for (const s of series) {
    w.uint32((1 << 3) | 2).fork();
    for (const l of s.labels) {
      w.uint32((1 << 3) | 2).fork();
      if (l.name !== '') w.uint32((1 << 3) | 2).string(l.name);
      if (l.value !== '') w.uint32((2 << 3) | 2).string(l.value);
      w.ldelim();
    }
    w.uint32((2 << 3) | 2).fork();
    if (s.stale === true) w.uint32((1 << 3) | 1).fixed64(STALE_NAN as unknown as number);
    else if (s.value !== 0 || Object.is(s.value, -0)) w.uint32((1 << 3) | 1).double(s.value);
    if (s.timestamp !== 0) w.uint32((2 << 3) | 0).int64(s.timestamp);
    w.ldelim();
    w.ldelim();
  }
  return w.finish();
}

/** The body k6 POSTs: the WriteRequest in one snappy block. */
export function remoteWriteBody(series: readonly PromSeries[]): Uint8Array {
  return compressSnappyBlock(encodeWriteRequest(series));
}
