// An unhandled promise rejection that fails a VU's call, logged as k6 logs it: "Uncaught (in promise)"
// followed by the reason's stack when it has one, else its text (`internal/js/eventloop`).
import { errorText } from './error-text.ts';

export class UncaughtRejection extends Error {
  readonly reason: unknown;
  constructor(reason: unknown) {
    super(`Uncaught (in promise) ${errorText(reason)}`);
    this.name = 'UncaughtRejection';
    this.reason = reason;
    // errorText() prints a stack first: this error's own frames are the engine's, not the script's.
    this.stack = this.message;
  }
}
