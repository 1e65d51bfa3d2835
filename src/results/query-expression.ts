// The `query='…'` expression of query_range_k6 / query_aggregate_k6:
//
//   query      := aggregator '(' method_expr ')' [ by ] | method_expr
//   method_expr:= method [ '(' number ')' ] [ by ]
//   by         := 'by' '(' label { ',' label } ')'
//   aggregator := 'sum' | 'min' | 'max' | 'avg'
//
// `min(…)`/`max(…)`/`avg(…)` wrapping an expression are aggregators across the inner series; followed
// by a number (`histogram_quantile(0.95)`) a parenthesis is the method's argument. Whether a method
// applies to the metric's type is checked when the metric is known (see query-methods.ts).
import { StampedeError } from '../core/index.ts';

export const CROSS_AGGREGATORS = ['sum', 'min', 'max', 'avg'] as const;
export type CrossAggregator = (typeof CROSS_AGGREGATORS)[number];

export interface MethodExpression {
  readonly method: string;
  readonly arg: number | undefined;
  /** Labels kept (one result series per combination); undefined → everything merged into one. */
  readonly by: readonly string[] | undefined;
}

export interface QueryExpression {
  readonly inner: MethodExpression;
  /** `sum(inner) by (…)`: the inner series combined per timestamp. */
  readonly outer: { readonly aggregator: CrossAggregator; readonly by: readonly string[] | undefined } | undefined;
}

type Token = { kind: 'name'; text: string } | { kind: 'number'; value: number; text: string } | { kind: 'punct'; text: '(' | ')' | ',' };

function bad(query: string, why: string): StampedeError {
  return new StampedeError('STAMPEDE_ERR_BAD_REQUEST', `invalid query ${JSON.stringify(query)}: ${why}`);
}

function tokenize(query: string): Token[] {
  const out: Token[] = [];
  const re = /\s*(?:([A-Za-z_][A-Za-z0-9_.:]*)|([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)|([(),]))/y;
  let pos = 0;
  while (pos < query.length) {
    if (/^\s*$/.test(query.slice(pos))) break;
    re.lastIndex = pos;
    const m = re.exec(query);
    if (!m) throw bad(query, `unexpected ${JSON.stringify(query.slice(pos).trim())}`);
    pos = re.lastIndex;
    if (m[1] !== undefined) out.push({ kind: 'name', text: m[1] });
    else if (m[2] !== undefined) out.push({ kind: 'number', value: Number(m[2]), text: m[2] });
    else out.push({ kind: 'punct', text: m[3] as '(' | ')' | ',' });
  }
  return out;
}

export function parseQueryExpression(query: string, knownMethod: (name: string) => boolean): QueryExpression {
  const tokens = tokenize(query);
  let i = 0;
  const peek = (offset = 0): Token | undefined => tokens[i + offset];
  const expectPunct = (text: '(' | ')' | ','): void => {
    const t = tokens[i];
    if (t?.kind !== 'punct' || t.text !== text) throw bad(query, `expected "${text}"${t ? ` before "${t.text}"` : ' at the end'}`);
    i++;
  };
  const parseBy = (): string[] | undefined => {
    const t = peek();
    if (t?.kind !== 'name' || t.text !== 'by') return undefined;
    i++;
    expectPunct('(');
    const labels: string[] = [];
    for (;;) {
      const l = tokens[i];
      if (l?.kind !== 'name') throw bad(query, 'expected a label name in "by (…)"');
      labels.push(l.text);
      i++;
      const sep = tokens[i];
      if (sep?.kind === 'punct' && sep.text === ',') {
        i++;
        continue;
      }
      expectPunct(')');
      return labels;
    }
  };
  const parseMethod = (): MethodExpression => {
    const t = tokens[i];
    if (t?.kind !== 'name') throw bad(query, 'expected a method name');
    if (!knownMethod(t.text)) throw bad(query, `unknown method "${t.text}"`);
    i++;
    let arg: number | undefined;
    const open = peek();
    if (open?.kind === 'punct' && open.text === '(') {
      i++;
      const n = tokens[i];
      if (n?.kind !== 'number' || !Number.isFinite(n.value)) throw bad(query, `expected a number as the argument of "${t.text}"`);
      arg = n.value;
      i++;
      expectPunct(')');
    }
    return { method: t.text, arg, by: parseBy() };
  };

  const first = peek();
  const second = peek(1);
  const third = peek(2);
  let expr: QueryExpression;
  const isAggregator = first?.kind === 'name' && (CROSS_AGGREGATORS as readonly string[]).includes(first.text) && second?.kind === 'punct' && second.text === '(' && third?.kind === 'name';
  if (isAggregator) {
    i += 2;
    const inner = parseMethod();
    expectPunct(')');
    expr = { inner, outer: { aggregator: first.text as CrossAggregator, by: parseBy() } };
  } else {
    expr = { inner: parseMethod(), outer: undefined };
  }
  const rest = peek();
  if (rest) throw bad(query, `unexpected "${rest.text}"`);
  const outerBy = expr.outer?.by;
  const innerBy = expr.inner.by;
  if (outerBy && innerBy) {
    const missing = outerBy.filter((l) => !innerBy.includes(l));
    if (missing.length > 0) throw bad(query, `the outer "by" groups by ${missing.map((l) => `"${l}"`).join(', ')}, which the inner "by" drops`);
  } else if (outerBy && !innerBy) {
    throw bad(query, 'the outer "by" needs an inner "by" to regroup');
  }
  return expr;
}
