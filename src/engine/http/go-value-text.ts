// How Go's `%v` prints a JavaScript value k6 exported (sobek's Export()): k6 puts it in errors such as
// httpext.ToURL's `invalid URL: '#%v'` for a URL argument that is not a string.
//
// undefined and null export as nil (`<nil>`), integral numbers as int64, other numbers as float64
// (`%v` is `%g` with the shortest precision: an exponent from 1e+06 and below 1e-04), arrays as
// slices (`[a b]`), other objects as maps with their keys sorted (`map[a:1 b:x]`), strings unquoted.
// An object k6 implements in Go (a Response) would print as its struct with pointers: Stampede's
// objects are JavaScript objects and print as maps of their own enumerable fields.

function goFloat(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  const exp = n === 0 ? 0 : Math.floor(Math.log10(Math.abs(n)));
  if (exp < -4 || exp >= 6) {
    // Go's %e of the shortest digits: mantissa as JavaScript gives it, exponent with a sign and two digits.
    const [mantissa = '', e = '0'] = n.toExponential().split('e');
    const value = Number(e);
    return `${mantissa}e${value < 0 ? '-' : '+'}${String(Math.abs(value)).padStart(2, '0')}`;
  }
  return String(n);
}

/** Go's `%v` of what sobek's Export() gives for `v`. */
export function goValueText(v: unknown, depth = 0): string {
  if (v === undefined || v === null) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 2 ** 63 ? String(v === 0 ? 0 : v) : goFloat(v);
  if (typeof v === 'symbol') return v.toString();
  if (typeof v === 'function') return '0x0';
  if (depth > 8) return '…';
  if (Array.isArray(v)) return `[${v.map((x) => goValueText(x, depth + 1)).join(' ')}]`;
  const entries = Object.keys(v as object)
    .sort()
    .map((k) => `${k}:${goValueText((v as Record<string, unknown>)[k], depth + 1)}`);
  return `map[${entries.join(' ')}]`;
}
