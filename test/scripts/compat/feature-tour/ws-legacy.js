// Stampede's feature-tour script for k6/ws: connect with tags, socket.setInterval pings, two handlers
// on 'pong', echoes re-sent from a socket.setTimeout, and a close from a timer after 2 s; connect()
// returns once the socket is closed, with the 101 response. Run by test/engine-compat-examples.test.ts
// against the echo.websocket.org stand-in (it greets with a text line, then echoes).
import ws from 'k6/ws';
import { check } from 'k6';

export default function () {
  let pings = 0;
  const res = ws.connect('ws://echo.websocket.org', { tags: { lane: 'legacy' } }, (socket) => {
    socket.on('open', () => {
      console.log('open');
      socket.send(String(Date.now()));
      socket.setInterval(() => {
        pings++;
        socket.ping();
      }, 700);
    });

    socket.on('ping', () => console.log('server pinged us'));
    socket.on('pong', () => console.log('pong (first handler)'));
    socket.on('pong', () => console.log('pong (second handler)'));

    socket.on('message', (text) => {
      // The greeting is not a number: the subtraction gives NaN, as in k6.
      console.log(`echo took ${Date.now() - text} ms`);
      socket.setTimeout(() => socket.send(String(Date.now())), 400);
    });

    socket.on('close', () => console.log(`closed after ${pings > 0 ? 'some' : 'no'} pings`));
    socket.on('error', (e) => {
      if (e.error() !== 'websocket: close sent') console.log(`unexpected error: ${e.error()}`);
    });

    socket.setTimeout(() => {
      console.log('closing from the 2 s timer');
      socket.close();
    }, 2000);
  });

  check(res, { 'ws: switched protocols (101)': (r) => r !== undefined && r.status === 101 });
}
