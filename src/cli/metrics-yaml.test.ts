import { describe, expect, it } from 'vitest';
import { goFloat, metricsYaml, yamlString } from './metrics-yaml.ts';

describe('k6 stats YAML (gopkg.in/yaml.v3 over []v1.Metric)', () => {
  it("writes numbers as Go's FormatFloat(f, 'g', -1, 64)", () => {
    expect(goFloat(0)).toBe('0');
    expect(goFloat(1)).toBe('1');
    expect(goFloat(30.075187969924812)).toBe('30.075187969924812');
    expect(goFloat(123456)).toBe('123456');
    expect(goFloat(1234567)).toBe('1.234567e+06');
    expect(goFloat(0.0001)).toBe('0.0001');
    expect(goFloat(0.00001234)).toBe('1.234e-05');
    expect(goFloat(Infinity)).toBe('.inf');
  });

  it('quotes strings that would read as another type, and only those', () => {
    expect(yamlString('http_req_duration{expected_response:true}')).toBe('http_req_duration{expected_response:true}');
    expect(yamlString('')).toBe('""');
    expect(yamlString('true')).toBe('"true"');
    expect(yamlString('12')).toBe('"12"');
    expect(yamlString('a: b')).toBe("'a: b'");
  });

  it('prints each metric with nested type fields, the taint as text and sorted sample keys', () => {
    expect(metricsYaml([
      { name: 'http_req_failed', type: 'rate', contains: 'default', tainted: true, sample: { rate: 0.5 } },
      { name: 'iteration_duration', type: 'trend', contains: 'time', tainted: null, sample: { min: 1, avg: 2, 'p(95)': 3 } },
    ])).toBe([
      '- name: http_req_failed',
      '  type:',
      '    type: rate',
      '    valid: true',
      '  contains:',
      '    type: default',
      '    valid: true',
      '  tainted: "true"',
      '  sample:',
      '    rate: 0.5',
      '- name: iteration_duration',
      '  type:',
      '    type: trend',
      '    valid: true',
      '  contains:',
      '    type: time',
      '    valid: true',
      '  tainted: ""',
      '  sample:',
      '    avg: 2',
      '    min: 1',
      '    p(95): 3',
      '',
    ].join('\n'));
    expect(metricsYaml([])).toBe('[]\n');
  });
});
