// Decodes an OTLP ExportMetricsServiceRequest as a collector would (the fields the output writes),
// and a fake OTLP/gRPC collector on 127.0.0.1 that records each request's bytes and metadata.
import type * as GrpcJs from '@grpc/grpc-js';
import type * as Protobuf from 'protobufjs';
import { grpcLib } from '../grpc/grpc-packages.ts';
import { protobufMinimal } from './prometheus-rw-wire.ts';

export interface DecodedPoint {
  attributes: Record<string, string>;
  start: bigint;
  time: bigint;
  value?: number;
  int?: number;
  count?: number;
  sum?: number;
  min?: number;
  max?: number;
  buckets?: number[];
  bounds?: number[];
}

export interface DecodedMetric {
  name: string;
  unit: string;
  kind: 'gauge' | 'sum' | 'histogram' | 'other';
  temporality: number;
  monotonic: boolean;
  points: DecodedPoint[];
}

export interface DecodedExport {
  resource: Record<string, string>;
  scope: string;
  metrics: DecodedMetric[];
}

type Reader = Protobuf.Reader;

/** Reads a length-delimited message's fields with `each(fieldNumber, wireType)` until its end. */
function fields(r: Reader, end: number, each: (field: number, wire: number) => boolean): void {
  while (r.pos < end) {
    const tag = r.uint32();
    if (!each(tag >>> 3, tag & 7)) r.skipType(tag & 7);
  }
}

const sub = (r: Reader): number => r.uint32() + r.pos;

function fixed64(r: Reader): bigint {
  const v = r.fixed64() as unknown as { low: number; high: number };
  return (BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0);
}

function keyValue(r: Reader, into: Record<string, string>): void {
  let k = '';
  let v = '';
  fields(r, sub(r), (f) => {
    if (f === 1) k = r.string();
    else if (f === 2) fields(r, sub(r), (g) => (g === 1 ? ((v = r.string()), true) : false));
    else return false;
    return true;
  });
  into[k] = v;
}

function point(r: Reader, histogram: boolean): DecodedPoint {
  const p: DecodedPoint = { attributes: {}, start: 0n, time: 0n };
  fields(r, sub(r), (f, wire) => {
    if (f === 2) p.start = fixed64(r);
    else if (f === 3) p.time = fixed64(r);
    else if (!histogram && f === 4) p.value = r.double();
    else if (!histogram && f === 6) p.int = Number((r.sfixed64() as unknown as { toNumber(): number }).toNumber());
    else if (!histogram && f === 7) keyValue(r, p.attributes);
    else if (histogram && f === 4) p.count = Number(fixed64(r));
    else if (histogram && f === 5) p.sum = r.double();
    else if (histogram && f === 6 && wire === 2) {
      const end = sub(r);
      p.buckets = [];
      while (r.pos < end) p.buckets.push(Number(fixed64(r)));
    } else if (histogram && f === 7 && wire === 2) {
      const end = sub(r);
      p.bounds = [];
      while (r.pos < end) p.bounds.push(r.double());
    } else if (histogram && f === 9) keyValue(r, p.attributes);
    else if (histogram && f === 11) p.min = r.double();
    else if (histogram && f === 12) p.max = r.double();
    else return false;
    return true;
  });
  return p;
}

function metric(r: Reader): DecodedMetric {
  const m: DecodedMetric = { name: '', unit: '', kind: 'other', temporality: 0, monotonic: false, points: [] };
  fields(r, sub(r), (f) => {
    if (f === 1) m.name = r.string();
    else if (f === 3) m.unit = r.string();
    else if (f === 5 || f === 7 || f === 9) {
      m.kind = f === 5 ? 'gauge' : f === 7 ? 'sum' : 'histogram';
      fields(r, sub(r), (g) => {
        if (g === 1) m.points.push(point(r, f === 9));
        else if (g === 2) m.temporality = r.uint32();
        else if (g === 3) m.monotonic = r.bool();
        else return false;
        return true;
      });
    } else return false;
    return true;
  });
  return m;
}

export function decodeExport(body: Uint8Array): DecodedExport {
  const r = protobufMinimal().Reader.create(body);
  const out: DecodedExport = { resource: {}, scope: '', metrics: [] };
  fields(r, r.len, (f) => {
    if (f !== 1) return false;
    fields(r, sub(r), (g) => {
      if (g === 1) fields(r, sub(r), (h) => (h === 1 ? (keyValue(r, out.resource), true) : false));
      else if (g === 2) {
        fields(r, sub(r), (h) => {
          if (h === 1) fields(r, sub(r), (i) => (i === 1 ? ((out.scope = r.string()), true) : false));
          else if (h === 2) out.metrics.push(metric(r));
          else return false;
          return true;
        });
      } else return false;
      return true;
    });
    return true;
  });
  return out;
}

export interface GrpcCollector {
  readonly endpoint: string;
  readonly requests: { body: Uint8Array; metadata: Record<string, unknown> }[];
  close(): Promise<void>;
}

/** A gRPC error a collector answers with: a status code and, optionally, a google.rpc.Status trailer. */
export interface GrpcFailure {
  readonly code: number;
  readonly details?: string;
  readonly statusDetailsBin?: Uint8Array;
}

/** A fake OTLP/gRPC collector answering every Export with an empty response, or `fail`'s error for the nth (0-based) one. */
export async function startGrpcCollector(fail?: (n: number) => GrpcFailure | undefined): Promise<GrpcCollector> {
  const grpc = grpcLib();
  const server = new grpc.Server();
  const requests: GrpcCollector['requests'] = [];
  const definition: GrpcJs.ServiceDefinition = {
    Export: {
      path: '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
      requestStream: false,
      responseStream: false,
      requestSerialize: (b: Buffer) => b,
      requestDeserialize: (b: Buffer) => b,
      responseSerialize: (b: Buffer) => b,
      responseDeserialize: (b: Buffer) => b,
    },
  };
  server.addService(definition, {
    Export: (call: GrpcJs.ServerUnaryCall<Buffer, Buffer>, callback: GrpcJs.sendUnaryData<Buffer>) => {
      const failure = fail?.(requests.length);
      requests.push({ body: new Uint8Array(call.request), metadata: call.metadata.getMap() });
      if (failure === undefined) return callback(null, Buffer.alloc(0));
      const trailer = new grpc.Metadata();
      if (failure.statusDetailsBin !== undefined) trailer.set('grpc-status-details-bin', Buffer.from(failure.statusDetailsBin));
      callback({ code: failure.code, details: failure.details ?? 'failed', metadata: trailer }, null);
    },
  });
  const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err === null ? resolve(p) : reject(err))));
  return {
    endpoint: `127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}
