// Aligned plain-text tables for the CLI's human output. Columns are padded by the width a terminal
// gives each character (CJK and emoji take two cells, combining marks none), and control characters
// in a value (a name with a newline or an escape sequence) are shown escaped, so one row stays one line.
export function renderTable(headers: readonly string[], rows: ReadonlyArray<ReadonlyArray<unknown>>): string {
  const cells = rows.map((r) => r.map((c) => (c === null || c === undefined ? '-' : escapeControls(String(c)))));
  const widths = headers.map((h, i) => Math.max(displayWidth(h), ...cells.map((r) => displayWidth(r[i] ?? ''))));
  const fmt = (r: readonly string[]) => r.map((c, i) => c + ' '.repeat(Math.max(0, (widths[i] ?? 0) - displayWidth(c)))).join('  ').trimEnd();
  return [fmt(headers), ...cells.map(fmt)].join('\n') + '\n';
}

// C0 and C1 controls (and DEL) as JSON writes them: "\n", "\t", "\u001b".
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;

function escapeControls(s: string): string {
  return s.replace(CONTROLS, (c) => JSON.stringify(c).slice(1, -1));
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]+$/u;
const EMOJI = /\p{Emoji_Presentation}|\p{Extended_Pictographic}\uFE0F/u;

/** The terminal cells `s` takes: two for East Asian wide and fullwidth characters and emoji, none for marks. */
export function displayWidth(s: string): number {
  let width = 0;
  for (const { segment } of segmenter.segment(s)) {
    if (ZERO_WIDTH.test(segment)) continue;
    width += EMOJI.test(segment) || isWide(segment.codePointAt(0) ?? 0) ? 2 : 1;
  }
  return width;
}

// Unicode's East Asian Width W and F blocks (UAX #11), as terminals lay them out.
const WIDE: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x115f], [0x2e80, 0x303e], [0x3041, 0x33ff], [0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xa000, 0xa4cf],
  [0xa960, 0xa97f], [0xac00, 0xd7a3], [0xf900, 0xfaff], [0xfe10, 0xfe19], [0xfe30, 0xfe6f], [0xff00, 0xff60],
  [0xffe0, 0xffe6], [0x20000, 0x3fffd],
];

function isWide(cp: number): boolean {
  return WIDE.some(([lo, hi]) => cp >= lo && cp <= hi);
}
