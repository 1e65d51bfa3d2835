// Prometheus-style series selectors as the v5 metrics API takes them (`metric=` and `match[]=`):
//
//   selector := [metric_name] [ '{' [ matcher { ',' matcher } [','] ] '}' ]
//   matcher  := label_name ( '=' | '!=' | '=~' | '!~' ) string
//   string   := '"' chars '"' | "'" chars "'"      (backslash escapes the next character)
//
// A series' labels are its tags plus `__name__` (the metric) and `test_run_id`. As in Prometheus,
// regular expressions are anchored at both ends, and a label a series lacks reads as "".
import { StampedeError } from '../core/index.ts';

export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface LabelMatcher {
  readonly label: string;
  readonly op: MatchOp;
  readonly value: string;
  /** Compiled for `=~` and `!~`. */
  readonly re?: RegExp;
}

export interface SeriesSelector {
  /** The metric named before the braces, or by an `__name__="…"` matcher; undefined when neither. */
  readonly metric: string | undefined;
  readonly matchers: readonly LabelMatcher[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.:-]*/;

function bad(message: string): StampedeError {
  return new StampedeError('STAMPEDE_ERR_BAD_REQUEST', message);
}

const MAX_REGEX_LENGTH = 1000;

/**
 * Prometheus matches with RE2, which runs in linear time; JavaScript's engine backtracks. Patterns that
 * can backtrack without bound (a quantified group that itself holds a quantifier or an alternation,
 * e.g. `(a+)+`, `(a|aa)*`) are refused, and so are constructs RE2 lacks (lookaround, backreferences).
 */
function assertLinearRegex(source: string, where: string): void {
  const refuse = (why: string): never => {
    throw bad(`regular expression ${JSON.stringify(source)} in ${where} ${why}`);
  };
  if (source.length > MAX_REGEX_LENGTH) refuse(`is longer than ${MAX_REGEX_LENGTH} characters`);
  if (/\\[1-9]|\\k<|\(\?<?[=!]/.test(source)) refuse('uses lookaround or a backreference, which RE2 does not support');
  // Per open group: whether it holds a quantifier or an alternation so far.
  const groups: boolean[] = [];
  let i = 0;
  const quantifierAt = (at: number): boolean => /^(?:[*+]|\{\d*,?\d*\})/.test(source.slice(at));
  while (i < source.length) {
    const c = source[i];
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === '[') {
      i++;
      if (source[i] === '^') i++;
      if (source[i] === ']') i++;
      while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
      i++;
      continue;
    }
    if (c === '(') {
      groups.push(false);
      i++;
      continue;
    }
    if (c === ')') {
      const risky = groups.pop() ?? false;
      i++;
      if (risky && quantifierAt(i)) refuse('nests quantifiers (e.g. (a+)+), which could take exponential time');
      if (groups.length > 0 && (risky || quantifierAt(i))) groups[groups.length - 1] = true;
      continue;
    }
    if ((c === '|' || quantifierAt(i)) && groups.length > 0) groups[groups.length - 1] = true;
    i++;
  }
}

function compileRegex(source: string, where: string): RegExp {
  assertLinearRegex(source, where);
  try {
    return new RegExp(`^(?:${source})$`, 'u');
  } catch (err) {
    throw bad(`invalid regular expression ${JSON.stringify(source)} in ${where}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export function parseSeriesSelector(text: string): SeriesSelector {
  const src = text.trim();
  if (src === '') throw bad('empty series selector');
  let pos = 0;
  let metric: string | undefined;
  const head = NAME.exec(src);
  if (head) {
    metric = head[0];
    pos = head[0].length;
  }
  const matchers: LabelMatcher[] = [];
  const skipSpace = (): void => {
    while (pos < src.length && /\s/.test(src[pos] ?? '')) pos++;
  };
  skipSpace();
  if (pos < src.length) {
    if (src[pos] !== '{') throw bad(`unexpected ${JSON.stringify(src.slice(pos))} in series selector ${JSON.stringify(src)}`);
    pos++;
    for (;;) {
      skipSpace();
      if (src[pos] === '}') {
        pos++;
        break;
      }
      const label = NAME.exec(src.slice(pos));
      if (!label) throw bad(`expected a label name at ${JSON.stringify(src.slice(pos))} in series selector ${JSON.stringify(src)}`);
      pos += label[0].length;
      skipSpace();
      const op = (['=~', '!~', '!=', '='] as const).find((o) => src.startsWith(o, pos));
      if (!op) throw bad(`expected one of =, !=, =~, !~ after label "${label[0]}" in series selector ${JSON.stringify(src)}`);
      pos += op.length;
      skipSpace();
      const quote = src[pos];
      if (quote !== '"' && quote !== "'") throw bad(`the value of label "${label[0]}" must be a quoted string in series selector ${JSON.stringify(src)}`);
      pos++;
      let value = '';
      for (;;) {
        const c = src[pos];
        if (c === undefined) throw bad(`unterminated string in series selector ${JSON.stringify(src)}`);
        pos++;
        if (c === quote) break;
        if (c === '\\') {
          const next = src[pos];
          if (next === undefined) throw bad(`unterminated string in series selector ${JSON.stringify(src)}`);
          pos++;
          // Inside a regex, `\d` and friends stay escapes; only quotes and backslashes are unescaped.
          value += next === quote || next === '\\' ? next : op.endsWith('~') ? `\\${next}` : next === 'n' ? '\n' : next === 't' ? '\t' : next;
          continue;
        }
        value += c;
      }
      const matcher: LabelMatcher = op.endsWith('~') ? { label: label[0], op, value, re: compileRegex(value, `series selector ${JSON.stringify(src)}`) } : { label: label[0], op, value };
      matchers.push(matcher);
      skipSpace();
      if (src[pos] === ',') {
        pos++;
        continue;
      }
      if (src[pos] === '}') {
        pos++;
        break;
      }
      throw bad(`expected "," or "}" at ${JSON.stringify(src.slice(pos))} in series selector ${JSON.stringify(src)}`);
    }
    skipSpace();
    if (pos < src.length) throw bad(`unexpected ${JSON.stringify(src.slice(pos))} after series selector ${JSON.stringify(src)}`);
  }
  const byName = matchers.find((m) => m.label === '__name__' && m.op === '=');
  if (metric !== undefined && byName !== undefined && byName.value !== metric) {
    throw bad(`series selector ${JSON.stringify(src)} names two metrics`);
  }
  metric ??= byName?.value;
  if (metric === undefined && matchers.every((m) => matchesEmpty(m))) {
    throw bad(`series selector ${JSON.stringify(src)} must name a metric or contain a matcher that does not match the empty string`);
  }
  return { metric, matchers };
}

function test(m: LabelMatcher, value: string): boolean {
  switch (m.op) {
    case '=':
      return value === m.value;
    case '!=':
      return value !== m.value;
    case '=~':
      return m.re?.test(value) ?? false;
    case '!~':
      return !(m.re?.test(value) ?? false);
  }
}

function matchesEmpty(m: LabelMatcher): boolean {
  return test(m, '');
}

/** `labels` are a series' full label set (tags, `__name__`, `test_run_id`). */
export function selectorMatches(selector: SeriesSelector, labels: Readonly<Record<string, string>>): boolean {
  if (selector.metric !== undefined && labels['__name__'] !== selector.metric) return false;
  for (const m of selector.matchers) {
    if (!test(m, Object.hasOwn(labels, m.label) ? (labels[m.label] ?? '') : '')) return false;
  }
  return true;
}
