// k6/x/sql against MySQL/MariaDB with go-sql-driver's DSN ("user:pass@tcp(host:port)/db"): ?
// placeholders, text columns as byte arrays (as go-sql-driver returns them to k6), integers and
// doubles as numbers, lastInsertId from AUTO_INCREMENT, the server's errors as "Error N (STATE): …".
import sql from 'k6/x/sql';
import driver from 'k6/x/sql/driver/mysql';
import { check } from 'k6';

const table = __ENV.SQL_TABLE;
const db = sql.open(driver, __ENV.SQL_DSN);
const timed = sql.open(driver, `${__ENV.SQL_DSN}?parseTime=true`, { max_idle_conns: 1 });

export const options = { vus: 2, iterations: 4 };

const text = (bytes) => String.fromCharCode(...bytes);

export function setup() {
  db.exec(`CREATE TABLE ${table} (id INT AUTO_INCREMENT PRIMARY KEY, vu INT NOT NULL, name VARCHAR(40), amount DECIMAL(6,2), score DOUBLE, created DATETIME)`);
}

export default function () {
  const res = db.exec(`INSERT INTO ${table} (vu, name, amount, score, created) VALUES (?, ?, ?, ?, ?)`,
    __VU, `it's ${__ITER}`, 3.5, 0.75, new Date(Date.UTC(2024, 4, 6, 7, 8, 9)));
  const id = res.lastInsertId();
  const rows = db.query(`SELECT * FROM ${table} WHERE id = ?`, id);
  const row = rows[0];
  const timedRow = timed.query(`SELECT created FROM ${table} WHERE id = ?`, id)[0];
  check(row, {
    'inserted with an id': () => res.rowsAffected() === 1 && id > 0 && rows.length === 1,
    'ints and doubles as numbers': (r) => r.id === id && r.vu === __VU && r.score === 0.75,
    'varchar, decimal, datetime as bytes': (r) => text(r.name) === `it's ${__ITER}` && text(r.amount) === '3.50' && text(r.created) === '2024-05-06 07:08:09',
    'parseTime=true gives Go times': () => String(timedRow.created) === '2024-05-06 07:08:09 +0000 UTC',
  });
}

export function teardown() {
  console.log(`rows: ${db.query(`SELECT count(*) AS n FROM ${table}`)[0].n}`);
  let missing = '';
  try {
    db.query(`SELECT * FROM ${table}_nope`);
  } catch (e) {
    missing = String(e);
  }
  console.log(`missing table: ${missing.replace(table, 'T')}`);
  let count = '';
  try {
    db.query(`SELECT * FROM ${table} WHERE id = ? AND name = '?'`, 1, 2);
  } catch (e) {
    count = String(e);
  }
  console.log(`arguments: ${count}`);
  db.exec(`DROP TABLE ${table}`);
  db.close();
  timed.close();
}
