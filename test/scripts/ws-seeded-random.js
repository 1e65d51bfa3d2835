// randomSeed() per VU holds inside ws.connect callbacks, while other VUs draw from their own
// sequences in between (all VUs share one realm's Math.random in Stampede).
import ws from 'k6/ws';
import { check, randomSeed } from 'k6';

export const options = { vus: 3, iterations: 6 };

export default function () {
  randomSeed(42);
  const expected = [Math.random(), Math.random(), Math.random(), Math.random()];
  randomSeed(42);
  const got = [];
  ws.connect(`${__ENV.WS}/silent`, function (socket) {
    socket.setInterval(function () {
      got.push(Math.random());
      if (got.length === expected.length) socket.close();
    }, 3);
  });
  check(got, { 'the VU’s own seeded sequence': (g) => JSON.stringify(g) === JSON.stringify(expected) });
}
