// The LogQL the Loki endpoints answer: a log query on one test run, as k6's cloud log tail and
// Grafana's Explore send them. A stream selector naming the run, `{test_run_id="123"}`, with more label
// matchers (`=`, `!=`, `=~`, `!~`; regexes are RE2, anchored to the whole value, a missing label being
// the empty string), then any number of line filters (`|= "text"`, `!= "text"`, `|~ "regex"`,
// `!~ "regex"`; regexes match anywhere in the line), and `| drop label, …` stages (Grafana's log volume
// sends `| drop __error__`). Strings are Go strings in "…" or raw in `…`. Metric queries over such a
// query are read in logql-metric.ts; anything else (parsers such as `| json`, label filters) is a 400
// saying what is answered.
import { Script, createContext, type Context } from 'node:vm';
import type { RunLogReadOptions, StoredRunLogLine } from '../store/index.ts';
import { Re2PatternError, re2ToRegExp } from './re2-regexp.ts';
import { validationError } from './validation-error.ts';

export type LabelOp = '=' | '!=' | '=~' | '!~';
export type LineOp = '|=' | '!=' | '|~' | '!~';

export interface LabelMatcher {
  label: string;
  op: LabelOp;
  value: string;
  /** For =~ and !~. */
  re?: RegExp;
}

export interface LineFilter {
  op: LineOp;
  value: string;
  /** For |~ and !~. */
  re?: RegExp;
}

export interface LogQuery {
  testRunId: number;
  /** The matchers besides the `test_run_id="…"` that names the run. */
  matchers: LabelMatcher[];
  filters: LineFilter[];
  /** Labels `| drop` removes from the result's label sets. */
  dropped: string[];
}

const SUPPORTED = 'this server answers log queries on one test run: a selector such as {test_run_id="123"} or {test_run_id="123", level=~"error|warning"} (label matchers =, !=, =~, !~), optionally followed by line filters |= "text", != "text", |~ "regex", !~ "regex" and | drop label stages; and metric queries over them: count_over_time, rate, bytes_over_time or bytes_rate with a [range], in sum, min, max, avg or count by/without (labels)';

function fail(why: string): never {
  const message = `${why}: ${SUPPORTED}`;
  throw validationError('query', message);
}

function compile(pattern: string, anchored: boolean, where: string): RegExp {
  try {
    return re2ToRegExp(pattern, anchored);
  } catch (err) {
    if (!(err instanceof Re2PatternError)) throw err;
    const message = `The regular expression ${JSON.stringify(pattern)} in ${where} is refused: ${err.message} (patterns are RE2, as in Loki)`;
    throw validationError('query', message);
  }
}

/** Reads the query; a 400 (validation_error, target `query`) for anything outside what is answered. */
export function parseLogQuery(query: unknown): LogQuery {
  if (typeof query !== 'string' || query.trim() === '') return fail('The query parameter "query" is required');
  const r = new Reader(query);
  r.skipSpace();
  if (!r.eat('{')) {
    return fail(/^[a-z_]+\s*\(/.test(r.rest()) ? `A metric query such as ${JSON.stringify(query.trim().slice(0, 40))} is answered by query_range and query, not here` : `Unsupported query ${JSON.stringify(query.trim())}`);
  }
  const all: LabelMatcher[] = [];
  r.skipSpace();
  while (!r.eat('}')) {
    if (all.length > 0 && !r.eat(',')) return fail(`Expected , or } at position ${r.pos} of the selector`);
    r.skipSpace();
    const label = r.match(/^[A-Za-z_][A-Za-z0-9_]*/);
    if (label === null) return fail(`Expected a label name at position ${r.pos} of the selector`);
    r.skipSpace();
    const op = (r.match(/^(=~|!~|!=|=)/) ?? fail(`Unsupported matcher operator after ${label}`)) as LabelOp;
    r.skipSpace();
    const value = r.string() ?? fail(`Expected a quoted value after ${label}${op}`);
    all.push({ label, op, value, ...(op === '=~' || op === '!~' ? { re: compile(value, true, `the matcher ${label}${op}`) } : {}) });
    r.skipSpace();
  }
  const named = all.findIndex((m) => m.label === 'test_run_id' && m.op === '=');
  const runId = all[named]?.value;
  if (runId === undefined || !/^[1-9]\d{0,15}$/.test(runId)) return fail('The selector must name a test run by its id (test_run_id="…")');
  const filters: LineFilter[] = [];
  const dropped: string[] = [];
  for (r.skipSpace(); !r.done(); r.skipSpace()) {
    const drop = r.match(/^\|\s*drop\s+[A-Za-z_][A-Za-z0-9_]*(\s*,\s*[A-Za-z_][A-Za-z0-9_]*)*/);
    if (drop !== null) {
      dropped.push(...drop.replace(/^\|\s*drop\s+/, '').split(',').map((l) => l.trim()));
      continue;
    }
    const op = r.match(/^(\|=|!=|\|~|!~)/) as LineOp | null;
    if (op === null) {
      const stage = /^\|\s*([A-Za-z_]+)/.exec(r.rest());
      return fail(stage !== null ? `The pipeline stage "| ${stage[1] as string}" is not supported` : `Unsupported expression ${JSON.stringify(r.rest().slice(0, 40))} after the selector`);
    }
    r.skipSpace();
    const value = r.string() ?? fail(`Expected a quoted string after the line filter ${op}`);
    filters.push({ op, value, ...(op === '|~' || op === '!~' ? { re: compile(value, false, `the line filter ${op}`) } : {}) });
  }
  return { testRunId: Number(runId), matchers: all.filter((_, i) => i !== named), filters, dropped };
}

/** Whether a line passes every matcher (`level` is the line's level) and every line filter. */
export function matchesLogQuery(line: StoredRunLogLine, q: Pick<LogQuery, 'matchers' | 'filters'>): boolean {
  for (const m of q.matchers) {
    const actual = (m.label === 'level' ? line.level : line.labels[m.label]) ?? '';
    const ok = m.op === '=' ? actual === m.value : m.op === '!=' ? actual !== m.value : (m.re as RegExp).test(actual) === (m.op === '=~');
    if (!ok) return false;
  }
  for (const f of q.filters) {
    const ok = f.op === '|=' ? line.message.includes(f.value) : f.op === '!=' ? !line.message.includes(f.value) : (f.re as RegExp).test(line.message) === (f.op === '|~');
    if (!ok) return false;
  }
  return true;
}

/** How long a query's regexes may take over one page of lines (a backtracking engine can take far longer than RE2). */
export const REGEX_BUDGET_MS = 1_000;

const FILTER = new Script('picked = lines.filter(match)');

/**
 * A query's matching of pages of lines. Without regexes, a plain filter; with them, the filter runs
 * under a time limit (in a script context, which V8 can interrupt mid-match), and a page that takes
 * longer is a 400 (or, for a tail, the reason it is closed).
 */
export class LineMatcher {
  readonly #q: LogQuery;
  readonly #budgetMs: number;
  #context: Context | undefined;

  constructor(q: LogQuery, budgetMs = REGEX_BUDGET_MS) {
    this.#q = q;
    this.#budgetMs = budgetMs;
  }

  filter(lines: readonly StoredRunLogLine[]): StoredRunLogLine[] {
    const q = this.#q;
    const regexes = q.matchers.some((m) => m.re !== undefined) || q.filters.some((f) => f.re !== undefined);
    if (!regexes) return lines.filter((l) => matchesLogQuery(l, q));
    this.#context ??= createContext({ match: (l: StoredRunLogLine) => matchesLogQuery(l, q), lines: [], picked: [] });
    const context = this.#context as { lines: readonly StoredRunLogLine[]; picked: StoredRunLogLine[] };
    context.lines = lines;
    try {
      FILTER.runInContext(this.#context, { timeout: this.#budgetMs });
      return context.picked;
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw err;
      const message = `The query's regular expressions took longer than ${this.#budgetMs} ms over ${lines.length} lines: this server's regex engine backtracks where Loki's RE2 does not; make them narrower (a literal part, fewer .*) or add |= "text" filters before them`;
      throw validationError('query', message);
    } finally {
      context.lines = [];
      context.picked = [];
    }
  }
}

/** The part of a query the store can apply itself (level equality, substrings); the rest is matched here. */
export function storeNarrowing(q: LogQuery): Pick<RunLogReadOptions, 'level' | 'notLevels' | 'contains' | 'excludes'> {
  const level = q.matchers.find((m) => m.label === 'level' && m.op === '=')?.value;
  const notLevels = q.matchers.filter((m) => m.label === 'level' && m.op === '!=').map((m) => m.value);
  const contains = q.filters.filter((f) => f.op === '|=' && f.value !== '').map((f) => f.value);
  const excludes = q.filters.filter((f) => f.op === '!=').map((f) => f.value);
  return {
    ...(level === undefined ? {} : { level }),
    ...(notLevels.length === 0 ? {} : { notLevels }),
    ...(contains.length === 0 ? {} : { contains }),
    ...(excludes.length === 0 ? {} : { excludes }),
  };
}

/** Whether the store's narrowing is the whole query (so a short page from the store is the end). */
export function fullyNarrowed(q: LogQuery): boolean {
  return q.matchers.every((m) => m.label === 'level' && (m.op === '=' || m.op === '!=')) && q.filters.every((f) => f.op === '|=' || f.op === '!=');
}

class Reader {
  pos = 0;
  constructor(private readonly text: string) {}
  rest(): string {
    return this.text.slice(this.pos);
  }
  done(): boolean {
    return this.pos >= this.text.length;
  }
  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos] as string)) this.pos++;
  }
  eat(s: string): boolean {
    if (!this.text.startsWith(s, this.pos)) return false;
    this.pos += s.length;
    return true;
  }
  match(re: RegExp): string | null {
    const m = re.exec(this.rest());
    if (m === null) return null;
    this.pos += m[0].length;
    return m[0];
  }
  /** A Go string: "…" with escapes, or `…` raw. */
  string(): string | null {
    const raw = this.match(/^`[^`]*`/);
    if (raw !== null) return raw.slice(1, -1);
    const quoted = this.match(/^"(?:[^"\\\n]|\\.)*"/);
    return quoted === null ? null : unquoteGo(quoted.slice(1, -1));
  }
}

const GO_ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'" };

/** The body of a Go interpreted string literal, unescaped; a bad escape is a 400. */
function unquoteGo(body: string): string {
  return body.replace(/\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|[0-7]{3}|.)/gs, (whole, esc: string) => {
    const simple = GO_ESCAPES[esc];
    if (simple !== undefined) return simple;
    if (/^[xuU]/.test(esc) && esc.length > 1) {
      const cp = parseInt(esc.slice(1), 16);
      return cp <= 0x10ffff ? String.fromCodePoint(cp) : fail(`Invalid escape ${whole} in a string`);
    }
    if (/^[0-7]{3}$/.test(esc)) return String.fromCodePoint(parseInt(esc, 8));
    return fail(`Invalid escape ${whole} in a string (in "…" a regex's backslashes are doubled, or use \`…\`)`);
  });
}
