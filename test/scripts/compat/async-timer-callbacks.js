// Async callbacks of timers and of asyncRequest's promise run synchronously up to their first await
// in k6, requests included: the VU's event loop runs nothing else meanwhile, so the next timer's
// callback starts only once the previous one's prefix is done.
import http from 'k6/http';
import { check } from 'k6';

export const options = { vus: 1, iterations: 2, thresholds: { checks: ['rate==1'] } };

export default async function () {
  const seen = [];
  const step = async (tag) => {
    seen.push(`start ${tag}`);
    http.get(`${__ENV.BASE}/me`);
    seen.push(`done ${tag}`);
    await null;
    seen.push(`after ${tag}`);
  };
  await new Promise((resolve) => {
    setTimeout(async () => step('t1'), 0);
    setTimeout(async () => {
      await step('t2');
      resolve();
    }, 0);
  });
  await http.asyncRequest('GET', `${__ENV.BASE}/me`).then(async () => step('then'));
  check(seen, {
    'each async callback ran up to its first await before the next one started': (s) =>
      s.join() === 'start t1,done t1,after t1,start t2,done t2,after t2,start then,done then,after then',
  });
}
