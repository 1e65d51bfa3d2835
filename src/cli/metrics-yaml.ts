// `k6 stats` prints the REST API's metrics as gopkg.in/yaml.v3 marshals k6's []v1.Metric: four-space
// indentation, the nullable type fields as {type, valid} maps, `tainted` as null.Bool's text ("" when
// null), sample keys sorted and numbers as Go's strconv.FormatFloat(f, 'g', -1, 64).

export interface YamlMetric {
  readonly name: string;
  readonly type: string | null;
  readonly contains: string | null;
  readonly tainted: boolean | null;
  readonly sample: Readonly<Record<string, number>>;
}

/** Go's FormatFloat(f, 'g', -1, 64) as yaml.v3 writes it (.inf, -.inf, .nan). */
export function goFloat(f: number): string {
  if (Number.isNaN(f)) return '.nan';
  if (f === Infinity) return '.inf';
  if (f === -Infinity) return '-.inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const [mantissa = '', exponent = '0'] = f.toExponential().split('e');
  const exp = Number(exponent);
  if (exp < -4 || exp >= 6) return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(f);
}

const RESOLVES_AS_OTHER = /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|0x[0-9a-fA-F_]+|0o[0-7_]+|0b[01_]+)$/;

/** A string scalar as yaml.v3 emits it: plain when it can be, else single-quoted, else double-quoted. */
export function yamlString(s: string): string {
  if (s === '' || RESOLVES_AS_OTHER.test(s)) return JSON.stringify(s);
  if (/^[A-Za-z0-9_./(][^\s]*$/.test(s) && !s.endsWith(':')) return s;
  if (!/[\x00-\x1f\x7f]/.test(s)) return `'${s.replaceAll("'", "''")}'`;
  return JSON.stringify(s);
}

function nullType(value: string | null): string {
  return value === null ? '    type: ""\n    valid: false\n' : `    type: ${yamlString(value)}\n    valid: true\n`;
}

export function metricsYaml(metrics: readonly YamlMetric[]): string {
  if (metrics.length === 0) return '[]\n';
  let out = '';
  for (const m of metrics) {
    out += `- name: ${yamlString(m.name)}\n`;
    out += `  type:\n${nullType(m.type)}`;
    out += `  contains:\n${nullType(m.contains)}`;
    out += `  tainted: ${m.tainted === null ? '""' : `"${m.tainted}"`}\n`;
    const keys = Object.keys(m.sample).sort();
    if (keys.length === 0) {
      out += '  sample: {}\n';
      continue;
    }
    out += '  sample:\n';
    for (const k of keys) out += `    ${yamlString(k)}: ${goFloat(m.sample[k] ?? 0)}\n`;
  }
  return out;
}
