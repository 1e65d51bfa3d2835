// Stampede's feature-tour script: importing the removed k6/experimental/redis module fails the init
// (exit 107) with k6's message pointing at k6/x/redis.
import redis from 'k6/experimental/redis';

const store = new redis.Client('redis://127.0.0.1:6379');

export default async function () {
  await store.set('visits', 1);
}
