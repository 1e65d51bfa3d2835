import { describe, expect, it } from 'vitest';
import { MetricRegistry } from '../metrics/metric-registry.ts';
import { parseThresholds } from './parse-thresholds.ts';

const registry = new MetricRegistry();
registry.define('my_gauge', 'gauge', 'default');
const lookup = (n: string) => registry.get(n);

describe('parseThresholds', () => {
  it('accepts string and object forms and submetric keys', () => {
    const { thresholds, errors } = parseThresholds(
      {
        http_req_duration: ['p(95)<500', { threshold: 'avg<200', abortOnFail: true, delayAbortEval: '10s' }],
        'http_req_duration{ status:"200" }': ['max<1000'],
        'checks{group:::login}': ['rate>0.9'],
      },
      lookup,
    );
    expect(errors).toEqual([]);
    expect(thresholds.map((t) => [t.key, t.source, t.abortOnFail, t.delayAbortEvalMs])).toEqual([
      ['http_req_duration', 'p(95)<500', false, undefined],
      ['http_req_duration', 'avg<200', true, 10_000],
      ['http_req_duration{status:"200"}', 'max<1000', false, undefined],
      ['checks{group:::login}', 'rate>0.9', false, undefined],
    ]);
    expect(thresholds[2]?.selector.tags).toEqual([['status', '200']]);
    expect(thresholds[3]?.selector.tags).toEqual([['group', '::login']]);
  });

  it('keys naming the same tags in another order are one submetric, under the first key', () => {
    const { thresholds, errors } = parseThresholds(
      { 'my_gauge{a:1,b:2}': ['value>0'], 'my_gauge{b:2, a:1}': ['value<100'], 'my_gauge{a:1}': ['value<5'] },
      lookup,
    );
    expect(errors).toEqual([]);
    expect(thresholds.map((t) => [t.key, t.source])).toEqual([
      ['my_gauge{a:1,b:2}', 'value>0'],
      ['my_gauge{a:1,b:2}', 'value<100'],
      ['my_gauge{a:1}', 'value<5'],
    ]);
  });

  it('lists every problem at once', () => {
    const { thresholds, errors } = parseThresholds(
      {
        nope: ['count>1'],
        http_reqs: ['avg<1', 'count>1'],
        my_gauge: ['p(95)<1', 'value<1'],
        checks: ['rate>>1'],
        'http_req_duration{status}': ['avg<1'],
        iterations: [{ threshold: 'count>1', delayAbortEval: 'soon' }],
        vus: 'value>1',
      },
      lookup,
    );
    expect(thresholds.map((t) => `${t.key}:${t.source}`)).toEqual(['http_reqs:count>1', 'my_gauge:value<1']);
    expect(errors).toHaveLength(7);
    expect(errors[0]).toMatch(/no metric name "nope" found/);
    expect(errors[1]).toMatch(/unsupported aggregation method avg on metric of type counter.*count, rate/);
    expect(errors[2]).toMatch(/unsupported aggregation method p on metric of type gauge/);
    expect(errors[3]).toMatch(/right hand side|left hand side/);
    expect(errors[4]).toMatch(/malformed/);
    expect(errors[5]).toMatch(/delayAbortEval/);
    expect(errors[6]).toMatch(/expected a list of thresholds/);
  });

  it('looks the metric up by its name as written: a space around it names no metric, as in k6', () => {
    const { thresholds, errors } = parseThresholds({ ' my_gauge': ['value<1'], 'my_gauge {a:b}': ['value<1'] }, lookup);
    expect(thresholds).toEqual([]);
    expect(errors).toEqual([
      'invalid threshold defined on  my_gauge; reason: no metric name " my_gauge" found',
      'invalid threshold defined on my_gauge {a:b}; reason: no metric name "my_gauge {a:b}" found',
    ]);
  });

  it('names k6\'s ParseMetricName rejects: k6\'s words, the key as written (nothing trimmed)', () => {
    const { thresholds, errors } = parseThresholds(
      { 'http_reqs{}': ['count>0'], 'http_reqs{status}': ['count>0'], 'http_reqs{a:b, c}': ['count>0'], ' my_gauge{a:b} ': ['value<1'], 'my_gauge}{': ['value<1'] },
      lookup,
    );
    expect(thresholds).toEqual([]);
    expect(errors).toEqual([
      'unable to validate threshold expressions; reason: parsing metric name failed, metric "" tag expression is malformed',
      'unable to validate threshold expressions; reason: parsing metric name failed, metric "status" tag expression is malformed',
      'unable to validate threshold expressions; reason: parsing metric name failed, metric " c" tag expression is malformed',
      'unable to validate threshold expressions; reason: parsing metric name failed, metric " my_gauge{a:b} " lacks a closing curly brace in its last position',
      'unable to validate threshold expressions; reason: parsing metric name failed, metric "my_gauge}{" closing curly brace appears before opening one',
    ]);
  });

  it('accepts no thresholds', () => {
    expect(parseThresholds(undefined, lookup)).toEqual({ thresholds: [], errors: [], warnings: [] });
  });

  it('warns about submetrics on vu or iter, which never match', () => {
    const { errors, warnings } = parseThresholds({ 'http_reqs{vu:1}': ['count>0'] }, lookup);
    expect(errors).toEqual([]);
    expect(warnings).toEqual([expect.stringMatching(/'vu' metric tag was made non-indexable.*'http_reqs\{vu:1\}'/)]);
  });
});
