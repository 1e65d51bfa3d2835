import { describe, expect, it } from 'vitest';
import { EngineError } from '../engine/index.ts';
import { envFlagValues, includeSystemEnvVars } from './option-flags.ts';

function errorOf(fn: () => unknown): EngineError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(EngineError);
    return e as EngineError;
  }
  throw new Error('expected an EngineError');
}

// grafana/k6 internal/cmd/runtime_options_test.go
describe('-e and --include-system-env-vars (k6 getRuntimeOptions)', () => {
  it('-e KEY alone and -e KEY= are empty values; the last of a repeated name wins; values keep commas and quotes', () => {
    expect(envFlagValues(['test3=val3', 'test4', 'test5=', 'test2=overwriten', 'test2=val2', 'x=a=b'])).toEqual({
      test3: 'val3', test4: '', test5: '', test2: 'val2', x: 'a=b',
    });
    expect(envFlagValues([`test3= ,  ,,, value, ,, 2!'@#,"`])).toEqual({ test3: ` ,  ,,, value, ,, 2!'@#,"` });
  });
  it('a name that is not [a-zA-Z_][a-zA-Z0-9_]* is an error without an exit code (255)', () => {
    for (const bad of ['test a=error', '1var=error', 'уникод=unicode-disabled', '=x']) {
      const e = errorOf(() => envFlagValues([bad]));
      expect(e.exitCode).toBe(255);
      expect(e.message).toBe(`invalid environment variable name '${bad.slice(0, bad.indexOf('='))}'`);
    }
  });
  it('the flag wins over K6_INCLUDE_SYSTEM_ENV_VARS, which wins over the command default; a bad variable fails anyway', () => {
    expect(includeSystemEnvVars(undefined, {}, true)).toBe(true);
    expect(includeSystemEnvVars(undefined, {}, false)).toBe(false);
    expect(includeSystemEnvVars(false, { K6_INCLUDE_SYSTEM_ENV_VARS: 'true' }, true)).toBe(false);
    expect(includeSystemEnvVars(undefined, { K6_INCLUDE_SYSTEM_ENV_VARS: 'false' }, true)).toBe(false);
    expect(includeSystemEnvVars(undefined, { K6_INCLUDE_SYSTEM_ENV_VARS: '1' }, false)).toBe(true);
    const e = errorOf(() => includeSystemEnvVars(true, { K6_INCLUDE_SYSTEM_ENV_VARS: 'boo' }, true));
    expect(e.exitCode).toBe(255);
    expect(e.message).toBe(`env var 'K6_INCLUDE_SYSTEM_ENV_VARS' is not a valid boolean value: strconv.ParseBool: parsing "boo": invalid syntax`);
  });
});
