// grafana/k6's option tests (internal/cmd/config_consolidation_test.go, runtime_options_test.go,
// config_test.go) ported to the real `stampede` binary where the behaviour lives in the CLI: which
// environment reaches __ENV, flag parsing before the engine sees the options, and what a run shows.
// The option-merging cases themselves are unit tests (src/engine/options/consolidate.test.ts);
// test/k6-options-parity.md lists every case and how it compares.
import { afterAll, describe, expect, it } from 'vitest';
import { scratchCli } from './scripts/cli-process.ts';

const { stampede, file, remove } = scratchCli('stampede-k6-options-');
afterAll(remove);

const QUIET = ['-q', '--no-summary', '--workers', '1', '--log-format', 'raw'];
const ENV_SCRIPT = 'export default function () { console.log(JSON.stringify([__ENV.test1 ?? null, __ENV.test2 ?? null, __ENV.test4 ?? null])); }\n';

describe('runtime_options_test.go: the environment scripts see', () => {
  it('run passes the system environment to __ENV only when asked (flag or K6_INCLUDE_SYSTEM_ENV_VARS, issue 2); =false wins over the variable; -e wins', async () => {
    const script = file('env.js', ENV_SCRIPT);
    const byDefault = await stampede(['run', script, ...QUIET, '-e', 'test2=cli', '-e', 'test4'], { test1: 'val1', test2: 'sys' });
    expect(byDefault.code).toBe(0);
    expect(byDefault.stderr.trim()).toBe('[null,"cli",""]');
    const asked = await stampede(['run', script, ...QUIET, '--include-system-env-vars', '-e', 'test2=cli'], { test1: 'val1', test2: 'sys' });
    expect(asked.stderr.trim()).toBe('["val1","cli",null]');
    const askedByEnv = await stampede(['run', script, ...QUIET], { test1: 'val1', K6_INCLUDE_SYSTEM_ENV_VARS: 'true' });
    expect(askedByEnv.stderr.trim()).toBe('["val1",null,null]');
    const off = await stampede(['run', script, ...QUIET, '--include-system-env-vars=false'], { test1: 'val1', K6_INCLUDE_SYSTEM_ENV_VARS: 'true' });
    expect(off.stderr.trim()).toBe('[null,null,null]');
    const offByEnv = await stampede(['run', script, ...QUIET], { test1: 'val1', K6_INCLUDE_SYSTEM_ENV_VARS: 'false' });
    expect(offByEnv.stderr.trim()).toBe('[null,null,null]');
  });

  it('archive leaves the system environment out unless asked; an archive run gets the system environment over the archive\'s', async () => {
    const script = file('env-archive.js', ENV_SCRIPT);
    const plain = await stampede(['archive', script, '-O', 'plain.tar', '-e', 'test2=archived'], { test1: 'val1' });
    expect(plain.code).toBe(0);
    const run = await stampede(['run', 'plain.tar', ...QUIET, '--include-system-env-vars=false']);
    expect(run.stderr.trim()).toBe('[null,"archived",null]');
    const over = await stampede(['run', 'plain.tar', ...QUIET, '--include-system-env-vars'], { test2: 'from-system' });
    expect(over.stderr.trim()).toBe('[null,"from-system",null]');
  });

  it('a bad -e name or K6_INCLUDE_SYSTEM_ENV_VARS exits 255 with k6\'s error', async () => {
    const script = file('env-bad.js', ENV_SCRIPT);
    const name = await stampede(['run', script, ...QUIET, '-e', '1var=error']);
    expect(name.code).toBe(255);
    expect(name.stderr).toContain("invalid environment variable name '1var'");
    const bool = await stampede(['run', script, ...QUIET, '--include-system-env-vars'], { K6_INCLUDE_SYSTEM_ENV_VARS: 'boo' });
    expect(bool.code).toBe(255);
    expect(bool.stderr).toContain(`env var 'K6_INCLUDE_SYSTEM_ENV_VARS' is not a valid boolean value: strconv.ParseBool: parsing "boo": invalid syntax`);
  });
});

describe('config_consolidation_test.go through the CLI', () => {
  it('--duration 1000 is a flag error (255); K6_STAGES=1000:100 an invalid config (104); --stage "" runs one iteration with a warning', async () => {
    const script = file('plain.js', 'export default function () { console.log("iteration"); }\n');
    const duration = await stampede(['run', script, ...QUIET, '--duration', '1000']);
    expect(duration.code).toBe(255);
    expect(duration.stderr).toContain('invalid argument "1000" for "-d, --duration" flag: time: missing unit in duration "1000"');
    const stages = await stampede(['run', script, ...QUIET], { K6_STAGES: '1000:100' });
    expect(stages.code).toBe(104);
    expect(stages.stderr).toContain('time: missing unit in duration "1000"');
    const empty = await stampede(['run', script, '-q', '--no-summary', '--workers', '1', '--stage', ''], { K6_DURATION: '15s' });
    expect(empty.code).toBe(0);
    expect(empty.stderr).toContain('`stages` was explicitly set to an empty value, running the script with 1 iteration in 1 VU');
    expect(empty.stderr.match(/msg=iteration /g)).toHaveLength(1);
  });

  it('config_test.go TestConfigEnv: K6_OUT gives the outputs the banner lists', async () => {
    const script = file('out.js', 'export default function () {}\n');
    const r = await stampede(['run', script, '--no-summary', '--workers', '1'], { K6_OUT: 'json=out.json' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('output: json (out.json)');
  });

  it('run_test.go TestRunScriptErrorsAndAbort invalid_scenario.js: options k6 cannot decode fail (104) before "no exported functions" (255)', async () => {
    const invalid = file('invalid_scenario.js', `export const options = { scenarios: {
  example_scenario: { executor: 'shared-iterations', vus: 10, iterations: 200, maxDuration: '10s' },
  another_scenario: {},
} };
`);
    const r = await stampede(['run', invalid, ...QUIET]);
    expect(r.code).toBe(104);
    expect(r.stderr).toContain("scenario 'another_scenario' doesn't have a specified executor type");
    const none = await stampede(['run', file('no_functions.js', 'export const options = { vus: 2, iterations: 2 };\n'), ...QUIET]);
    expect(none.code).toBe(255);
    expect(none.stderr).toContain('no exported functions in script');
  });
});
