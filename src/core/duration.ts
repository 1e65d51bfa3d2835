// k6 durations: Go-style strings ("1m30s", "500ms", "1.5h", with k6's "d" extension) or bare numbers,
// which count as milliseconds (k6 lib/types/types.go). Values are returned in milliseconds.

const UNIT_MS: Record<string, number> = {
  ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000,
};

// Grammar: [sign] (number unit)+ | number   — e.g. "2h45m", "-1.5s", "300".
const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h|d)/y;

/** Parses a k6 duration; throws a RangeError naming the bad input. */
export function parseDuration(input: unknown): number {
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) throw new RangeError(`invalid duration ${String(input)}`);
    return input;
  }
  if (typeof input !== 'string') throw new RangeError(`invalid duration ${JSON.stringify(input)}: expected a string or a number`);
  const text = input.trim();
  if (text === '') throw new RangeError('invalid duration "": empty');
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(text)) return Number(text);
  let pos = 0;
  let sign = 1;
  if (text[0] === '-' || text[0] === '+') {
    sign = text[0] === '-' ? -1 : 1;
    pos = 1;
  }
  if (text.slice(pos) === '0') return 0;
  let total = 0;
  let matched = false;
  while (pos < text.length) {
    PART.lastIndex = pos;
    const m = PART.exec(text);
    if (!m) throw new RangeError(`invalid duration "${input}"`);
    total += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
    pos = PART.lastIndex;
    matched = true;
  }
  if (!matched) throw new RangeError(`invalid duration "${input}"`);
  return sign * total;
}

/** Formats milliseconds the way k6 prints durations: "1m30s", "10m30s", "500ms", "1h0m0s". */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const neg = ms < 0;
  let rest = Math.abs(ms);
  if (rest < 1000) return `${neg ? '-' : ''}${trimFloat(rest)}ms`;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = trimFloat(rest / 1000);
  let out = '';
  if (h > 0) out += `${h}h${m}m`;
  else if (m > 0) out += `${m}m`;
  out += `${s}s`;
  return (neg ? '-' : '') + out;
}

function trimFloat(n: number): string {
  return String(Math.round(n * 1000) / 1000);
}
