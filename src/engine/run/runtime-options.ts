// The runtime options that decide how the script is read and evaluated (k6 internal/cmd/
// runtime_options.go getRuntimeOptions, lib/runtime_options.go): `--compatibility-mode` /
// K6_COMPATIBILITY_MODE, `--summary-mode` / K6_SUMMARY_MODE and `-t/--type` / K6_TYPE, the flag
// winning over the variable. k6 checks them before reading the script and attaches no exit code to a
// bad value (255).
import { EngineError, EXIT_CODES } from './exit-codes.ts';
import { resolveSummaryMode, type SummaryModeSetting } from '../summary/summary-mode.ts';

const COMPATIBILITY_MODES = ['extended', 'base', 'experimental_enhanced'] as const;
export type CompatibilityMode = (typeof COMPATIBILITY_MODES)[number];

export interface ScriptRuntimeOptions {
  readonly compatibilityMode: CompatibilityMode;
  /** Forced by --type; undefined: detected from the bytes. */
  readonly testType: 'js' | 'archive' | undefined;
  /** 'disabled' with `--no-summary`. */
  readonly summaryMode: SummaryModeSetting;
  readonly warnings: readonly string[];
}

export function scriptRuntimeOptions(
  flags: { readonly compatibilityMode?: string; readonly testType?: string; readonly summaryMode?: string; readonly noSummary?: boolean },
  env: Readonly<Record<string, string | undefined>>,
  scriptName: string,
): ScriptRuntimeOptions {
  const mode = flags.compatibilityMode ?? env.K6_COMPATIBILITY_MODE ?? '';
  if (mode !== '' && !(COMPATIBILITY_MODES as readonly string[]).includes(mode)) {
    throw new EngineError(EXIT_CODES.noExitCode, `invalid compatibility mode "${mode}". Use: "${COMPATIBILITY_MODES.join('", "')}"`);
  }
  // k6 stops here on an invalid summary mode, before the script is read: `level=error msg="invalid summary mode"`.
  const summary = resolveSummaryMode(flags.summaryMode, env, flags.noSummary === true);
  if (summary.problem !== undefined) throw new EngineError(EXIT_CODES.noExitCode, summary.problem);
  const warnings: string[] = [];
  if (mode === 'experimental_enhanced') {
    warnings.push(
      'CompatibilityMode "experimental_enhanced" is deprecated. Types are stripped by default for `.ts` files. ' +
        'Please move to using "base" instead as "experimental_enhanced" will be removed in the future',
    );
  }
  const type = flags.testType ?? env.K6_TYPE ?? '';
  if (type !== '' && type !== 'js' && type !== 'archive') {
    throw new EngineError(EXIT_CODES.noExitCode, `could not initialize '${scriptName}': unknown or unspecified test type '${type}' for '${scriptName}'`);
  }
  return { compatibilityMode: mode === '' ? 'extended' : (mode as CompatibilityMode), testType: type === '' ? undefined : type, summaryMode: summary.mode, warnings };
}
