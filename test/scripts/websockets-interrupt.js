// Sockets that never close keep the iteration open until the scenario's end interrupts it.
import { WebSocket } from 'k6/experimental/websockets';

export const options = { scenarios: { s: { executor: 'constant-vus', vus: 1, duration: '1s', gracefulStop: '0s' } } };

export default function () {
  const ws = new WebSocket(`${__ENV.WS}/silent`);
  ws.onopen = () => ws.send('hi');
}
