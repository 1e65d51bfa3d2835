// k6/x/sql against PostgreSQL: a pool per VU opened in the init context, exec/query with $n
// placeholders, lib/pq's value conversion and error texts. The table name comes from SQL_TABLE so
// parallel runs do not collide; teardown drops it.
import sql from 'k6/x/sql';
import driver from 'k6/x/sql/driver/postgres';
import { check } from 'k6';

const table = __ENV.SQL_TABLE;
const db = sql.open(driver, __ENV.SQL_DSN, { conn_max_idle_time: '10s', max_open_conns: 4 });

export const options = { vus: 2, iterations: 6 };

export function setup() {
  db.exec(`CREATE TABLE ${table} (id SERIAL PRIMARY KEY, vu INT NOT NULL, label TEXT, price NUMERIC(6,2), seen TIMESTAMP, ok BOOLEAN, raw BYTEA, ratio FLOAT8)`);
}

export default function () {
  const res = db.exec(
    `INSERT INTO ${table} (vu, label, price, seen, ok, raw, ratio) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    __VU, `item-${__ITER}`, 12.5, new Date(Date.UTC(2024, 0, 2, 3, 4, 5)), true, new Uint8Array([104, 105]), 0.25,
  );
  let lastIdError = '';
  try {
    res.lastInsertId();
  } catch (e) {
    lastIdError = String(e);
  }
  const rows = db.query(`SELECT * FROM ${table} WHERE vu = $1 AND label = $2`, __VU, `item-${__ITER}`);
  const row = rows[0];
  check(row, {
    'one row inserted': () => res.rowsAffected() === 1 && rows.length === 1,
    'no lastInsertId with lib/pq': () => lastIdError === 'GoError: LastInsertId is not supported by this driver',
    'ints and text as numbers and strings': (r) => typeof r.id === 'number' && r.vu === __VU && r.label === `item-${__ITER}`,
    'numeric as bytes': (r) => String.fromCharCode(...r.price) === '12.50',
    'timestamp as a Go time': (r) => String(r.seen) === '2024-01-02 03:04:05 +0000 +0000' && r.seen.unix() === 1704164645,
    'bool, bytea, float8': (r) => r.ok === true && JSON.stringify(r.raw) === '[104,105]' && r.ratio === 0.25,
  });
}

export function teardown() {
  const count = db.query(`SELECT count(*) AS n FROM ${table}`)[0].n;
  console.log(`rows: ${count}`);
  let missing = '';
  try {
    db.query(`SELECT nope FROM ${table}`);
  } catch (e) {
    missing = String(e);
  }
  console.log(`missing column: ${missing}`);
  let timeout = '';
  try {
    db.queryWithTimeout('1ns', 'SELECT pg_sleep(1)');
  } catch (e) {
    timeout = String(e);
  }
  console.log(`timeout: ${timeout}`);
  let canceled = '';
  try {
    db.queryWithTimeout('200ms', 'SELECT pg_sleep(5)');
  } catch (e) {
    canceled = String(e);
  }
  console.log(`canceled: ${canceled}`);
  const upd = db.exec(`UPDATE ${table} SET ok = false WHERE label LIKE $1`, 'item-%');
  console.log(`updated: ${upd.rowsAffected()}`);
  db.exec(`DROP TABLE ${table}`);
  db.close();
  let closed = '';
  try {
    db.query('SELECT 1');
  } catch (e) {
    closed = String(e);
  }
  console.log(`after close: ${closed}`);
}
