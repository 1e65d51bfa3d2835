// Data-driven requests from a CSV file as k6's docs show them with k6/experimental/fs and
// k6/experimental/csv: csv.parse() into a SharedArray picked by iteration, and a csv.Parser read one
// record per iteration.
import http from 'k6/http';
import { check } from 'k6';
import exec from 'k6/execution';
import { open, SeekMode } from 'k6/experimental/fs';
import csv from 'k6/experimental/csv';

export const options = {
  scenarios: { search: { executor: 'shared-iterations', vus: 2, iterations: 3, maxDuration: '20s' } },
};

const file = await open('../fixtures/searches.csv');
const rows = await csv.parse(file, { asObjects: true });
const parser = new csv.Parser(file, { skipFirstLine: true });

export default async function () {
  const row = rows[exec.scenario.iterationInTest];
  const res = http.get(`${__ENV.BASE}/echo?user=${encodeURIComponent(row.user)}&q=${encodeURIComponent(row.query)}`);
  check(res, {
    'the row reached the server': (r) => r.json('query.user') === row.user && r.json('query.q') === row.query,
    'rows are a SharedArray of objects': () => Array.isArray(rows) && rows.length === 3 && Object.keys(row).join() === 'user,query,page',
  });
  // Each VU has its own parser, from the file's first data line: its n-th iteration gets the n-th row.
  const next = await parser.next();
  check(next, {
    'a VU\'s parser reads its own rows in order': (r) => r.done === false && r.value[0] === ['alice', 'bob, jr', 'carol'][exec.vu.iterationInScenario] && r.value.length === 3,
  });
  const info = await file.stat();
  const head = new Uint8Array(4);
  await file.seek(0, SeekMode.Start);
  const n = await file.read(head);
  check(info, {
    'stat names the file and its size': (i) => i.name === 'searches.csv' && i.size > 40,
    'read fills the buffer': () => n === 4 && String.fromCharCode(...head) === 'user',
  });
}
