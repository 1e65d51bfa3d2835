// `--summary-mode` / `K6_SUMMARY_MODE` (k6 internal/cmd/runtime_options.go, a runtime option, not a
// script one): "compact" (the default), "full" (adds the per-group and per-scenario sections) or
// "disabled" (no end-of-test summary: neither the text nor handleSummary nor --summary-export, as
// `--no-summary`, which wins). The flag wins over the environment. Another value is k6's bare
// `invalid summary mode` (summary.ErrInvalidSummaryMode), checked among the runtime options before the
// script is read (runtime-options.ts).
export const SUMMARY_MODES = ['compact', 'full', 'disabled'] as const;
export type SummaryModeSetting = (typeof SUMMARY_MODES)[number];

export function resolveSummaryMode(
  flag: string | undefined, env: Readonly<Record<string, string | undefined>>, noSummary: boolean,
): { mode: SummaryModeSetting; problem?: string } {
  const raw = flag ?? env.K6_SUMMARY_MODE;
  let mode: SummaryModeSetting = 'compact';
  let problem: string | undefined;
  if (raw !== undefined && raw !== '') {
    if ((SUMMARY_MODES as readonly string[]).includes(raw)) mode = raw as SummaryModeSetting;
    else problem = 'invalid summary mode';
  }
  return noSummary ? { mode: 'disabled', ...(problem === undefined ? {} : { problem }) } : { mode, ...(problem === undefined ? {} : { problem }) };
}
