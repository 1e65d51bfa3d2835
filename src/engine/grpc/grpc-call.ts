// The grpc-js side of an RPC: metadata in, raw message bytes out (the JSON mapping is done by the
// caller), and grpc-go's wording for the statuses a client gives itself (k6 reports the status
// grpc-go produced: "context deadline exceeded" for a call past its timeout).
import type * as GrpcJs from '@grpc/grpc-js';
import { grpcLib } from './grpc-packages.ts';
import type { MetadataEntries } from './grpc-params.ts';
import { statusText } from './grpc-status.ts';

export interface RpcOutcome {
  readonly code: number;
  readonly details: string;
  readonly headers: Record<string, string[]>;
  readonly trailers: Record<string, string[]>;
  readonly response: Buffer | undefined;
  /** The server's address (`ip:port`, `[v6]:port`) when the call reached one. */
  readonly peer: string;
  /** The grpc-status-details-bin trailer (a google.rpc.Status), which grpc-go keeps out of the trailers. */
  readonly statusDetails: Buffer | undefined;
}

const STATUS_DETAILS = 'grpc-status-details-bin';

/** The IP of a grpc-js peer address, for the `ip` tag ('' when unknown). */
export function peerIp(peer: string): string {
  const m = /^\[([^\]]+)\]:\d+$/.exec(peer) ?? /^([^:]+):\d+$/.exec(peer);
  return m?.[1] ?? '';
}

const identity = (b: Buffer): Buffer => b;

export function toMetadata(entries: MetadataEntries): GrpcJs.Metadata {
  const md = new (grpcLib().Metadata)();
  for (const [k, v] of entries) md.add(k, v);
  return md;
}

/** Metadata as Go's metadata.MD reaches scripts: lists of strings per key. */
export function metadataObject(md: GrpcJs.Metadata | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (md === undefined) return out;
  for (const [k, values] of Object.entries(md.toJSON())) {
    out[k] = values.map((v) => (typeof v === 'string' ? v : Buffer.from(v).toString('latin1')));
  }
  return out;
}

export function callOptions(timeoutMs: number): GrpcJs.CallOptions {
  return timeoutMs > 0 ? { deadline: Date.now() + timeoutMs } : {};
}

export function unaryCall(client: GrpcJs.Client, path: string, body: Buffer, metadata: MetadataEntries, timeoutMs: number, signal: AbortSignal): Promise<RpcOutcome> {
  return new Promise((resolve) => {
    let headers: GrpcJs.Metadata | undefined;
    let response: Buffer | undefined;
    const call = client.makeUnaryRequest(path, identity, identity, body, toMetadata(metadata), callOptions(timeoutMs), (err, value) => {
      if (err === null && value !== undefined) response = value;
    });
    const onAbort = (): void => call.cancel();
    signal.addEventListener('abort', onAbort, { once: true });
    call.on('metadata', (md: GrpcJs.Metadata) => {
      headers = md;
    });
    call.on('status', (status: GrpcJs.StatusObject) => {
      signal.removeEventListener('abort', onAbort);
      const details = status.metadata.get(STATUS_DETAILS)[0];
      const trailers = status.metadata.clone();
      trailers.remove(STATUS_DETAILS);
      resolve({
        code: status.code,
        details: statusText(status.code, status.details, body.length),
        statusDetails: Buffer.isBuffer(details) ? details : undefined,
        headers: metadataObject(headers),
        trailers: metadataObject(trailers),
        response,
        peer: call.getPeer(),
      });
    });
  });
}
