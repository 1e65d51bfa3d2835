// Stampede's gRPC tour: the standard health check (grpc.health.v1) with no proto loaded and no
// reflection, of the whole server and of a service the server's health table does not list
// (k6's constant keeps its spelling, HealthCheckServiceUnkown). Run by test/engine-grpc.test.ts.
import grpc from 'k6/net/grpc';
import { check } from 'k6';

const probe = new grpc.Client();

export default function () {
  probe.connect(__ENV.GRPC_ADDR, { plaintext: true });
  check(probe.healthCheck(), { 'health of the server: SERVING': (r) => r !== undefined && r.status === grpc.HealthCheckServing });
  check(probe.healthCheck('orchard.Nursery'), { 'health of an unlisted service: SERVICE_UNKNOWN': (r) => r.status === grpc.HealthCheckServiceUnkown });
  probe.close();
}
