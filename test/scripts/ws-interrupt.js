// A session the server never ends and the script never closes: the scenario's end (gracefulStop 0s)
// interrupts the VU, which must close the socket and not hang.
import ws from 'k6/ws';

export const options = { scenarios: { s: { executor: 'constant-vus', vus: 1, duration: '1s', gracefulStop: '0s' } } };

export default function () {
  ws.connect(`${__ENV.WS}/silent`, function (socket) {
    socket.setInterval(function () {
      socket.send('tick');
    }, 100);
  });
}
