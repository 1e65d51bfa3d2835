// A threshold expression, as k6 parses it (metrics/thresholds_parser.go):
//
//   assertion          -> aggregation_method whitespace* operator whitespace* float
//   aggregation_method -> "count" | "rate" | "value" | "avg" | "min" | "max" | "med" | percentile
//   percentile         -> "p(" float ")"            with 0 <= float <= 100
//   operator           -> "<=" | "<" | ">=" | ">" | "===" | "==" | "!="
//   float              -> a Go ParseFloat number ("500", "0.95", "1e3", "Inf")
//
// Scanning tries the operators in the order above and splits at the first one that occurs with a
// non-empty right-hand side; both sides are then trimmed. Which aggregations a metric accepts depends
// on its type (metrics/metric_type.go): see AGGREGATIONS_BY_TYPE.
import type { MetricType } from '../vu/vu-host.ts';

export type ThresholdOperator = '<=' | '<' | '>=' | '>' | '===' | '==' | '!=';
export type Aggregation = 'count' | 'rate' | 'value' | 'avg' | 'min' | 'max' | 'med' | 'p';

export interface ThresholdExpression {
  readonly aggregation: Aggregation;
  /** The N of p(N), for `aggregation === 'p'`. */
  readonly percentile?: number;
  readonly operator: ThresholdOperator;
  readonly value: number;
}

const OPERATORS: readonly ThresholdOperator[] = ['<=', '<', '>=', '>', '===', '==', '!='];
const KEYWORDS: readonly Aggregation[] = ['value', 'count', 'rate', 'avg', 'min', 'med', 'max'];

export const AGGREGATIONS_BY_TYPE: Readonly<Record<MetricType, readonly Aggregation[]>> = {
  counter: ['count', 'rate'],
  gauge: ['value'],
  rate: ['rate'],
  trend: ['avg', 'min', 'max', 'med', 'p'],
};

// Go's strconv.ParseFloat syntax, minus hexadecimal floats and underscores.
const GO_FLOAT = /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf(?:inity)?|nan)$/i;

function parseGoFloat(text: string): number | undefined {
  if (!GO_FLOAT.test(text)) return undefined;
  const lower = text.toLowerCase().replace(/^\+/, '');
  if (lower === 'nan') return Number.NaN;
  if (lower === 'inf' || lower === 'infinity') return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  return Number(text);
}

/** Parses `<agg> <op> <number>`; throws an Error with k6's wording on malformed input. */
export function parseThresholdExpression(input: string): ThresholdExpression {
  let scanned: [string, ThresholdOperator, string] | undefined;
  for (const op of OPERATORS) {
    const at = input.indexOf(op);
    if (at === -1) continue;
    const right = input.slice(at + op.length);
    if (right !== '') {
      scanned = [input.slice(0, at).trim(), op, right.trim()];
      break;
    }
  }
  if (!scanned) throw new Error(`failed parsing threshold expression "${input}"; reason: malformed threshold expression`);
  const [method, operator, rhs] = scanned;

  let aggregation: Aggregation | undefined = KEYWORDS.find((k) => k === method);
  let percentile: number | undefined;
  if (!aggregation) {
    if (method.startsWith('p(') && method.endsWith(')')) {
      const p = parseGoFloat(method.slice(2, -1));
      if (p === undefined) {
        throw new Error(`failed parsing threshold expression's "${input}" left hand side; reason: malformed percentile value`);
      }
      if (Number.isNaN(p) || p < 0 || p > 100) {
        throw new Error(
          `failed parsing threshold expression's "${input}" left hand side; reason: malformed percentile value, provide a number between 0 and 100`,
        );
      }
      aggregation = 'p';
      percentile = p;
    } else {
      throw new Error(`failed parsing threshold expression's "${input}" left hand side; reason: failed parsing method from expression`);
    }
  }

  const value = parseGoFloat(rhs);
  if (value === undefined) {
    throw new Error(`failed parsing threshold expresion's "${input}" right hand side; reason: invalid syntax`);
  }
  return percentile === undefined ? { aggregation, operator, value } : { aggregation, percentile, operator, value };
}

/** The name of the value an expression reads: "p(95)" for percentiles (Go %g), else the keyword. */
export function aggregationKey(e: ThresholdExpression): string {
  return e.aggregation === 'p' ? `p(${formatG(e.percentile ?? 0)})` : e.aggregation;
}

function formatG(n: number): string {
  // Go's %g: shortest representation, exponent only for very large/small numbers.
  const s = String(n);
  return s.includes('e') ? s.replace(/e([+-])(\d)$/, 'e$10$2') : s;
}

export function compare(lhs: number, op: ThresholdOperator, rhs: number): boolean {
  switch (op) {
    case '<=':
      return lhs <= rhs;
    case '<':
      return lhs < rhs;
    case '>=':
      return lhs >= rhs;
    case '>':
      return lhs > rhs;
    case '===':
    case '==':
      return lhs === rhs;
    case '!=':
      return lhs !== rhs;
  }
}
