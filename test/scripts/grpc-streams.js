// k6/net/grpc streams against src/engine/grpc/grpc-test-server.test-helper.ts: server, client and bidi streaming, an
// error status, and events on the VU's event loop.
import { Client, Stream, StatusNotFound } from 'k6/net/grpc';
import { check, sleep } from 'k6';

export const options = { iterations: 1 };

const client = new Client();
client.load(['fixtures/grpc'], 'echo.proto');

export default () => {
  client.connect(__ENV.GRPC, { plaintext: true });
  const events = [];

  const server = new Stream(client, 'stampede.test.Echo/Count', { tags: { kind: 'server' } });
  server.on('data', (m, meta) => events.push(`count:${m.text}:${typeof meta.ts}`));
  server.on('end', () => events.push('count:end'));
  server.write({ text: 'n', count: 3 });
  server.end();

  const failing = new Stream(client, '/stampede.test.Echo/Count');
  failing.on('data', (m) => events.push(`fail:${m.text}`));
  failing.on('error', (e) => events.push(`fail:error:${e.code}:${e.message}`));
  failing.on('end', () => events.push('fail:end'));
  failing.write({ text: 'f', count: 1, code: StatusNotFound });
  failing.end();

  const sum = new Stream(client, 'stampede.test.Echo/Sum');
  sum.on('data', (m) => events.push(`sum:${m.text}:${m.total}`));
  sum.on('end', () => events.push('sum:end'));
  sum.write({ text: 'a' });
  sum.write({ text: 'b' });
  sum.end();

  const chat = new Stream(client, 'stampede.test.Echo/Chat');
  chat.on('data', (m) => {
    events.push(`chat:${m.text}`);
    if (m.text === 'TWO') chat.end();
  });
  chat.on('end', () => {
    events.push('chat:end');
    console.log(JSON.stringify(events.sort()));
    check(events, { 'all ended': (e) => e.filter((x) => x.endsWith(':end')).length === 4 });
  });
  chat.write({ text: 'one' });
  sleep(0.1);
  chat.write({ text: 'two' });
};
