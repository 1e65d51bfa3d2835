// The built-in url and papaparse jslib modules (no archive, no network): a CSV opened in init is
// parsed into a SharedArray, each row becomes a query built with URLSearchParams, requested locally.
import { check } from 'k6';
import { SharedArray } from 'k6/data';
import http from 'k6/http';
import papaparse from 'https://jslib.k6.io/papaparse/5.1.1/index.js';
import { URL, URLSearchParams } from 'https://jslib.k6.io/url/1.0.0/index.js';

const rows = new SharedArray('searches', () => papaparse.parse(open('./fixtures/searches.csv'), { header: true, skipEmptyLines: true }).data);

export const options = { scenarios: { each: { executor: 'per-vu-iterations', vus: 3, iterations: 1 } } };

export default function () {
  const row = rows[__VU - 1];
  const url = new URL('/echo', __ENV.BASE);
  url.searchParams.append('user', row.user);
  url.searchParams.append('q', row.query);
  const body = new URLSearchParams({ page: row.page });
  body.append('vu', String(__VU));
  // A URL object is not a URL to k6's http (httpext.ToURL takes strings): its string is.
  const res = http.post(url.toString(), body.toString(), { headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  const echoed = res.json();
  const back = new URL(`${__ENV.BASE}${echoed.path}${echoed.query}`);
  check(res, {
    'echoed query round-trips': () => back.searchParams.get('user') === row.user && back.searchParams.get('q') === row.query,
    'echoed body round-trips': () => new URLSearchParams(echoed.body).get('page') === row.page,
  });
  http.post(`${__ENV.BASE}/record`, JSON.stringify({
    row, query: echoed.query, body: echoed.body, rows: rows.length, isArray: Array.isArray(rows), rowIsObject: row instanceof Object,
    params: [...url.searchParams].map(([k, v]) => `${k}:${v}`), pairIsArray: [...url.searchParams][0] instanceof Array,
  }));
}
