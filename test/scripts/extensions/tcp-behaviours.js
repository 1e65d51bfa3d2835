// k6/x/tcp's less travelled paths against the test's servers: GREETER_PORT says "hi" and hangs up,
// SILENT_PORT accepts and never speaks, ECHO_PORT echoes, RESET_PORT resets the connection on the
// first bytes; CLOSED_PORT refuses connections.
import { Socket } from 'k6/x/tcp';
import { check } from 'k6';

export const options = {
  iterations: 1,
  hosts: { 'echo.test.internal': '127.0.0.1' },
  blockHostnames: ['*.forbidden.test'],
  thresholds: { tcp_errors: ['count==7'], tcp_sockets: ['count==4'] },
};

function whenClosed(socket) {
  return new Promise((resolve) => socket.on('close', resolve));
}

export default async function () {
  // The server hangs up: 'data' then 'close' without destroy(), and the iteration goes on.
  const greeted = new Socket();
  let greeting = '';
  greeted.on('data', (d) => { greeting += String.fromCharCode(...d); });
  const greeterGone = whenClosed(greeted);
  await greeted.connect(Number(__ENV.GREETER_PORT), '127.0.0.1');
  await greeterGone;
  check(greeting, { 'server greeting arrived before its close': (g) => g === 'hi' });

  // Idle timeout: 'timeout' fires, the socket stays open until destroy().
  const idle = new Socket();
  let timeouts = 0;
  let stateAtTimeout = '';
  idle.on('timeout', () => {
    timeouts++;
    stateAtTimeout = idle.ready_state;
    idle.destroy();
  });
  const idleGone = whenClosed(idle);
  const chained = idle.setTimeout(150);
  await idle.connect({ port: Number(__ENV.SILENT_PORT), host: '127.0.0.1' });
  await idleGone;
  check(timeouts, {
    'setTimeout returns the socket': () => chained === idle,
    'one timeout, socket still open then': (n) => n === 1 && stateAtTimeout === 'open',
  });

  // A refused connection: the 'error' handler gets a TCPError and connect() rejects too.
  const refused = new Socket();
  let seen;
  refused.on('error', (e) => { seen = e; });
  let rejected;
  try {
    await refused.connect(Number(__ENV.CLOSED_PORT), '127.0.0.1');
  } catch (e) {
    rejected = e;
  }
  refused.destroy();
  check(rejected, {
    'connect rejects with TCPError': (e) => e.name === 'TCPError' && e.method === 'connect',
    'Go dial error text': (e) => String(e) === `TCP error during connect: dial tcp 127.0.0.1:${__ENV.CLOSED_PORT}: connect: connection refused`,
    'error event saw it first': () => seen !== undefined && seen.message === rejected.message,
  });

  // blockHostnames and the hosts option apply (the VU's dialer).
  const blocked = new Socket();
  const blockErr = await blocked.connect(80, 'api.forbidden.test').catch((e) => e);
  blocked.destroy();
  check(blockErr, { 'blocked hostname': (e) => e.message === 'hostname (api.forbidden.test) is in a blocked pattern (*.forbidden.test)' });

  const named = new Socket();
  let echoed = '';
  named.on('data', (d) => {
    echoed += new TextDecoder().decode(d);
    named.destroy();
  });
  const namedGone = whenClosed(named);
  await named.connect(Number(__ENV.ECHO_PORT), 'echo.test.internal');
  check(named, { 'hosts option maps the name': (s) => s.remote_ip === '127.0.0.1' });

  // Bad writes reject; the connection stays usable.
  const badBase64 = await named.write('aGk', { encoding: 'base64' }).catch((e) => String(e));
  const badHex = await named.write('6g', { encoding: 'hex' }).catch((e) => String(e));
  const badEncoding = await named.write('x', { encoding: 'utf16' }).catch((e) => String(e));
  const badType = await named.write(42).catch((e) => String(e));
  check(null, {
    'base64 error as Go says it': () => badBase64 === 'TCP error during write: illegal base64 data at input byte 0',
    'hex error as Go says it': () => badHex === "TCP error during write: encoding/hex: invalid byte: U+0067 'g'",
    'unknown encoding': () => badEncoding === 'TCP error during write: unsupported encoding "utf16"',
    'numbers are not data': () => badType === 'TCP error during write: invalid type: String or ArrayBuffer expected',
  });
  await named.write('6f6b', { encoding: 'hex' });
  await namedGone;
  check(echoed, { 'hex payload echoed': (t) => t === 'ok' });

  const late = await named.write('again').catch((e) => String(e));
  check(late, { 'write after destroy': (t) => t === 'no active connection' });

  // A reset by the server: 'error' with Go's read error, then 'close'.
  const reset = new Socket();
  let readError = '';
  reset.on('error', (e) => { readError = String(e); });
  const resetGone = whenClosed(reset);
  await reset.connect(Number(__ENV.RESET_PORT), '127.0.0.1');
  await reset.write('boom');
  await resetGone;
  check(readError, {
    'a reset is a read error': (t) => /^TCP error during read: read tcp 127\.0\.0\.1:\d+->127\.0\.0\.1:\d+: read: connection reset by peer$/.test(t),
  });
}
