// Stampede's feature-tour script for k6/websockets: a WebSocket with tags and binaryType, the on*
// properties and addEventListener on the same event, global setInterval pings, a close from a
// global timer; the iteration ends only once the socket is closed and its timers are done.
// Run by test/engine-compat-examples.test.ts against the echo.websocket.org stand-in (greeting, then echo).
import { WebSocket } from 'k6/websockets';

const OPEN = 1;

export default function () {
  const sock = new WebSocket('wss://echo.websocket.org/', null, { tags: { lane: 'events' } });
  sock.binaryType = 'arraybuffer';

  const pinger = setInterval(() => sock.ping(), 700);
  const closer = setTimeout(() => {
    console.log('closing from the 2 s timer');
    clearInterval(pinger);
    sock.close();
  }, 2000);

  sock.onopen = () => {
    console.log('open');
    sock.send(String(Date.now()));
  };
  sock.onping = () => console.log('server pinged us');
  sock.onpong = () => console.log('pong (property handler)');
  sock.addEventListener('pong', () => console.log('pong (listener)'));

  sock.onmessage = (ev) => {
    const sent = Number.parseInt(ev.data, 10);
    if (Number.isNaN(sent)) {
      console.log(`greeting: ${ev.data}`);
      return;
    }
    console.log(`echo took ${Date.now() - sent} ms`);
    // This timer may fire after the 2 s timer began the close (readyState CLOSING) or after it ended
    // (CLOSED); send() would then throw InvalidStateError, as in k6, so it sends only while OPEN.
    setTimeout(() => {
      if (sock.readyState === OPEN) sock.send(String(Date.now()));
    }, 400);
  };

  sock.onclose = () => {
    clearTimeout(closer);
    console.log('closed');
  };
  sock.onerror = (e) => {
    if (e.error !== 'websocket: close sent') console.log(`unexpected error: ${e.error}`);
  };
}
