// An exception thrown after blocking calls: the log lists all its callers, outermost last, as k6's
// does (the helpers, the imported module's default export as `default`, the check and group
// callbacks, the default function), not only the function that resumed.
import { check, group } from 'k6';
import step from './lib/failing-step.js';

export const options = { vus: 1, iterations: 1 };

export default function () {
  group('flow', () => {
    check(null, { 'runs the step': () => step(__ENV.BASE) });
  });
}
