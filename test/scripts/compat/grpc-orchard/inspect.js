// Stampede's gRPC tour, unary: a proto loaded in the init context, invoke() with request metadata
// (echoed back by the server as a response header), protojson's lowerCamelCase names with unpopulated
// fields emitted, and a non-OK status with its error and the empty message. Run by
// test/engine-grpc.test.ts (GRPC_ADDR: a local server).
import grpc from 'k6/net/grpc';
import { check } from 'k6';

const orchard = new grpc.Client();
orchard.load(['../../fixtures/grpc'], 'orchard.proto');

export default function () {
  orchard.connect(__ENV.GRPC_ADDR, { plaintext: true });

  const sapling = orchard.invoke('orchard.Groves/Inspect', { row: 9, column: 9 }, { metadata: { 'x-picker': 'ines' } });
  check(sapling, {
    'inspect: OK': (r) => r.status === grpc.StatusOK,
    'inspect: metadata came back': (r) => r.headers['x-picker-seen'][0] === 'ines',
  });
  console.log(JSON.stringify(sapling.message));

  const offGrid = orchard.invoke('orchard.Groves/Inspect', { row: 40, column: 0 });
  check(offGrid, {
    'inspect off the grid: NotFound': (r) => r.status === grpc.StatusNotFound,
    // As k6 (grpcext's Invoke): the response message is still the empty output message, every
    // scalar at its zero value and the unset message field null.
    'inspect off the grid: empty message': (r) => JSON.stringify(r.message) === '{"variety":"","position":null,"ageYears":0}',
    'inspect off the grid: the reason': (r) => r.error.message === 'no row 40 column 0 in this orchard',
  });

  orchard.close();
}
