import { describe, expect, it } from 'vitest';
import { aggregationKey, parseThresholdExpression } from './threshold-expression.ts';

describe('parseThresholdExpression', () => {
  it.each([
    ['p(95)<500', { aggregation: 'p', percentile: 95, operator: '<', value: 500 }],
    ['p(99.9) <= 1.5', { aggregation: 'p', percentile: 99.9, operator: '<=', value: 1.5 }],
    ['  avg>=100 ', { aggregation: 'avg', operator: '>=', value: 100 }],
    ['count>10', { aggregation: 'count', operator: '>', value: 10 }],
    ['rate===0.5', { aggregation: 'rate', operator: '===', value: 0.5 }],
    ['value == 3', { aggregation: 'value', operator: '==', value: 3 }],
    ['med!=0', { aggregation: 'med', operator: '!=', value: 0 }],
    ['max<1e3', { aggregation: 'max', operator: '<', value: 1000 }],
    ['min>-5', { aggregation: 'min', operator: '>', value: -5 }],
    ['p(0)<1', { aggregation: 'p', percentile: 0, operator: '<', value: 1 }],
    ['p(100)<1', { aggregation: 'p', percentile: 100, operator: '<', value: 1 }],
  ])('parses %j', (input, expected) => {
    expect(parseThresholdExpression(input)).toEqual(expected);
  });

  it.each([
    ['p(95)', /malformed threshold expression/],
    ['p(95)<', /malformed threshold expression/],
    ['foo<5', /failed parsing method/],
    ['p(101)<5', /between 0 and 100/],
    ['p(-1)<5', /between 0 and 100/],
    ['p(abc)<5', /malformed percentile value/],
    ['avg<fast', /right hand side/],
    ['avg=5', /malformed threshold expression/],
    ['', /malformed threshold expression/],
  ])('rejects %j', (input, message) => {
    expect(() => parseThresholdExpression(input)).toThrow(message);
  });

  it('tries operators in k6 order, so "<" inside a longer expression splits at the first match', () => {
    // "<=" is tried before "<": "a<=b" is never read as "a" < "=b".
    expect(parseThresholdExpression('avg<=5').operator).toBe('<=');
    // ">=" is tried before ">" but after "<"; a stray "<" on the right makes the left side invalid
    expect(() => parseThresholdExpression('avg>=5<6')).toThrow(/left hand side/);
  });

  it('names the value read like k6 sinks do', () => {
    expect(aggregationKey(parseThresholdExpression('p(99.90)<1'))).toBe('p(99.9)');
    expect(aggregationKey(parseThresholdExpression('rate<1'))).toBe('rate');
  });
});
