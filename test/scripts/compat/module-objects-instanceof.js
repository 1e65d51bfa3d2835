// k6 runs scripts and modules in one JS runtime, so what its modules return passes the script's
// instanceof tests: responses and their parts, http.batch's array, k6 errors caught in the script.
import http from 'k6/http';
import encoding from 'k6/encoding';
import exec from 'k6/execution';
import { check } from 'k6';

export const options = { iterations: 1 };

class MyError extends Error {}

export default function () {
  const res = http.get(`${__ENV.BASE}/api/users`);
  const caught = (fn) => { try { fn(); } catch (e) { return e; } return undefined; };
  const goError = caught(() => encoding.b64decode('!!!'));
  const requestError = caught(() => http.get('http://127.0.0.1:9/', { throw: true }));
  check(res, {
    'response instanceof Object': (r) => r instanceof Object,
    'headers, timings, cookies are Objects': (r) => r.headers instanceof Object && r.timings instanceof Object && r.cookies instanceof Object,
    'batch result instanceof Array': () => http.batch([`${__ENV.BASE}/api/users`]) instanceof Array,
    'module functions instanceof Function': () => http.get instanceof Function && check instanceof Function,
    'exec.vu instanceof Object': () => exec.vu instanceof Object,
    'a GoError instanceof Error': () => goError instanceof Error && goError.name === 'GoError',
    'a failed request with throw instanceof Error': () => requestError instanceof Error,
    'a k6 error is not a TypeError': () => !(goError instanceof TypeError),
    'a script subclass keeps the ordinary test': () => !(goError instanceof MyError) && new MyError() instanceof MyError && new MyError() instanceof Error,
    'plain values are not Objects': () => !(1 instanceof Object) && !('s' instanceof Object) && !(null instanceof Object),
    'a null-prototype object is not an Object': () => !(Object.create(null) instanceof Object),
  });
}
