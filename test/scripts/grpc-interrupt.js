// A bidi stream that never ends keeps its iteration going until the scenario's end interrupts it;
// the stream is then cancelled without events.
import { Client, Stream } from 'k6/net/grpc';

export const options = { scenarios: { chat: { executor: 'constant-vus', vus: 1, duration: '1s', gracefulStop: '0s' } } };

const client = new Client();
client.load(['fixtures/grpc'], 'echo.proto');

export default () => {
  if (__ITER === 0) client.connect(__ENV.GRPC, { plaintext: true });
  const s = new Stream(client, 'stampede.test.Echo/Chat');
  s.on('data', () => {
    setTimeout(() => s.write({ text: 'again' }), 50);
  });
  s.on('end', () => console.log('stream ended'));
  s.on('error', (e) => console.log(`stream error ${JSON.stringify(e)}`));
  s.write({ text: 'start' });
};
