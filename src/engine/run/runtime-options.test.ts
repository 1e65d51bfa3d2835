import { describe, expect, it } from 'vitest';
import { scriptRuntimeOptions } from './runtime-options.ts';

describe('script runtime options (k6 runtime_options.go)', () => {
  it('compatibility mode: flag over K6_COMPATIBILITY_MODE, extended by default, experimental_enhanced warned about', () => {
    expect(scriptRuntimeOptions({}, {}, 's.js')).toMatchObject({ compatibilityMode: 'extended', testType: undefined, warnings: [] });
    expect(scriptRuntimeOptions({}, { K6_COMPATIBILITY_MODE: 'base' }, 's.js').compatibilityMode).toBe('base');
    expect(scriptRuntimeOptions({ compatibilityMode: 'extended' }, { K6_COMPATIBILITY_MODE: 'base' }, 's.js').compatibilityMode).toBe('extended');
    expect(scriptRuntimeOptions({ compatibilityMode: 'experimental_enhanced' }, {}, 's.js').warnings[0]).toContain('is deprecated');
    expect(() => scriptRuntimeOptions({ compatibilityMode: 'es5' }, {}, 's.js')).toThrow(
      'invalid compatibility mode "es5". Use: "extended", "base", "experimental_enhanced"',
    );
  });

  it("summary mode: flag over K6_SUMMARY_MODE; another value is k6's bare `invalid summary mode` (255)", () => {
    expect(scriptRuntimeOptions({}, { K6_SUMMARY_MODE: 'full' }, 's.js').summaryMode).toBe('full');
    expect(scriptRuntimeOptions({ summaryMode: 'compact' }, { K6_SUMMARY_MODE: 'full' }, 's.js').summaryMode).toBe('compact');
    expect(scriptRuntimeOptions({ summaryMode: 'full', noSummary: true }, {}, 's.js').summaryMode).toBe('disabled');
    expect(() => scriptRuntimeOptions({ summaryMode: 'unknown' }, {}, 's.js')).toThrow(/^invalid summary mode$/);
    expect(() => scriptRuntimeOptions({}, { K6_SUMMARY_MODE: 'legacy' }, 's.js')).toThrow(/^invalid summary mode$/);
  });

  it('test type: js or archive from -t or K6_TYPE; anything else is k6\'s error (255)', () => {
    expect(scriptRuntimeOptions({}, { K6_TYPE: 'archive' }, 's.js').testType).toBe('archive');
    expect(scriptRuntimeOptions({ testType: 'js' }, { K6_TYPE: 'archive' }, 's.js').testType).toBe('js');
    let code = 0;
    try {
      scriptRuntimeOptions({ testType: 'tar' }, {}, 's.js');
    } catch (e) {
      code = (e as { exitCode: number }).exitCode;
      expect((e as Error).message).toBe("could not initialize 's.js': unknown or unspecified test type 'tar' for 's.js'");
    }
    expect(code).toBe(255);
  });
});
