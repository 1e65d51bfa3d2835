import { describe, expect, it } from 'vitest';
import { rewriteGoBoolFlags } from './go-bool-flags.ts';

describe('rewriteGoBoolFlags (pflag boolean flags with =value)', () => {
  it('a true value is the bare flag, a false one drops it; --include-system-env-vars=false is its negation', () => {
    expect(rewriteGoBoolFlags(['run', '--throw=true', '--no-setup=1', '-q=T', '--paused=false', 'x.js'])).toEqual(['run', '--throw', '--no-setup', '--quiet', 'x.js']);
    expect(rewriteGoBoolFlags(['run', '--include-system-env-vars=0', 'x.js'])).toEqual(['run', '--no-include-system-env-vars', 'x.js']);
    expect(rewriteGoBoolFlags(['run', '--include-system-env-vars=TRUE', 'x.js'])).toEqual(['run', '--include-system-env-vars', 'x.js']);
  });
  it("cloud run's --exit-on-running=false and --show-logs=false reach the command (they override K6_EXIT_ON_RUNNING / K6_SHOW_CLOUD_LOGS)", () => {
    expect(rewriteGoBoolFlags(['cloud', 'run', '--exit-on-running=false', '--show-logs=0', '--local-execution=true', 'x.js']))
      .toEqual(['cloud', 'run', '--no-exit-on-running', '--no-show-logs', '--local-execution', 'x.js']);
  });
  it('leaves other tokens alone: values Go rejects, flags that take a value, -e values, anything after --', () => {
    const args = ['run', '--throw=maybe', '--vus=1', '-e', 'quiet=true', '--http-debug=full', '--', '--throw=true'];
    expect(rewriteGoBoolFlags(args)).toEqual(args);
  });
});
