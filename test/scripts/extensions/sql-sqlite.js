// k6/x/sql with the sqlite3 driver: a database file per run (SQL_DSN), ? and $n placeholders,
// go-sqlite3's conversion (INTEGER and REAL as numbers, TEXT as strings, BLOB as bytes, DATETIME
// columns as Go times) and its error texts; lastInsertId is the rowid.
import sql from 'k6/x/sql';
import driver from 'k6/x/sql/driver/sqlite3';
import { check } from 'k6';

const db = sql.open(driver, __ENV.SQL_DSN);
const mem = sql.open(driver, ':memory:');

export const options = { vus: 1, iterations: 3 };

export function setup() {
  db.exec('CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL, weight REAL, blob BLOB, at DATETIME, done BOOLEAN)');
}

export default function () {
  const res = db.exec('INSERT INTO notes (body, weight, blob, at, done) VALUES (?, ?, ?, ?, ?)',
    `note ${__ITER}`, 1.5, new Uint8Array([1, 2, 255]), '2024-02-03 04:05:06', __ITER % 2 === 0);
  const byNumber = db.query('SELECT * FROM notes WHERE id = $1', res.lastInsertId());
  const row = byNumber[0];
  check(row, {
    'rowid as lastInsertId': (r) => res.rowsAffected() === 1 && r.id === res.lastInsertId() && r.id === __ITER + 1,
    'text, real, blob': (r) => r.body === `note ${__ITER}` && r.weight === 1.5 && JSON.stringify(r.blob) === '[1,2,255]',
    'datetime and boolean columns': (r) => String(r.at) === '2024-02-03 04:05:06 +0000 UTC' && r.done === (__ITER % 2 === 0),
  });
  mem.exec('CREATE TABLE IF NOT EXISTS t (n INTEGER)');
  mem.exec('INSERT INTO t VALUES (1), (2)');
}

export function teardown() {
  console.log(`notes: ${db.query('SELECT count(*) AS n FROM notes')[0].n}`);
  let err = '';
  try {
    db.exec('INSERT INTO nowhere VALUES (1)');
  } catch (e) {
    err = String(e);
  }
  console.log(`error: ${err}`);
  db.close();
}
