// A refused upgrade: with throw off ws.connect returns the response; with throw on it throws.
import ws from 'k6/ws';
import { check } from 'k6';

export const options = { iterations: 1, throw: __ENV.THROW === '1' };

export default function () {
  const res = ws.connect(`${__ENV.WS}/status/403`, function () {});
  check(res, {
    'status is 403': (r) => r.status === 403,
    'body is kept': (r) => r.body === 'refused with 403',
  });
}
