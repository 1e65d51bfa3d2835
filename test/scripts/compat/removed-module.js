// A script written for an older k6: k6 v2.2 refuses the module with its own message (jsmodules.go).
import redis from 'k6/experimental/redis';

const client = new redis.Client('redis://127.0.0.1:6379');

export default async function () {
  await client.set('key', 'value');
}
