// The API's 400 for one bad input: the ErrorResponse names the parameter or field as its target and
// repeats it, with the message, as its one detail.
import { StampedeError } from '../core/index.ts';

export function validationError(target: string, message: string): StampedeError {
  return new StampedeError('STAMPEDE_ERR_VALIDATION', message, { target, details: [{ target, message }] });
}
