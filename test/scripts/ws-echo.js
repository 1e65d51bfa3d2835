// k6/ws as k6's documentation uses it: a session per iteration that sends, receives, pings, times a
// close with socket.setTimeout, and blocks inside a handler (sleep) without losing messages.
import ws from 'k6/ws';
import { check, group, sleep } from 'k6';

export const options = { vus: 2, iterations: 4 };

export default function () {
  group('chat', function () {
    let received = 0;
    let pongs = 0;
    const res = ws.connect(`${__ENV.WS}/echo`, { tags: { room: 'a' } }, function (socket) {
      socket.on('open', function () {
        socket.send('one');
        socket.send('two');
        socket.sendBinary(new Uint8Array([1, 2]).buffer);
        socket.ping();
      });
      socket.on('message', function (_msg) {
        received++;
        sleep(0.01);
      });
      socket.on('binaryMessage', function (ab) {
        if (ab.byteLength === 2) received++;
      });
      socket.on('pong', function () {
        pongs++;
      });
      socket.setTimeout(function () {
        socket.close();
      }, 300);
    });
    check(res, { 'status is 101': (r) => r && r.status === 101 });
    check(received, { 'received all three': (n) => n === 3 });
    check(pongs, { 'got the pong': (n) => n === 1 });
  });
}
