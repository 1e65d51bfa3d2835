// Invalid options stop a run before any VU starts, listing every problem at once (k6 exit code 104,
// errext/exitcodes InvalidConfig).
export const INVALID_CONFIG_EXIT_CODE = 104;

export class OptionsError extends Error {
  readonly exitCode = INVALID_CONFIG_EXIT_CODE;
  readonly problems: string[];

  constructor(problems: readonly string[]) {
    super(
      problems.length === 1
        ? `invalid options: ${problems[0] as string}`
        : `invalid options (${problems.length} problems):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'OptionsError';
    this.problems = [...problems];
  }
}
