// k6/x/tcp against the test's echo server (TCP_PORT): connect with both argument forms, write text and
// bytes, get each echo back as a Uint8Array, close from the script; the iteration waits for 'close'.
import { Socket } from 'k6/x/tcp';
import { check } from 'k6';

export const options = { iterations: 2, vus: 1 };

const port = Number(__ENV.TCP_PORT);

export default async function () {
  const events = [];
  const received = [];
  const socket = new Socket({ tags: { role: 'echo-client' } });
  check(socket, {
    'starts disconnected': (s) => s.ready_state === 'disconnected' && s.connected === false && s.remote_ip === undefined,
    'is a Socket': (s) => s instanceof Socket && s instanceof Object && typeof s.connect === 'function',
  });

  const closed = new Promise((resolve) => socket.on('close', () => {
    events.push('close');
    resolve();
  }));
  socket.on('connect', () => events.push('connect'));
  socket.on('data', (data) => {
    events.push('data');
    received.push(new TextDecoder().decode(data));
    if (received.join('').includes('bye')) socket.destroy();
  });
  socket.on('error', (e) => console.error(`unexpected: ${e}`));

  if (__ITER === 0) await socket.connect(port, '127.0.0.1');
  else await socket.connect({ port: String(port), host: '127.0.0.1', tags: { form: 'options' } });
  check(socket, {
    'open after connect': (s) => s.ready_state === 'open' && s.connected === true,
    'remote endpoint known': (s) => s.remote_ip === '127.0.0.1' && s.remote_port === port,
    'local endpoint known': (s) => s.local_ip === '127.0.0.1' && s.local_port > 0,
  });
  await socket.write('aGVsbG8g', { encoding: 'base64' });
  await socket.write(new Uint8Array([0x62, 0x79, 0x65]).buffer, { tags: { kind: 'binary' } });
  check(socket, { 'bytes_written counts both writes': (s) => s.bytes_written === 9 });
  await closed;
  check(null, {
    'echo came back': () => received.join('') === 'hello bye',
    'connect first, close last': () => events[0] === 'connect' && events[events.length - 1] === 'close',
    'destroyed at the end': () => socket.ready_state === 'destroyed' && socket.bytes_read === 9,
  });
}
