// A vendored UMD library whose Node-only branch calls require('stream') (papaparse 5 does): k6
// resolves a require() when it runs, so the script loads; calling that branch fails then.
import { check } from 'k6';
import table from './lib/umd-table.js';

const parsed = table.rows('city;zone\nOslo;north\nLima;south\n');
let initError = '';
try {
  table.streamRows();
} catch (e) {
  initError = String(e);
}

export const options = { iterations: 1 };

export default function () {
  check(parsed, { 'two rows': (p) => p.length === 2, 'second city': (p) => p[1].city === 'Lima' });
  // k6's loader error for a bare name (internal/loader/loader.go Resolve), a GoError.
  check(initError, { 'the Node-only branch fails when called': (e) => e === 'GoError: The moduleSpecifier "stream" couldn\'t be recognised as something k6 supports.' });
}
