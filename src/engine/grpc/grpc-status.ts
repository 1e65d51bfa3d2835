// gRPC statuses as k6 reports them: grpc-go's code names and the wording of the statuses a client
// gives itself, and the details of a google.rpc.Status (the grpc-status-details-bin trailer) as the
// protojson k6 marshals the status proto into.
import { protobufLib } from './grpc-packages.ts';
import type { TypeResolver } from './proto-types.ts';
import { anyJson } from './protojson-encode.ts';

const CODE_NAMES = [
  'OK', 'Canceled', 'Unknown', 'InvalidArgument', 'DeadlineExceeded', 'NotFound', 'AlreadyExists', 'PermissionDenied',
  'ResourceExhausted', 'FailedPrecondition', 'Aborted', 'OutOfRange', 'Unimplemented', 'Internal', 'Unavailable', 'DataLoss', 'Unauthenticated',
];

/** grpc-go's codes.Code String(). */
export function codeName(code: number): string {
  return CODE_NAMES[code] ?? `Code(${code})`;
}

/**
 * grpc-go's message for the statuses a client produces itself, else the server's. `sentBytes`: the
 * size of the message sent, which grpc-go names when it refuses to send one larger than maxSendSize.
 */
export function statusText(code: number, details: string, sentBytes?: number): string {
  if (code === 4 && details.startsWith('Deadline exceeded')) return 'context deadline exceeded';
  if (code === 1 && details === 'Cancelled on client') return 'context canceled';
  if (code === 8) {
    const received = /^Received message larger than max \((\d+) vs (\d+)\)$/.exec(details);
    if (received !== null) return `grpc: received message larger than max (${received[1]} vs. ${received[2]})`;
    const sent = /^Attempted to send message with a size larger than (\d+)$/.exec(details);
    if (sent !== null) return `grpc: trying to send message larger than max (${sentBytes ?? '?'} vs. ${sent[1]})`;
  }
  return details;
}

/** The `details` (google.protobuf.Any list) of a google.rpc.Status as protojson; undefined when one cannot be resolved. */
export function statusDetailsJson(bytes: Buffer | undefined, types: TypeResolver): unknown[] | undefined {
  if (bytes === undefined) return [];
  const out: unknown[] = [];
  try {
    const reader = protobufLib().Reader.create(bytes);
    while (reader.pos < reader.len) {
      const tag = reader.uint32();
      if (tag >>> 3 !== 3) {
        reader.skipType(tag & 7);
        continue;
      }
      const any = protobufLib().Reader.create(reader.bytes());
      let url = '';
      let value: Uint8Array = new Uint8Array();
      while (any.pos < any.len) {
        const t = any.uint32();
        if (t >>> 3 === 1) url = any.string();
        else if (t >>> 3 === 2) value = any.bytes();
        else any.skipType(t & 7);
      }
      out.push(anyJson(url, value, types));
    }
  } catch {
    return undefined;
  }
  return out;
}
