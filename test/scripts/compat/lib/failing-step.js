// An anonymous default export that fails after blocking calls (stack-after-blocking.js): k6 names
// its frame `default`.
import http from 'k6/http';
import { sleep } from 'k6';

function fetchAndFail(url) {
  http.get(url);
  throw new Error('failed after a request');
}

export default function (base) {
  sleep(0.01);
  return fetchAndFail(`${base}/`);
}
