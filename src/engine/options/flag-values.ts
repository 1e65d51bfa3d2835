// Text forms shared by CLI flags and env vars: a stage "30s:10" and a tag "name=value".
import type { ProblemList, StageInput } from '../executors/config-fields.ts';

const GO_UNITS_MS: Readonly<Record<string, number>> = {
  ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000,
};

/**
 * Go's time.ParseDuration, in milliseconds: what pflag's Duration flags (`--duration`,
 * `--min-iteration-duration`) and a stage's text (`-s`, K6_STAGES) accept. Unlike k6's option values
 * it has no bare milliseconds ("1000") and no days ("1d"). Throws Go's error text.
 */
export function parseGoDuration(text: string): number {
  const quoted = JSON.stringify(text);
  let s = text;
  let sign = 1;
  if (s[0] === '-' || s[0] === '+') {
    sign = s[0] === '-' ? -1 : 1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') throw new Error(`time: invalid duration ${quoted}`);
  let total = 0;
  while (s !== '') {
    const num = /^(\d*)(?:\.(\d*))?/.exec(s) as RegExpExecArray;
    if ((num[1] ?? '') === '' && (num[2] ?? '') === '') throw new Error(`time: invalid duration ${quoted}`);
    s = s.slice(num[0].length);
    const unit = (/^[^\d.]*/.exec(s) as RegExpExecArray)[0];
    if (unit === '') throw new Error(`time: missing unit in duration ${quoted}`);
    const ms = GO_UNITS_MS[unit];
    if (ms === undefined) throw new Error(`time: unknown unit ${JSON.stringify(unit)} in duration ${quoted}`);
    s = s.slice(unit.length);
    total += Number(num[0]) * ms;
  }
  return sign * total;
}

/** Go's strconv.ParseInt(text, 0, 64), as pflag's Int64 flags use it (0x, 0o, 0b and 0 prefixes). */
export function parseGoInt(text: string): number {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9]\d*)$/.exec(text);
  if (m === null) throw new Error(`strconv.ParseInt: parsing ${JSON.stringify(text)}: invalid syntax`);
  const body = m[2] as string;
  const lower = body.toLowerCase();
  const magnitude = lower.startsWith('0x') || lower.startsWith('0o') || lower.startsWith('0b')
    ? BigInt(lower)
    : body.length > 1 && body[0] === '0' ? BigInt(`0o${body.slice(1)}`) : BigInt(body);
  const value = m[1] === '-' ? -magnitude : magnitude;
  if (value > 9223372036854775807n || value < -9223372036854775808n) {
    throw new Error(`strconv.ParseInt: parsing ${JSON.stringify(text)}: value out of range`);
  }
  return Number(value);
}

/**
 * k6 Stage.UnmarshalText: "[duration]:[target]", the duration as Go's time.ParseDuration reads it and
 * the target as strconv.ParseInt; `path` names the stage in problems. A stage without a duration is
 * returned without one: the CLI rejects it (getOptions), K6_STAGES keeps it for validation.
 */
export function parseStageText(text: string, path: string, problems: ProblemList): StageInput | undefined {
  const colon = text.indexOf(':');
  const durText = colon < 0 ? text : text.slice(0, colon);
  const targetText = colon < 0 ? '' : text.slice(colon + 1);
  const stage: { duration?: number; target?: number } = {};
  try {
    if (durText !== '') stage.duration = parseGoDuration(durText);
    if (targetText !== '') {
      if (!/^[+-]?\d+$/.test(targetText)) throw new Error(`strconv.ParseInt: parsing ${JSON.stringify(targetText)}: invalid syntax`);
      stage.target = Number(targetText);
    }
  } catch (err) {
    problems.add(path, (err as Error).message);
    return undefined;
  }
  return stage as StageInput;
}

/** k6 parseTagNameValue: "name=value" (env uses "name:value"). */
export function parseTagPair(text: string, path: string, problems: ProblemList, sep = '='): [string, string] | undefined {
  if (text === '') {
    problems.add(path, 'invalid tag, empty string');
    return undefined;
  }
  const idx = text.indexOf(sep);
  if (idx === 0) {
    problems.add(path, `invalid tag "${text}", empty name`);
    return undefined;
  }
  if (idx < 0 || idx === text.length - 1) {
    problems.add(path, `invalid tag "${text}", empty value`);
    return undefined;
  }
  return [text.slice(0, idx), text.slice(idx + 1)];
}
