// Invalid options stop a run before any VU starts, listing every problem at once (k6 exit code 104,
// errext/exitcodes InvalidConfig). k6 attaches no exit code (so it exits 255) to a malformed command-line
// flag (pflag and internal/cmd/options.go getOptions) and to invalid summaryTrendStats from any source
// (internal/cmd/config.go getConsolidatedConfig): a list holding any of those exits 255.
export const INVALID_CONFIG_EXIT_CODE = 104;
export const NO_EXIT_CODE = 255;

/** k6 validateConfig's heading (internal/cmd/config.go) over the problems of the consolidated config's validation. */
export const VALIDATION_TITLE = 'There were problems with the specified script configuration:';

export class OptionsError extends Error {
  readonly exitCode: number;
  readonly problems: string[];
  readonly uncoded: string[];
  readonly validation: string[];

  /**
   * `uncoded`: the problems k6 attaches no exit code to (any of them makes it 255). `validation`: the
   * problems k6 finds when it validates the consolidated config (scenario Validate(), setupTimeout, the
   * segment in its sequence, exec functions); when there are only those, the message is k6's list of them.
   */
  constructor(problems: readonly string[], uncoded: readonly string[] = [], validation: readonly string[] = []) {
    // One problem is its own message, as k6 prints the error it stops at.
    super(
      problems.length > 0 && problems.every((p) => validation.includes(p))
        ? [VALIDATION_TITLE, ...problems.map((p) => `\t- ${p}`)].join('\n')
        : problems.length === 1
          ? (problems[0] as string)
          : `invalid options (${problems.length} problems):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'OptionsError';
    this.problems = [...problems];
    this.uncoded = problems.filter((p) => uncoded.includes(p));
    this.validation = problems.filter((p) => validation.includes(p));
    this.exitCode = this.uncoded.length > 0 ? NO_EXIT_CODE : INVALID_CONFIG_EXIT_CODE;
  }
}
