// Column values as go-sql-driver/mysql (v1.9) reads MySQL's text protocol and k6 then shows them:
// integer types as numbers, FLOAT as a float32 widened to a number, DOUBLE as a number, DATE/DATETIME/
// TIMESTAMP as bytes (or Go times with parseTime=true), and everything else (VARCHAR, TEXT, DECIMAL,
// BLOB, TIME, JSON…) as Go's []byte: an array of byte values.
import { goBytes } from './sql-connector.ts';
import type { GoTime} from './sql-go-time.ts';
import { parseWallClock } from './sql-go-time.ts';

const TYPE_TINY = 1;
const TYPE_SHORT = 2;
const TYPE_LONG = 3;
const TYPE_FLOAT = 4;
const TYPE_DOUBLE = 5;
const TYPE_TIMESTAMP = 7;
const TYPE_LONGLONG = 8;
const TYPE_INT24 = 9;
const TYPE_DATE = 10;
const TYPE_DATETIME = 12;
const TYPE_YEAR = 13;
const TYPE_NEWDATE = 14;

const FLAG_UNSIGNED = 32;

export interface MysqlColumn {
  readonly columnType?: number;
  readonly flags: number | string[];
}

/** One column's raw text (null for NULL) as Go reads it. */
export function decodeMysqlText(col: MysqlColumn, raw: Buffer | null, parseTime: boolean): unknown {
  if (raw === null) return null;
  switch (col.columnType) {
    case TYPE_TIMESTAMP: case TYPE_DATETIME: case TYPE_DATE: case TYPE_NEWDATE:
      return parseTime ? mysqlTime(raw.toString('latin1')) : goBytes(raw);
    case TYPE_TINY: case TYPE_SHORT: case TYPE_INT24: case TYPE_YEAR: case TYPE_LONG:
      return Number(raw.toString('latin1'));
    case TYPE_LONGLONG: {
      const unsigned = typeof col.flags === 'number' ? (col.flags & FLAG_UNSIGNED) !== 0 : col.flags.includes('UNSIGNED');
      const text = raw.toString('latin1');
      return unsigned ? Number(BigInt.asUintN(64, BigInt(text))) : Number(BigInt.asIntN(64, BigInt(text)));
    }
    case TYPE_FLOAT:
      return Math.fround(Number(raw.toString('latin1')));
    case TYPE_DOUBLE:
      return Number(raw.toString('latin1'));
    default:
      return goBytes(raw);
  }
}

/** go-sql-driver's parseDateTime in UTC (its default loc): a zero date is Go's zero Time. */
function mysqlTime(text: string): GoTime | number[] {
  if (/^0000-00-00( 00:00:00(\.0+)?)?$/.test(text)) return parseWallClock('0001-01-01', UTC) as GoTime;
  return parseWallClock(text, UTC) ?? goBytes(Buffer.from(text, 'latin1'));
}

const UTC = { offsetSec: 0, name: 'UTC' };
