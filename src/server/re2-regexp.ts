// RE2 patterns (what Loki's label matchers `=~`/`!~` and line filters `|~`/`!~` take) as JavaScript
// RegExps with the same meaning, or the reason they cannot be one:
// - not RE2 at all: lookarounds, backreferences, possessive quantifiers, a repeat count over 1,000;
// - RE2 that JavaScript cannot say here: inline flags other than a leading `(?i)`, `(?s)`, `(?m)`,
//   the ungreedy flag `U`, `\C`;
// - RE2 that would be unsafe in JavaScript's backtracking engine (RE2 runs in linear time, this does
//   not): an unbounded repeat of a group that itself repeats (`(a+)+`) or that holds alternatives other
//   than plain strings none of which starts another (`(a|ab)*`).
// Differences taken care of: RE2's `\s` is ASCII (`[\t\n\f\r ]`), `\A` and `\z` are absolute anchors,
// any punctuation may be escaped, `\Q…\E` quotes, `[[:alpha:]]` classes, `\pL`/`\p{Greek}` properties,
// `\x{…}` code points, and a `{` that starts no repeat is a literal. Patterns match code points (the
// `u` flag), as RE2 matches UTF-8 characters.

export class Re2PatternError extends Error {}

const MAX_PATTERN = 1_000;
/** RE2's largest repeat count. */
const MAX_REPEAT = 1_000;
/** A bounded repeat up to this many times of a risky group is allowed (polynomial, small). */
const SAFE_BOUNDED_REPEAT = 10;

const hex = (cp: number): string => `\\u{${cp.toString(16)}}`;
const SPACE_IN_CLASS = '\\t\\n\\f\\r ';
const NOT_SPACE_IN_CLASS = '\\u{0}-\\u{8}\\u{b}\\u{e}-\\u{1f}\\u{21}-\\u{10ffff}';
const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z', alpha: 'A-Za-z', ascii: '\\u{0}-\\u{7f}', blank: '\\t ', cntrl: '\\u{0}-\\u{1f}\\u{7f}',
  digit: '0-9', graph: '!-~', lower: 'a-z', print: ' -~', punct: '!-/:-@\\u{5b}-\\u{60}\\u{7b}-~',
  space: '\\t\\n\\v\\f\\r ', upper: 'A-Z', word: '0-9A-Za-z_', xdigit: '0-9A-Fa-f',
};
const SIMPLE_ESCAPES: Record<string, string> = { n: '\\n', t: '\\t', r: '\\r', f: '\\f', v: '\\v', a: '\\u{7}' };

/** One group being read (the whole pattern is the outermost). */
interface Frame {
  /** It holds a quantifier that repeats (max > 1). */
  repeats: boolean;
  /** Its alternatives read so far: whether each was a plain string, and its text. */
  alternatives: { literal: boolean; text: string }[];
  literal: boolean;
  text: string;
  /** It holds (at any depth) alternatives that are not plain strings none of which starts another. */
  ambiguous: boolean;
}

/** What a quantifier would apply to. */
type Atom = { kind: 'none' } | { kind: 'single' } | { kind: 'group'; frame: Frame };

/**
 * The RegExp for an RE2 pattern: `anchored` as Loki's label matchers (the whole value must match),
 * else as its line filters (a match anywhere). Throws Re2PatternError saying why not.
 */
export function re2ToRegExp(pattern: string, anchored: boolean): RegExp {
  if (pattern.length > MAX_PATTERN) throw new Re2PatternError(`the pattern is longer than ${MAX_PATTERN} characters`);
  const { source, flags } = translate(pattern);
  // A match anywhere is found as well without a leading or trailing `.*` (as Loki simplifies them), and
  // much faster: a backtracking engine tries every start and then every length.
  const body = anchored ? `(?<![\\s\\S])(?:${source})(?![\\s\\S])` : source.replace(/^\.\*\??/, '').replace(/\.\*$/, '');
  try {
    return new RegExp(body, `u${flags}`);
  } catch (err) {
    const reason = (err as Error).message.split(': ').pop() ?? 'invalid';
    throw new Re2PatternError(`invalid regular expression (${reason.toLowerCase()})`);
  }
}

function translate(pattern: string): { source: string; flags: string } {
  let i = 0;
  let flags = '';
  // Leading flag groups: (?i), (?s), (?m), (?is)…
  for (let m = /^\(\?([A-Za-z]+)\)/.exec(pattern); m !== null; m = /^\(\?([A-Za-z]+)\)/.exec(pattern.slice(i))) {
    for (const f of m[1] as string) {
      if (f === 'U') throw new Re2PatternError('the ungreedy flag (?U) is not supported');
      if (f !== 'i' && f !== 's' && f !== 'm') throw new Re2PatternError(`unknown flag ${f} in ${m[0]}`);
      if (!flags.includes(f)) flags += f;
    }
    i += m[0].length;
  }
  const fold = (c: string): string => (flags.includes('i') ? c.toLowerCase() : c);
  const newFrame = (): Frame => ({ repeats: false, alternatives: [], literal: true, text: '', ambiguous: false });
  const stack: Frame[] = [newFrame()];
  const top = () => stack[stack.length - 1] as Frame;
  let out = '';
  let atom: Atom = { kind: 'none' };

  const literal = (ch: string): void => {
    const f = top();
    if (f.literal) f.text += fold(ch);
    out += /[A-Za-z0-9 _]/.test(ch) ? ch : hex(ch.codePointAt(0) as number);
    atom = { kind: 'single' };
  };
  const nonLiteral = (src: string, quantifiable: boolean): void => {
    top().literal = false;
    out += src;
    atom = quantifiable ? { kind: 'single' } : { kind: 'none' };
  };

  while (i < pattern.length) {
    const c = String.fromCodePoint(pattern.codePointAt(i) as number);
    if (c === '\\') {
      const esc = readEscape(pattern, i, false);
      i = esc.end;
      if (esc.quoted !== undefined) {
        for (const ch of esc.quoted) literal(ch);
      } else if (esc.char !== undefined) literal(esc.char);
      else nonLiteral(esc.src, esc.quantifiable);
      continue;
    }
    if (c === '[') {
      const cls = readClass(pattern, i);
      i = cls.end;
      nonLiteral(cls.src, true);
      continue;
    }
    if (c === '(') {
      if (pattern.startsWith('(?', i)) {
        const rest = pattern.slice(i);
        const named = /^\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest);
        if (rest.startsWith('(?:')) {
          out += '(?:';
          i += 3;
        } else if (named !== null) {
          out += `(?<${named[1] as string}>`;
          i += named[0].length;
        } else if (/^\(\?(=|!|<=|<!)/.test(rest)) {
          throw new Re2PatternError('lookahead and lookbehind assertions are not RE2');
        } else if (/^\(\?P[=>]/.test(rest)) {
          throw new Re2PatternError('backreferences are not RE2');
        } else if (/^\(\?[A-Za-z-]*[:)]/.test(rest)) {
          throw new Re2PatternError('inline flags are supported only at the start of the pattern, as (?i)');
        } else {
          throw new Re2PatternError(`invalid group ${JSON.stringify(rest.slice(0, 4))}`);
        }
      } else {
        out += '(';
        i++;
      }
      top().literal = false;
      stack.push(newFrame());
      atom = { kind: 'none' };
      continue;
    }
    if (c === ')') {
      if (stack.length === 1) throw new Re2PatternError('unexpected )');
      const frame = stack.pop() as Frame;
      frame.alternatives.push({ literal: frame.literal, text: frame.text });
      if (!prefixFree(frame.alternatives)) frame.ambiguous = true;
      if (frame.repeats) top().repeats = true;
      if (frame.ambiguous) top().ambiguous = true;
      out += ')';
      i++;
      atom = { kind: 'group', frame };
      continue;
    }
    if (c === '|') {
      const f = top();
      f.alternatives.push({ literal: f.literal, text: f.text });
      f.literal = true;
      f.text = '';
      out += '|';
      i++;
      atom = { kind: 'none' };
      continue;
    }
    const q = readQuantifier(pattern, i);
    if (q !== null) {
      if (q.max !== null && q.max > MAX_REPEAT) throw new Re2PatternError(`a repeat count is over ${MAX_REPEAT}`);
      if (atom.kind === 'none') throw new Re2PatternError(`missing argument to repetition operator ${pattern.slice(i, q.end)}`);
      const unbounded = q.max === null || q.max > SAFE_BOUNDED_REPEAT;
      if (atom.kind === 'group' && unbounded) {
        if (atom.frame.repeats) throw new Re2PatternError('a repeated group that itself repeats, such as (a+)+, is refused: it could take exponential time here');
        if (atom.frame.ambiguous) {
          throw new Re2PatternError('a repeated group of alternatives that can match the same text, such as (a|ab)*, is refused: it could take exponential time here (plain strings none of which starts another, such as (GET|POST)+, are fine)');
        }
      }
      if (q.max === null || q.max > 1) top().repeats = true;
      top().literal = false;
      out += pattern.slice(i, q.end);
      i = q.end;
      if (pattern[i] === '+') throw new Re2PatternError('possessive quantifiers are not RE2');
      atom = { kind: 'none' };
      continue;
    }
    if (c === '.' || c === '^' || c === '$') {
      nonLiteral(c, c === '.');
      i++;
      continue;
    }
    // `]` and `}` alone, and `{` that starts no repeat, are literals in RE2.
    literal(c);
    i += c.length;
  }
  if (stack.length > 1) throw new Re2PatternError('missing )');
  return { source: out, flags };
}

/** Whether a group's alternatives can only ever match one way: one alone, or plain non-empty strings none of which starts another. */
function prefixFree(alts: readonly { literal: boolean; text: string }[]): boolean {
  if (alts.length < 2) return true;
  if (alts.some((a) => !a.literal || a.text === '')) return false;
  return alts.every((a, i) => alts.every((b, j) => i === j || !b.text.startsWith(a.text)));
}

/** `*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`, each optionally lazy (`?`); null when none starts at i. */
function readQuantifier(p: string, i: number): { max: number | null; end: number } | null {
  const c = p[i];
  let max: number | null;
  let end: number;
  if (c === '*' || c === '+') {
    max = null;
    end = i + 1;
  } else if (c === '?') {
    max = 1;
    end = i + 1;
  } else if (c === '{') {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(i));
    if (m === null) return null;
    const min = Number(m[1]);
    max = m[2] === undefined ? min : m[3] === '' ? null : Number(m[3]);
    if (min > MAX_REPEAT || (max !== null && max > MAX_REPEAT)) throw new Re2PatternError(`a repeat count is over ${MAX_REPEAT}: ${m[0]}`);
    if (max !== null && max < min) throw new Re2PatternError(`invalid repeat count ${m[0]}`);
    end = i + m[0].length;
  } else return null;
  if (p[end] === '?') end++;
  return { max, end };
}

interface Escape {
  end: number;
  /** A literal character. */
  char?: string;
  /** \Q…\E: characters taken literally. */
  quoted?: string;
  /** Otherwise the JavaScript source, and whether a quantifier may follow it. */
  src: string;
  quantifiable: boolean;
}

function readEscape(p: string, i: number, inClass: boolean): Escape {
  const next = p[i + 1];
  if (next === undefined) throw new Re2PatternError('trailing backslash');
  const done = (end: number, src: string, quantifiable = true): Escape => ({ end, src, quantifiable });
  const char = (end: number, cp: number): Escape => ({ end, char: String.fromCodePoint(cp), src: hex(cp), quantifiable: true });
  if (/[!-/:-@[-`{-~]/.test(next)) return char(i + 2, next.codePointAt(0) as number);
  if (next in SIMPLE_ESCAPES) return done(i + 2, SIMPLE_ESCAPES[next] as string);
  if (next === 'd' || next === 'D' || next === 'w' || next === 'W') return done(i + 2, `\\${next}`);
  if (next === 's') return done(i + 2, inClass ? SPACE_IN_CLASS : `[${SPACE_IN_CLASS}]`);
  if (next === 'S') return done(i + 2, inClass ? NOT_SPACE_IN_CLASS : `[^${SPACE_IN_CLASS}]`);
  if (!inClass && (next === 'b' || next === 'B')) return done(i + 2, `\\${next}`, false);
  if (!inClass && next === 'A') return done(i + 2, '(?<![\\s\\S])', false);
  if (!inClass && next === 'z') return done(i + 2, '(?![\\s\\S])', false);
  if (!inClass && next === 'Q') {
    const close = p.indexOf('\\E', i + 2);
    const text = p.slice(i + 2, close === -1 ? p.length : close);
    return { end: close === -1 ? p.length : close + 2, quoted: text, src: '', quantifiable: true };
  }
  if (next === 'x') {
    const m = /^\\x(?:\{([0-9A-Fa-f]{1,6})\}|([0-9A-Fa-f]{2}))/.exec(p.slice(i));
    const cp = m === null ? NaN : parseInt((m[1] ?? m[2]) as string, 16);
    if (m === null || cp > 0x10ffff) throw new Re2PatternError('invalid escape \\x');
    return char(i + m[0].length, cp);
  }
  if (/[0-7]/.test(next)) {
    const m = /^\\([0-7]{1,3})/.exec(p.slice(i)) as RegExpExecArray;
    if (next !== '0' && (m[1] as string).length < 2) throw new Re2PatternError('backreferences are not RE2');
    return char(i + m[0].length, parseInt(m[1] as string, 8));
  }
  if (next === 'p' || next === 'P') {
    const m = /^\\[pP](?:\{(\^?)([A-Za-z_]+)\}|([A-Za-z]))/.exec(p.slice(i));
    if (m === null) throw new Re2PatternError('invalid Unicode class escape');
    const name = (m[2] ?? m[3]) as string;
    const negated = (next === 'P') !== (m[1] === '^');
    const prop = name === 'Any' ? null : name.length <= 2 ? name : `Script=${name}`;
    const src = prop === null ? (negated ? '[^\\u{0}-\\u{10ffff}]' : '[\\u{0}-\\u{10ffff}]') : `\\${negated ? 'P' : 'p'}{${prop}}`;
    if (inClass && prop === null) return done(i + m[0].length, negated ? '' : '\\u{0}-\\u{10ffff}');
    return done(i + m[0].length, src);
  }
  if (next === 'C') throw new Re2PatternError('\\C (any byte) is not supported');
  throw new Re2PatternError(`invalid escape \\${next}`);
}

/** A character class `[…]` from i, as JavaScript source. */
function readClass(p: string, start: number): { src: string; end: number } {
  let i = start + 1;
  let out = '[';
  if (p[i] === '^') {
    out += '^';
    i++;
  }
  let first = true;
  // The last item was a single character a `-` could make a range from.
  let rangeable = false;
  let rangeEnd = false;
  for (;;) {
    if (i >= p.length) throw new Re2PatternError('missing ] at the end of a character class');
    const c = String.fromCodePoint(p.codePointAt(i) as number);
    if (c === ']' && !first) return { src: `${out}]`, end: i + 1 };
    first = false;
    if (c === '[' && p[i + 1] === ':') {
      const m = /^\[:(\^?)([a-z]+):\]/.exec(p.slice(i));
      const set = m === null ? undefined : POSIX[m[2] as string];
      if (m === null || set === undefined) throw new Re2PatternError('invalid character class range');
      if (m[1] === '^') throw new Re2PatternError('negated POSIX classes ([:^name:]) are not supported inside a class; use [^[:name:]]');
      out += set;
      i += m[0].length;
      rangeable = false;
      continue;
    }
    if (c === '-' && rangeable && p[i + 1] !== ']' && i + 1 < p.length) {
      out += '-';
      i++;
      rangeable = false;
      rangeEnd = true;
      continue;
    }
    if (c === '\\') {
      const esc = readEscape(p, i, true);
      i = esc.end;
      if (esc.quoted !== undefined) throw new Re2PatternError('\\Q is not supported inside a character class');
      out += esc.src;
      rangeable = esc.char !== undefined && !rangeEnd;
      rangeEnd = false;
      continue;
    }
    out += /[A-Za-z0-9 _]/.test(c) ? c : hex(c.codePointAt(0) as number);
    i += c.length;
    rangeable = !rangeEnd;
    rangeEnd = false;
  }
}
