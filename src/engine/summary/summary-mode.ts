// `--summary-mode` / `K6_SUMMARY_MODE` (k6 internal/cmd/runtime_options.go, a runtime option, not a
// script one): "compact" (the default), "full" (adds the per-group and per-scenario sections) or
// "disabled" (no end-of-test summary: neither the text nor handleSummary nor --summary-export, as
// `--no-summary`, which wins). The flag wins over the environment.
export const SUMMARY_MODES = ['compact', 'full', 'disabled'] as const;
export type SummaryModeSetting = (typeof SUMMARY_MODES)[number];

export function resolveSummaryMode(
  flag: string | undefined, env: Readonly<Record<string, string>>, noSummary: boolean,
): { mode: SummaryModeSetting; problem?: string } {
  const raw = flag ?? env.K6_SUMMARY_MODE;
  const source = flag !== undefined ? '--summary-mode' : 'K6_SUMMARY_MODE';
  let mode: SummaryModeSetting = 'compact';
  let problem: string | undefined;
  if (raw !== undefined && raw !== '') {
    if ((SUMMARY_MODES as readonly string[]).includes(raw)) mode = raw as SummaryModeSetting;
    else problem = `${source}: invalid summary mode "${raw}"; use one of ${SUMMARY_MODES.join(', ')}`;
  }
  return noSummary ? { mode: 'disabled', ...(problem === undefined ? {} : { problem }) } : { mode, ...(problem === undefined ? {} : { problem }) };
}
