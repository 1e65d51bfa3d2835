// Stampede's gRPC tour, server streaming: one request written to a Stream, then a 'data' event per
// tree and 'end'; a second stream the server refuses gets an 'error' event with the status, then
// 'end'. The iteration waits for both streams. Run by test/engine-grpc.test.ts.
import { Client, Stream, StatusInvalidArgument } from 'k6/net/grpc';
import { check } from 'k6';

const orchard = new Client();
orchard.load(['../../fixtures/grpc'], 'orchard.proto');

export default function () {
  orchard.connect(__ENV.GRPC_ADDR, { plaintext: true });
  let open = 2;
  const done = () => {
    if (--open === 0) {
      orchard.close();
      console.log('survey finished');
    }
  };

  const survey = new Stream(orchard, 'orchard.Groves/Survey');
  survey.on('data', (tree) => console.log(`${tree.variety} (${tree.ageYears} years) at row ${tree.position.row}, column ${tree.position.column}`));
  survey.on('error', (e) => console.log(`survey failed: ${JSON.stringify(e)}`));
  survey.on('end', done);
  survey.write({ nearCorner: { row: 0, column: -5 }, farCorner: { row: 10, column: 15 } });

  const swapped = new Stream(orchard, 'orchard.Groves/Survey');
  swapped.on('data', () => console.log('a swapped plot should list nothing'));
  swapped.on('error', (e) => {
    check(e, { 'swapped plot: InvalidArgument with the reason': (x) => x.code === StatusInvalidArgument && x.message === 'near_corner must not lie beyond far_corner' });
  });
  swapped.on('end', done);
  swapped.write({ nearCorner: { row: 10, column: 0 }, farCorner: { row: 0, column: 0 } });
}
