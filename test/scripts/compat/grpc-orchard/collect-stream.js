// Stampede's gRPC tour, client streaming: spots written one at a time (with sleeps between), end()
// closes the client's side, the server's single reply arrives as a 'data' event, then 'end'. Run by
// test/engine-grpc.test.ts.
import { Client, Stream } from 'k6/net/grpc';
import { sleep } from 'k6';

const picker = new Client();
picker.load(['../../fixtures/grpc'], 'orchard.proto');

// Three of these spots hold a tree of the server's orchard.
const ROUND = [
  { row: 3, column: 14 },
  { row: 1, column: 1 },
  { row: 7, column: -2 },
  { row: 12, column: 5 },
  { row: 9, column: 9 },
];

export default function () {
  if (__ITER === 0) picker.connect(__ENV.GRPC_ADDR, { plaintext: true });

  const basket = new Stream(picker, 'orchard.Picking/Collect');
  basket.on('data', (report) => {
    console.log(`visited ${report.spotsVisited} spots, found ${report.treesFound} trees, filled ${report.cratesFilled} crates`);
  });
  basket.on('error', (e) => console.log(`collect failed: ${JSON.stringify(e)}`));
  basket.on('end', () => {
    picker.close();
    console.log('picking finished');
  });

  for (const spot of ROUND) {
    console.log(`walking to row ${spot.row}, column ${spot.column}`);
    basket.write(spot);
    sleep(0.2);
  }
  basket.end();
}
