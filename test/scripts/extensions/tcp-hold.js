// An open socket with listeners keeps its iteration alive: this one never closes, so the iteration
// runs until the scenario's end and gracefulStop interrupt it, and the connection is then cut.
import { Socket } from 'k6/x/tcp';

export const options = {
  scenarios: { hold: { executor: 'per-vu-iterations', vus: 1, iterations: 1, maxDuration: '1s', gracefulStop: '0s' } },
};

export default async function () {
  const socket = new Socket();
  socket.on('data', () => {});
  await socket.connect(Number(__ENV.SILENT_PORT), '127.0.0.1');
  console.log('connected, now waiting');
}
