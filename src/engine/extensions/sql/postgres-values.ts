// Column values as lib/pq decodes PostgreSQL's text format (encode.go textDecode) and k6 then shows
// them: text types as strings, integers and floats as numbers, bool, timestamps/dates/times as Go
// times, and every other type (numeric, uuid, json, char(n), arrays, bytea…) as Go's []byte, an array
// of byte values.
import { goBytes } from './sql-connector.ts';
import type { GoTime} from './sql-go-time.ts';
import { parseWallClock } from './sql-go-time.ts';

const T_BOOL = 16;
const T_BYTEA = 17;
const T_CHAR = 18;
const T_INT8 = 20;
const T_INT2 = 21;
const T_INT4 = 23;
const T_TEXT = 25;
const T_FLOAT4 = 700;
const T_FLOAT8 = 701;
const T_VARCHAR = 1043;
const T_DATE = 1082;
const T_TIME = 1083;
const T_TIMESTAMP = 1114;
const T_TIMESTAMPTZ = 1184;
const T_TIMETZ = 1266;

/** An unnamed zone at UTC (Go's time.FixedZone("", 0)): printed "+0000 +0000". */
const FIXED_UTC = { offsetSec: 0, name: '' };
/** The session zone (the server's TimeZone, assumed UTC): lib/pq keeps its name when offsets match. */
const SESSION_UTC = { offsetSec: 0, name: 'UTC' };

/** lib/pq's value for one column's text, by the column's type OID. */
export function decodePostgresText(oid: number, text: string): unknown {
  switch (oid) {
    case T_CHAR: case T_VARCHAR: case T_TEXT:
      return text;
    case T_BYTEA:
      return goBytes(parseBytea(text));
    case T_TIMESTAMPTZ:
      return parseWallClock(text, FIXED_UTC, SESSION_UTC) ?? utf8(text);
    case T_TIMESTAMP: case T_DATE:
      return parseWallClock(text, FIXED_UTC) ?? utf8(text);
    case T_TIME:
      return clockTime(text) ?? utf8(text);
    case T_TIMETZ:
      return clockTime(text) ?? utf8(text);
    case T_BOOL:
      return text[0] === 't';
    case T_INT8: case T_INT2: case T_INT4:
      return Number(text);
    case T_FLOAT4: case T_FLOAT8:
      return goParseFloat(text);
    default:
      return utf8(text);
  }
}

function utf8(text: string): number[] {
  return goBytes(Buffer.from(text, 'utf8'));
}

/** A `time`/`timetz` value: Go's time.Parse gives January 1 of year 0. */
function clockTime(text: string): GoTime | undefined {
  const m = /^(\d\d:\d\d:\d\d(?:\.\d+)?)(?:([+-]\d\d)(?::?(\d\d))?)?$/.exec(text);
  if (m === null) return undefined;
  const offset = m[2] === undefined ? '' : `${m[2]}:${m[3] ?? '00'}`;
  // An offset that is the local zone's (UTC here) takes its name, as time.Parse does.
  const zone = m[2] === undefined || (Number(m[2]) === 0 && Number(m[3] ?? 0) === 0) ? { offsetSec: 0, name: 'UTC' } : undefined;
  return parseWallClock(`0000-01-01 ${m[1] as string}${offset}`, { offsetSec: 0, name: 'UTC' }, zone);
}

/** PostgreSQL's bytea output: hex (`\x6869`) or the escape format (`hi\\000`). */
function parseBytea(text: string): Uint8Array {
  if (text.startsWith('\\x')) return Buffer.from(text.slice(2), 'hex');
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (text[i] === '\\') {
      if (text[i + 1] === '\\') {
        out.push(0x5c);
        i++;
      } else {
        out.push(parseInt(text.slice(i + 1, i + 4), 8));
        i += 3;
      }
    } else out.push(c);
  }
  return Uint8Array.from(out);
}

/** strconv.ParseFloat of PostgreSQL's float text (NaN, Infinity, -Infinity included). */
function goParseFloat(text: string): number {
  return Number(text);
}
