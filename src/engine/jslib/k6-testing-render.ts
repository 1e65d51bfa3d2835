// How the jslib k6-testing (grafana/k6-jslib-testing 0.6.x, the version the k6 v2.2 docs import)
// prints a failed assertion. A message is a list of labelled lines in groups:
//   Error: expect(received).toBe(expected)      (or the expect(value, message) custom message)
//      At: /path/script.js:12:5                  (the call site)
//   <the matcher's lines: Expected/Received, Expected length, Property path, …>
//   Filename: script.js
//       Line: 12
// "pretty" (the default) right-aligns the labels, puts a blank line between groups and wraps the
// whole in two newlines on each side; "inline" is logfmt: `error=… at=… expected=…`, a value with a
// space in double quotes. Colors (on by default) are ANSI codes around each value.

export type Color = 'darkGrey' | 'red' | 'green' | 'white';

const ANSI: Readonly<Record<Color | 'reset', string>> = {
  darkGrey: '\x1b[90m',
  red: '\x1b[31m',
  green: '\x1b[32m',
  white: '\x1b[37m',
  reset: '\x1b[0m',
};

/** The jslib's `colorize(text, color)` export: the text between the color's code and the reset code. */
export function colorize(text: unknown, color: string): string {
  const code = (ANSI as Record<string, string>)[color] ?? COLORS_BY_NAME[color] ?? 'undefined';
  return `${code}${String(text)}${ANSI.reset}`;
}

// The jslib's whole palette, for scripts calling `colorize` themselves.
const COLORS_BY_NAME: Readonly<Record<string, string>> = {
  reset: '\x1b[0m', black: '\x1b[30m', red: '\x1b[31m', green: '\x1b[32m', yellow: '\x1b[33m', blue: '\x1b[34m',
  magenta: '\x1b[35m', cyan: '\x1b[36m', white: '\x1b[37m', brightBlack: '\x1b[90m', brightRed: '\x1b[91m',
  brightGreen: '\x1b[92m', brightYellow: '\x1b[93m', brightBlue: '\x1b[94m', brightMagenta: '\x1b[95m',
  brightCyan: '\x1b[96m', brightWhite: '\x1b[97m', darkGrey: '\x1b[90m',
};

export type Paint = (text: unknown, color: Color) => string;

export interface Line {
  label: string;
  value: string;
  group: number;
  /** Printed as is, without its label (the retrying matchers' call log). */
  raw?: boolean;
}

/** Where the assertion was called, as the lines At, Filename and Line show it. */
export interface CallSite {
  at: string;
  fileName: string;
  line: string;
}

/** What the matcher shows: the arguments in its hint (`(expected)`, `()`, …) and its own lines. */
export interface Failure {
  matcher: string;
  /** The hint's argument names and colors, e.g. [['expected', 'green']]; [] for `()`. */
  args: readonly (readonly [string, Color])[];
  lines(paint: Paint): Line[];
  /** The default layout (toBe): its Expected/Received lines in group 2 and Filename/Line in group 3. */
  filenameGroup?: number;
  /** The hint's name for the value (`expect(locator)…`); "received" when absent. */
  received?: string;
}

export interface RenderOptions {
  colorize: boolean;
  display: string;
}

export function render(failure: Failure, site: CallSite, customMessage: string | undefined, opts: RenderOptions): string {
  const paint: Paint = opts.colorize ? (text, color) => colorize(text, color) : (text) => String(text);
  const errorLine = customMessage !== undefined
    ? paint(customMessage, 'white')
    : paint('expect(', 'darkGrey') + paint(failure.received ?? 'received', 'red') + paint(').', 'darkGrey') + paint(failure.matcher, 'white')
      + hintArgs(failure.args, paint);
  const tail = failure.filenameGroup ?? 99;
  const lines: Line[] = [
    { label: 'Error', value: errorLine, group: 1 },
    { label: 'At', value: paint(site.at, 'darkGrey'), group: 1 },
    ...failure.lines(paint),
    { label: 'Filename', value: paint(site.fileName, 'darkGrey'), group: tail },
    { label: 'Line', value: paint(site.line, 'darkGrey'), group: tail },
  ];
  if (opts.display === 'pretty') return pretty(lines);
  if (opts.display === 'inline') return inline(lines);
  throw new Error(`Unknown display format: ${opts.display}`);
}

function hintArgs(args: Failure['args'], paint: Paint): string {
  if (args.length === 0) return paint('()', 'darkGrey');
  return paint('(', 'darkGrey') + args.map(([name, color]) => paint(name, color)).join(paint(', ', 'darkGrey')) + paint(')', 'darkGrey');
}

function pretty(lines: Line[]): string {
  const width = Math.max(...lines.map((l) => l.label.length + 1));
  const body = lines.map((l, i) => {
    const text = l.raw === true ? l.value : `${' '.repeat(width - l.label.length - 1)}${l.label}: ${l.value}`;
    const next = lines[i + 1];
    return next !== undefined && next.group !== l.group ? `${text}\n` : text;
  });
  return `\n\n${body.join('\n')}\n\n`;
}

function inline(lines: Line[]): string {
  return lines.filter((l) => l.raw !== true).map((l) => {
    const value = l.value.includes(' ') ? `"${l.value}"` : l.value;
    return `${l.label.toLowerCase().replace(/\s+/g, '_')}=${value}`;
  }).join(' ');
}
