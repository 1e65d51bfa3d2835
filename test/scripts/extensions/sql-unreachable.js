// sql.open() connects to nothing (database/sql opens lazily): the first query reports the failure.
// SQL_DRIVER picks the driver module ("symbol" passes a Symbol no driver module registered).
import sql from 'k6/x/sql';
import postgres from 'k6/x/sql/driver/postgres';
import mysql from 'k6/x/sql/driver/mysql';
import sqlite3 from 'k6/x/sql/driver/sqlite3';

const drivers = { postgres, mysql, sqlite3, symbol: Symbol('postgres') };
const db = sql.open(drivers[__ENV.SQL_DRIVER], __ENV.SQL_DSN);
console.log('opened');

export const options = { iterations: 1 };

export default function () {
  try {
    db.exec('SELECT 1');
  } catch (e) {
    console.log(String(e));
  }
}
