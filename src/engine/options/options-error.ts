// Invalid options stop a run before any VU starts, listing every problem at once (k6 exit code 104,
// errext/exitcodes InvalidConfig). k6 attaches no exit code (so it exits 255) to a malformed command-line
// flag (pflag and internal/cmd/options.go getOptions) and to invalid summaryTrendStats from any source
// (internal/cmd/config.go getConsolidatedConfig): a list holding any of those exits 255.
export const INVALID_CONFIG_EXIT_CODE = 104;
export const NO_EXIT_CODE = 255;

export class OptionsError extends Error {
  readonly exitCode: number;
  readonly problems: string[];
  readonly uncoded: string[];

  /** `uncoded`: the problems k6 attaches no exit code to (any of them makes it 255). */
  constructor(problems: readonly string[], uncoded: readonly string[] = []) {
    // One problem is its own message, as k6 prints the error it stops at.
    super(
      problems.length === 1
        ? (problems[0] as string)
        : `invalid options (${problems.length} problems):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'OptionsError';
    this.problems = [...problems];
    this.uncoded = problems.filter((p) => uncoded.includes(p));
    this.exitCode = this.uncoded.length > 0 ? NO_EXIT_CODE : INVALID_CONFIG_EXIT_CODE;
  }
}
