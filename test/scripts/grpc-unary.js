// k6/net/grpc unary calls against src/engine/grpc/grpc-test-server.test-helper.ts: invoke() blocks
// and returns the response, asyncInvoke() resolves on the event loop, statuses, metadata, deadlines,
// and k6's errors for load() outside the init context.
import grpc from 'k6/net/grpc';
import { check } from 'k6';

export const options = {
  // One VU on each of two worker threads: their init reads echo.proto through VU 0's recorded files.
  scenarios: { calls: { executor: 'per-vu-iterations', vus: 2, iterations: 1 } },
  thresholds: {
    'grpc_req_duration{method:Say}': ['max>=0'],
    'grpc_req_duration{status:5}': ['max>=0'],
    'grpc_req_duration{name:custom}': ['max>=0'],
  },
};

const client = new grpc.Client();
const methods = client.load(['fixtures/grpc'], 'echo.proto');

export default async () => {
  client.connect(__ENV.GRPC, { plaintext: true });
  const res = client.invoke('stampede.test.Echo/Say', {
    text: 'hi', big: '9007199254740993', kind: 'KIND_B', counts: { a: 1 },
  }, { metadata: { 'x-token': 'secret' }, tags: { name: 'custom' } });
  check(res, {
    'methods listed': () => methods.length === 6 && methods[0].full_method === '/stampede.test.Echo/Say',
    'status is OK': (r) => r.status === grpc.StatusOK,
    'int64 as string, enum by name': (r) => r.message.big === '9007199254740993' && r.message.kind === 'KIND_B',
    'unpopulated fields present': (r) => r.message.nested === null && r.message.total === '0' && Array.isArray(r.message.tags),
    'metadata echoed': (r) => r.headers['x-echo'][0] === 'secret' && r.trailers['x-trailer'][0] === 'done',
  });

  const failed = client.invoke('stampede.test.Echo/Fail', { code: 5, text: 'no such thing' });
  check(failed, {
    'error status': (r) => r.status === grpc.StatusNotFound && r.error.code === 5 && r.error.message === 'no such thing',
  });

  const slow = client.invoke('stampede.test.Echo/Slow', { delay_ms: 2000 }, { timeout: '100ms' });
  check(slow, { deadline: (r) => r.status === grpc.StatusDeadlineExceeded });

  const later = await client.asyncInvoke('stampede.test.Echo/Say', { text: 'async' });
  check(later, { 'asyncInvoke resolves': (r) => r.message.text === 'async' });

  let loadError = '';
  try {
    client.load(['fixtures/grpc'], 'echo.proto');
  } catch (e) {
    loadError = String(e);
  }
  check(loadError, { 'load in VU context fails': (e) => e === 'GoError: load must be called in the init context' });
  client.close();
};
