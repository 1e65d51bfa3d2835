// CSV records as Go's encoding/csv Reader reads them (k6/experimental/csv parses with it): fields
// split on a one-character delimiter, double-quoted fields with "" escapes and line breaks, CRLF read
// as LF, empty lines skipped, and every record holding as many fields as the first one. Errors carry
// Go's texts ("record on line 3: wrong number of fields", "bare \" in non-quoted-field").

export class GoCsvError extends Error {}

function parseError(startLine: number, line: number, column: number, err: string): GoCsvError {
  if (startLine !== line) return new GoCsvError(`record on line ${startLine}; parse error on line ${line}, column ${column}: ${err}`);
  return new GoCsvError(`parse error on line ${line}, column ${column}: ${err}`);
}

const BARE_QUOTE = 'bare " in non-quoted-field';
const QUOTE = 'extraneous or missing " in quoted-field';

/** Reads records one at a time from a text. */
export class GoCsvReader {
  private pos = 0;
  private line = 0;
  private fieldsPerRecord = 0;
  private readonly text: string;

  constructor(text: string, private readonly delimiter = ',') {
    this.text = text.replace(/\r\n/g, '\n');
  }

  /** The next record, or undefined at the end of the text. */
  read(): string[] | undefined {
    // Skip empty lines.
    while (this.pos < this.text.length && this.text[this.pos] === '\n') {
      this.pos++;
      this.line++;
    }
    if (this.pos >= this.text.length) return undefined;
    this.line++;
    const startLine = this.line;
    const fields: string[] = [];
    let lineStart = this.pos;
    const t = this.text;
    for (;;) {
      if (t[this.pos] === '"') {
        // A quoted field.
        let value = '';
        this.pos++;
        for (;;) {
          const q = t.indexOf('"', this.pos);
          if (q < 0) {
            value += t.slice(this.pos);
            this.pos = t.length;
            throw parseError(startLine, this.line, t.length - lineStart + 1, QUOTE);
          }
          const chunk = t.slice(this.pos, q);
          for (const ch of chunk) {
            if (ch === '\n') this.line++;
          }
          const nl = chunk.lastIndexOf('\n');
          if (nl >= 0) lineStart = this.pos + nl + 1;
          value += chunk;
          const after = t[q + 1];
          if (after === '"') {
            value += '"';
            this.pos = q + 2;
            continue;
          }
          this.pos = q + 1;
          if (after === this.delimiter) {
            this.pos++;
            fields.push(value);
            break;
          }
          if (after === undefined || after === '\n') {
            fields.push(value);
            return this.finish(fields, startLine, after === '\n');
          }
          throw parseError(startLine, this.line, q - lineStart + 2, QUOTE);
        }
        continue;
      }
      // An unquoted field: up to the delimiter or the end of the line.
      let end = this.pos;
      while (end < t.length && t[end] !== this.delimiter && t[end] !== '\n') end++;
      const value = t.slice(this.pos, end);
      const bare = value.indexOf('"');
      if (bare >= 0) throw parseError(startLine, this.line, this.pos - lineStart + bare + 1, BARE_QUOTE);
      fields.push(value);
      if (t[end] === this.delimiter) {
        this.pos = end + 1;
        continue;
      }
      this.pos = end;
      return this.finish(fields, startLine, t[end] === '\n');
    }
  }

  private finish(fields: string[], startLine: number, atNewline: boolean): string[] {
    if (atNewline) this.pos++;
    if (this.fieldsPerRecord === 0) this.fieldsPerRecord = fields.length;
    else if (fields.length !== this.fieldsPerRecord) throw new GoCsvError(`record on line ${startLine}: wrong number of fields`);
    return fields;
  }
}
