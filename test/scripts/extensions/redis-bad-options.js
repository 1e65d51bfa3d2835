// An options object with a field xk6-redis does not know fails the init (Go's json decoder refuses it).
import redis from 'k6/x/redis';

const client = new redis.Client({ socket: { host: '127.0.0.1', port: 6379 }, colour: 'blue' });

export default async function () {
  await client.sendCommand('PING');
}
