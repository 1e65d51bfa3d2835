// Why a body is not JSON, in the words k6 uses for res.json(): Go's encoding/json scanner finds the
// first bad byte ("invalid character '<' looking for beginning of value", "unexpected end of JSON
// input"), and k6 (js/modules/k6/http/response.go checkErrorInJSON) turns its byte offset into a line
// and a character. The scanner is a port of the state machine of Go's encoding/json/scanner.go.

type Step = (c: number) => string | undefined;

const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isHex = (c: number): boolean => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);

/** Go's quoteChar: the byte as a Go-quoted character in single quotes. */
function quoteChar(c: number): string {
  if (c === 0x27) return "'\\''";
  if (c === 0x22) return "'\"'";
  const named: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 0x5c: '\\\\' };
  const known = named[c];
  if (known !== undefined) return `'${known}'`;
  if (c < 0x20 || c === 0x7f) return `'\\x${c.toString(16).padStart(2, '0')}'`;
  // A byte ≥ 0x80 reads as the Latin-1 rune of that number; the unprintable ones are \u-escaped.
  if ((c >= 0x80 && c <= 0xa0) || c === 0xad) return `'\\u00${c.toString(16).padStart(2, '0')}'`;
  return `'${String.fromCharCode(c)}'`;
}

const invalid = (c: number, context: string): string => `invalid character ${quoteChar(c)} ${context}`;

const enum Parse { ObjectKey, ObjectValue, ArrayValue }

class Scanner {
  step: Step;
  endTop = false;
  private readonly stack: Parse[] = [];

  constructor() {
    this.step = this.beginValue;
  }

  private beginValue: Step = (c) => {
    if (isSpace(c)) return undefined;
    switch (c) {
      case 0x7b: this.stack.push(Parse.ObjectKey); this.step = this.beginStringOrEmpty; return undefined;
      case 0x5b: this.stack.push(Parse.ArrayValue); this.step = this.beginValueOrEmpty; return undefined;
      case 0x22: this.step = this.inString; return undefined;
      case 0x2d: this.step = this.neg; return undefined;
      case 0x30: this.step = this.zero; return undefined;
      case 0x74: this.step = this.literal('true', 1); return undefined;
      case 0x66: this.step = this.literal('false', 1); return undefined;
      case 0x6e: this.step = this.literal('null', 1); return undefined;
    }
    if (c >= 0x31 && c <= 0x39) {
      this.step = this.oneToNine;
      return undefined;
    }
    return invalid(c, 'looking for beginning of value');
  };

  private beginValueOrEmpty: Step = (c) => {
    if (isSpace(c)) return undefined;
    if (c === 0x5d) return this.endValue(c);
    return this.beginValue(c);
  };

  private beginStringOrEmpty: Step = (c) => {
    if (isSpace(c)) return undefined;
    if (c === 0x7d) {
      this.stack[this.stack.length - 1] = Parse.ObjectValue;
      return this.endValue(c);
    }
    return this.beginString(c);
  };

  private beginString: Step = (c) => {
    if (isSpace(c)) return undefined;
    if (c === 0x22) {
      this.step = this.inString;
      return undefined;
    }
    return invalid(c, 'looking for beginning of object key string');
  };

  private endValue: Step = (c) => {
    const n = this.stack.length;
    if (n === 0) {
      this.step = this.endTopStep;
      this.endTop = true;
      return this.endTopStep(c);
    }
    if (isSpace(c)) {
      this.step = this.endValue;
      return undefined;
    }
    switch (this.stack[n - 1]) {
      case Parse.ObjectKey:
        if (c === 0x3a) {
          this.stack[n - 1] = Parse.ObjectValue;
          this.step = this.beginValue;
          return undefined;
        }
        return invalid(c, 'after object key');
      case Parse.ObjectValue:
        if (c === 0x2c) {
          this.stack[n - 1] = Parse.ObjectKey;
          this.step = this.beginString;
          return undefined;
        }
        if (c === 0x7d) return this.pop();
        return invalid(c, 'after object key:value pair');
      default:
        if (c === 0x2c) {
          this.step = this.beginValue;
          return undefined;
        }
        if (c === 0x5d) return this.pop();
        return invalid(c, 'after array element');
    }
  };

  private pop(): undefined {
    this.stack.pop();
    if (this.stack.length === 0) {
      this.step = this.endTopStep;
      this.endTop = true;
    } else {
      this.step = this.endValue;
    }
    return undefined;
  }

  private endTopStep: Step = (c) => (isSpace(c) ? undefined : invalid(c, 'after top-level value'));

  private inString: Step = (c) => {
    if (c === 0x22) this.step = this.endValue;
    else if (c === 0x5c) this.step = this.inStringEsc;
    else if (c < 0x20) return invalid(c, 'in string literal');
    return undefined;
  };

  private inStringEsc: Step = (c) => {
    if ('bfnrt\\/"'.includes(String.fromCharCode(c))) {
      this.step = this.inString;
      return undefined;
    }
    if (c === 0x75) {
      this.step = this.hexEscape(4);
      return undefined;
    }
    return invalid(c, 'in string escape code');
  };

  private hexEscape(left: number): Step {
    return (c) => {
      if (!isHex(c)) return invalid(c, 'in \\u hexadecimal character escape');
      this.step = left === 1 ? this.inString : this.hexEscape(left - 1);
      return undefined;
    };
  }

  private neg: Step = (c) => {
    if (c === 0x30) this.step = this.zero;
    else if (c >= 0x31 && c <= 0x39) this.step = this.oneToNine;
    else return invalid(c, 'in numeric literal');
    return undefined;
  };

  private oneToNine: Step = (c) => (isDigit(c) ? undefined : this.zero(c));

  private zero: Step = (c) => {
    if (c === 0x2e) this.step = this.dot;
    else if (c === 0x65 || c === 0x45) this.step = this.exponent;
    else return this.endValue(c);
    return undefined;
  };

  private dot: Step = (c) => {
    if (!isDigit(c)) return invalid(c, 'after decimal point in numeric literal');
    this.step = this.dotDigits;
    return undefined;
  };

  private dotDigits: Step = (c) => {
    if (isDigit(c)) return undefined;
    if (c === 0x65 || c === 0x45) {
      this.step = this.exponent;
      return undefined;
    }
    return this.endValue(c);
  };

  private exponent: Step = (c) => {
    if (c === 0x2b || c === 0x2d) {
      this.step = this.exponentSign;
      return undefined;
    }
    return this.exponentSign(c);
  };

  private exponentSign: Step = (c) => {
    if (!isDigit(c)) return invalid(c, 'in exponent of numeric literal');
    this.step = this.exponentDigits;
    return undefined;
  };

  private exponentDigits: Step = (c) => (isDigit(c) ? undefined : this.endValue(c));

  private literal(word: string, at: number): Step {
    return (c) => {
      const want = word.charCodeAt(at);
      if (c !== want) return invalid(c, `in literal ${word} (expecting '${word[at] ?? ''}')`);
      this.step = at + 1 === word.length ? this.endValue : this.literal(word, at + 1);
      return undefined;
    };
  }
}

export interface GoJsonSyntaxError {
  readonly message: string;
  /** Bytes read when the scanner stopped (Go's SyntaxError.Offset). */
  readonly offset: number;
}

/** The syntax error Go's json.Unmarshal reports for these bytes, or undefined when they are valid JSON. */
export function goJsonSyntaxError(bytes: Uint8Array): GoJsonSyntaxError | undefined {
  const s = new Scanner();
  let read = 0;
  for (const c of bytes) {
    read++;
    const err = s.step(c);
    if (err !== undefined) return { message: err, offset: read };
  }
  if (s.endTop) return undefined;
  const err = s.step(0x20);
  if (s.endTop) return undefined;
  return { message: err ?? 'unexpected end of JSON input', offset: read };
}

/** k6's checkErrorInJSON: the 1-based line and character of the byte at `offset`. */
function lineAndCharacter(bytes: Uint8Array, offset: number): { line: number; character: number } {
  const at = offset > 0 ? offset - 1 : offset;
  let line = 1;
  let character = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    if (b >= 0x80 && b < 0xc0) continue; // a continuation byte: part of the character before
    if (b === 0x0a) {
      line++;
      character = 0;
    } else {
      character++;
    }
    if (i >= at) {
      if (b === 0x0a) character = 1;
      break;
    }
  }
  return { line, character };
}

/** The message k6's res.json() throws for a body that is not JSON. */
export function k6JsonErrorMessage(bytes: Uint8Array): string {
  const err = goJsonSyntaxError(bytes) ?? { message: 'unexpected end of JSON input', offset: bytes.length };
  const { line, character } = lineAndCharacter(bytes, err.offset);
  return `cannot parse json due to an error at line ${line}, character ${character} , error: ${err.message}`;
}
