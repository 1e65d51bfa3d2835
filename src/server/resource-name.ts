// A project's or load test's name. The spec's minLength counts characters, so a name of spaces passes
// it, yet it names nothing a user could tell apart in a list or type back: it is refused as an empty
// one is, with the same ErrorResponse (400, the field as the target).
import { validationError } from './validation-error.ts';

/** Whether `name` is empty or only whitespace. */
export function isBlank(name: string): boolean {
  return name.trim() === '';
}

export function blankMessage(target: string): string {
  return `${target} must not be blank.`;
}

/** Throws the API's 400 when `name` is empty or only whitespace. */
export function assertNotBlank(name: string, target = 'name'): void {
  if (isBlank(name)) throw validationError(target, blankMessage(target));
}
