// InfluxDB v1 line protocol as k6's influxdb output writes it through influxdb1-client: one line per
// sample, `measurement[,tag=value…] field=value[,…] timestamp`. The measurement is the metric name;
// the sample's tags (not its metadata) are tags, sorted, those with an empty value left out; the
// tags named in tagsAsFields become fields of their configured type (a value that does not parse as
// that type stays a string); the sample's value is the float field `value`. The timestamp is in the
// batch's precision (nanoseconds by default).
import type { PointSample } from './sample-output.ts';
import type { FieldKind } from './influxdb-config.ts';

/** influxdb1-client's models.GetPrecisionMultiplier, in nanoseconds ("us" counts as ns there, and on the server). */
const PRECISION_NS: Readonly<Record<string, bigint>> = { u: 1_000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n };
/** Units Go's time.ParseDuration knows: NewBatchPoints checks the precision with ParseDuration("1" + precision). */
const GO_UNITS: ReadonlySet<string> = new Set(['ns', 'us', 'µs', 'μs', 'ms', 's', 'm', 'h']);

/** The batch's precision, "ns" when none is set; throws NewBatchPoints' error for one Go cannot read. */
export function batchPrecision(precision: string): string {
  const p = precision === '' ? 'ns' : precision;
  if (!GO_UNITS.has(p)) {
    const text = `1${p}`;
    throw new Error(/^\d/.test(p) ? `time: missing unit in duration ${JSON.stringify(text)}` : `time: unknown unit ${JSON.stringify(p.replace(/^[.\d]+/, ''))} in duration ${JSON.stringify(text)}`);
  }
  return p;
}

const escapeMeasurement = (s: string): string => s.replace(/[, ]/g, (c) => `\\${c}`);
const escapeKey = (s: string): string => s.replace(/[, =]/g, (c) => `\\${c}`);
const escapeString = (s: string): string => s.replace(/["\\]/g, (c) => `\\${c}`);

/** Go's strconv.FormatFloat(v, 'f', -1, 64): the shortest digits, never an exponent. */
export function goFloat(v: number): string {
  const s = String(v);
  const e = s.indexOf('e');
  if (e < 0) return s;
  const neg = s.startsWith('-');
  const mantissa = s.slice(neg ? 1 : 0, e);
  const exp = Number(s.slice(e + 1));
  const [int = '', frac = ''] = mantissa.split('.');
  const digits = int + frac;
  const point = int.length + exp;
  let out: string;
  if (point <= 0) out = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return neg ? `-${out}` : out;
}

const GO_TRUE: ReadonlySet<string> = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const GO_FALSE: ReadonlySet<string> = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** A tag's text as a field of `kind` (k6's extractTagsToValues: the text itself when it does not parse). */
function fieldValue(text: string, kind: FieldKind): string {
  switch (kind) {
    case 'int':
      if (/^[+-]?\d+$/.test(text)) {
        const n = BigInt(text);
        if (n >= -(2n ** 63n) && n < 2n ** 63n) return `${n}i`;
      }
      break;
    case 'float': {
      const n = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text) ? Number(text) : NaN;
      if (Number.isFinite(n)) return goFloat(n);
      break;
    }
    case 'bool':
      if (GO_TRUE.has(text)) return 'true';
      if (GO_FALSE.has(text)) return 'false';
      break;
    default:
      break;
  }
  return `"${escapeString(text)}"`;
}

/**
 * The line-protocol body (each line ends with \n) of `samples`, timestamps in the v1 batch's
 * precision or divided by `divisorNs` (the v2 client's). Throws NewPoint's error for a
 * value that is not finite: as in k6, that batch is not written.
 */
export function influxLines(samples: readonly PointSample[], kinds: ReadonlyMap<string, FieldKind>, precision: string | { readonly divisorNs: bigint }): string {
  const divisor = typeof precision === 'string' ? PRECISION_NS[precision] ?? 1n : precision.divisorNs;
  let out = '';
  for (const s of samples) {
    if (!Number.isFinite(s.value)) throw new Error('couldn\'t make point from sample: +/-Inf is an unsupported value for field value');
    const fields: [string, string][] = [['value', goFloat(s.value)]];
    const tags: string[] = [];
    for (const key of Object.keys(s.tags).sort()) {
      const value = s.tags[key] ?? '';
      const kind = kinds.get(key);
      if (kind !== undefined) fields.push([key, fieldValue(value, kind)]);
      else if (value !== '' && key !== '') tags.push(`${escapeKey(key)}=${escapeKey(value)}`);
    }
    fields.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const head = tags.length === 0 ? escapeMeasurement(s.metric) : `${escapeMeasurement(s.metric)},${tags.join(',')}`;
    const ns = BigInt(Math.round(s.time * 1000)) * 1000n;
    out += `${head} ${fields.map(([k, v]) => `${escapeKey(k)}=${v}`).join(',')} ${ns / divisor}\n`;
  }
  return out;
}
