// Text forms shared by CLI flags and env vars: a stage "30s:10" and a tag "name=value".
import { readDuration, type ProblemList, type StageInput } from '../executors/config-fields.ts';

/** k6 Stage.UnmarshalText: "[duration]:[target]"; the CLI also requires the duration. */
export function parseStageFlag(text: string, path: string, problems: ProblemList): StageInput | undefined {
  const colon = text.indexOf(':');
  const durText = colon < 0 ? text : text.slice(0, colon);
  const targetText = colon < 0 ? '' : text.slice(colon + 1);
  if (durText === '') {
    problems.add(path, `stage "${text}" doesn't have a specified duration`);
    return undefined;
  }
  const duration = readDuration(durText, path, problems);
  let target: number | undefined;
  if (targetText !== '') {
    if (!/^[+-]?\d+$/.test(targetText)) {
      problems.add(path, `invalid stage target "${targetText}" in "${text}"`);
      return undefined;
    }
    target = Number(targetText);
  }
  if (duration === undefined) return undefined;
  return target === undefined ? { duration } : { duration, target };
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
