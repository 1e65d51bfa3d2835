// k6/websockets as k6's documentation uses it: two sockets per iteration on the VU's event loop,
// the iteration ends only when both closed; timers and a blocking sleep() in a listener mix in.
import { WebSocket } from 'k6/websockets';
import { check, sleep } from 'k6';

export const options = { vus: 2, iterations: 4 };

export default function () {
  for (let i = 0; i < 2; i++) {
    const ws = new WebSocket(`${__ENV.WS}/echo`, null, { tags: { socket: String(i) } });
    ws.binaryType = 'arraybuffer';
    let received = 0;
    ws.onopen = () => {
      ws.send('a');
      ws.send(new Uint8Array([1, 2, 3]).buffer);
      ws.ping();
    };
    ws.addEventListener('message', (_e) => {
      received++;
      sleep(0.01);
      if (received === 2) setTimeout(() => ws.close(), 50);
    });
    ws.onclose = (e) => {
      check(e, { 'closed normally': (ev) => ev.code === 1000 });
      check(received, { 'got both messages': (n) => n === 2 });
    };
  }
}
