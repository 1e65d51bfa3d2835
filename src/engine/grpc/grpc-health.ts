// grpc.health.v1.Health/Check for client.healthCheck(): its two one-field messages, encoded and read
// by hand (no proto to load).
import { lengthDelimited } from './proto-wire.ts';

/** grpc.health.v1.HealthCheckRequest { string service = 1; } */
export function healthCheckRequest(service: string): Buffer {
  return service === '' ? Buffer.alloc(0) : lengthDelimited(1, Buffer.from(service, 'utf8'));
}

/** grpc.health.v1.HealthCheckResponse { ServingStatus status = 1; } */
export function servingStatus(bytes: Buffer | undefined): number {
  if (bytes === undefined || bytes.length < 2 || bytes[0] !== 0x08) return 0;
  let v = 0;
  let shift = 0;
  for (let i = 1; i < bytes.length; i++) {
    const b = bytes[i] ?? 0;
    v |= (b & 0x7f) << shift;
    if ((b & 0x80) === 0) break;
    shift += 7;
  }
  return v;
}
