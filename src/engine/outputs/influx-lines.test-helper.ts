// Parses InfluxDB line protocol as a server would, for the influxdb outputs' tests.

/** One parsed line-protocol line (no spaces or commas inside the values these runs produce, but escaped `\ `/`\,` handled). */
export interface Line { measurement: string; tags: Record<string, string>; fields: Record<string, string>; time: bigint }

function splitUnescaped(s: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c === '\\' && i + 1 < s.length) {
      cur += c + (s[i + 1] as string);
      i++;
    } else if (c === '"') {
      quoted = !quoted;
      cur += c;
    } else if (c === sep && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

const unescape = (s: string): string => s.replace(/\\(.)/g, '$1');

export function parseLines(body: string): Line[] {
  return body.split('\n').filter((l) => l !== '').map((line) => {
    const [head = '', fieldText = '', time = ''] = splitUnescaped(line, ' ');
    const [measurement = '', ...tagPairs] = splitUnescaped(head, ',');
    const pair = (p: string): [string, string] => {
      const [k = '', ...v] = splitUnescaped(p, '=');
      return [unescape(k), v.join('=')];
    };
    return {
      measurement: unescape(measurement),
      tags: Object.fromEntries(tagPairs.map(pair).map(([k, v]) => [k, unescape(v)])),
      fields: Object.fromEntries(splitUnescaped(fieldText, ',').map(pair)),
      time: BigInt(time),
    };
  });
}

