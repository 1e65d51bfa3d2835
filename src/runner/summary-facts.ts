// Facts the control plane stores from k6's handleSummary data (`metrics.<name>.thresholds.<expr>.ok`,
// `root_group` with nested `groups` and `checks`), read defensively: a missing part yields nothing.

export interface CheckFact {
  name: string;
  path: string;
  passes: number;
  fails: number;
}

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/** Per metric, per threshold expression: true when it failed (the k6 `--summary-export` shape). */
export function failedThresholdsOf(summaryData: unknown): Record<string, Record<string, boolean>> {
  const out: Record<string, Record<string, boolean>> = {};
  const metrics = record(record(summaryData)?.['metrics']);
  for (const [name, metric] of Object.entries(metrics ?? {})) {
    const thresholds = record(record(metric)?.['thresholds']);
    if (thresholds === null) continue;
    out[name] = Object.fromEntries(Object.entries(thresholds).map(([expr, verdict]) => [expr, record(verdict)?.['ok'] !== true]));
  }
  return out;
}

/** Every check in every group, depth first, in the order k6 lists them. */
export function checksOf(summaryData: unknown): CheckFact[] {
  const out: CheckFact[] = [];
  const walk = (group: Record<string, unknown> | null): void => {
    if (group === null) return;
    for (const c of Array.isArray(group['checks']) ? group['checks'] : []) {
      const check = record(c);
      if (check === null) continue;
      out.push({
        name: String(check['name'] ?? ''),
        path: String(check['path'] ?? ''),
        passes: typeof check['passes'] === 'number' ? check['passes'] : 0,
        fails: typeof check['fails'] === 'number' ? check['fails'] : 0,
      });
    }
    for (const g of Array.isArray(group['groups']) ? group['groups'] : []) walk(record(g));
  };
  walk(record(record(summaryData)?.['root_group']));
  return out;
}

/** "metric: expression" for each failed threshold, as the domain's result rules want them. */
export function failedThresholdNames(thresholds: Record<string, Record<string, boolean>>): string[] {
  return Object.entries(thresholds).flatMap(([metric, exprs]) => Object.entries(exprs).filter(([, failed]) => failed).map(([expr]) => `${metric}: ${expr}`));
}
