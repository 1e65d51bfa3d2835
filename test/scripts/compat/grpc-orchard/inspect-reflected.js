// Stampede's gRPC tour, unary without a proto file: connect() with reflect reads the services from
// the server, then invoke() works as with a loaded file. Run by test/engine-grpc.test.ts.
import grpc from 'k6/net/grpc';
import { check } from 'k6';

const orchard = new grpc.Client();

export default function () {
  orchard.connect(__ENV.GRPC_ADDR, { plaintext: true, reflect: true });
  const res = orchard.invoke('orchard.Groves/Inspect', { row: 3, column: 14 });
  check(res, { 'reflected inspect: OK': (r) => r.status === grpc.StatusOK });
  console.log(JSON.stringify(res.message));
  orchard.close();
}
