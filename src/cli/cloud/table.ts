// Aligned plain-text tables for the CLI's human output. Columns are padded by the width a terminal
// gives each character (CJK and emoji take two cells, combining marks none), and control characters
// in a value (a name with a newline or an escape sequence) are shown escaped, so one row stays one line.
import stringWidth from 'string-width';

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

/** The terminal cells `s` takes: two for East Asian wide and fullwidth characters and emoji, none for marks. */
export function displayWidth(s: string): number {
  return stringWidth(s, { countAnsiEscapeCodes: true });
}
