// A query still running when the scenario's gracefulStop ends is broken off: the VU stops waiting,
// its connection is dropped, and the run ends without waiting for the database.
import sql from 'k6/x/sql';
import postgres from 'k6/x/sql/driver/postgres';
import mysql from 'k6/x/sql/driver/mysql';

export const options = { scenarios: { slow: { executor: 'constant-vus', vus: 2, duration: '1s', gracefulStop: '0s' } } };

const pg = __ENV.PG_DSN ? sql.open(postgres, __ENV.PG_DSN) : undefined;
const my = __ENV.MYSQL_DSN ? sql.open(mysql, __ENV.MYSQL_DSN) : undefined;

export default function () {
  if (__VU === 1 && pg) pg.query('SELECT pg_sleep(30)');
  else if (my) my.query('SELECT SLEEP(30)');
  else pg.query('SELECT pg_sleep(30)');
}
