// `--summary-export=path`: k6's old JSON summary format (internal/js/summary-wrapper.js oldJSONSummary):
// no options/state, each metric flattened to its values, a rate's `rate` renamed `value`, thresholds as
// {expr: failed}, and groups and checks keyed by name. Indented with 4 spaces like k6.
import type { SummaryData, SummaryGroup } from './summary-data.ts';

interface ExportGroup {
  name: string;
  path: string;
  id: string;
  groups: Record<string, ExportGroup>;
  checks: Record<string, SummaryGroup['checks'][number]>;
}

function exportGroup(g: SummaryGroup): ExportGroup {
  const groups: Record<string, ExportGroup> = {};
  for (const sub of g.groups) groups[sub.name] = exportGroup(sub);
  const checks: ExportGroup['checks'] = {};
  for (const c of g.checks) checks[c.name] = { ...c };
  return { name: g.name, path: g.path, id: g.id, groups, checks };
}

export function renderSummaryExport(data: SummaryData): string {
  const metrics: Record<string, Record<string, unknown>> = {};
  for (const [name, m] of Object.entries(data.metrics)) {
    // A metric handleSummary replaced by something without values is left out, as k6's JSON drops it.
    if (typeof m !== 'object' || m === null || m.values === undefined) continue;
    const flat: Record<string, unknown> = { ...m.values };
    if (m.thresholds && Object.keys(m.thresholds).length > 0) {
      flat.thresholds = Object.fromEntries(Object.entries(m.thresholds).map(([expr, r]) => [expr, !r.ok]));
    }
    if (m.type === 'rate' && 'rate' in flat) {
      flat.value = flat.rate;
      delete flat.rate;
    }
    metrics[name] = flat;
  }
  // Key order as k6 writes it: root_group, metrics, setup_data (dropped when undefined), then what
  // handleSummary added to `data` (k6 exports that same object after the call).
  return JSON.stringify({ root_group: exportGroup(data.root_group), metrics, setup_data: data.setup_data, ...addedKeys(data) }, null, 4);
}

const SUMMARY_KEYS: ReadonlySet<string> = new Set(['root_group', 'metrics', 'setup_data', 'options', 'state']);

/**
 * The keys handleSummary added to `data`. A cyclic value among them (`data.self = data`) has k6's
 * stringify recurse until the process dies; here they are left out and the rest is exported.
 */
function addedKeys(data: SummaryData): Record<string, unknown> {
  const added = Object.fromEntries(Object.entries(data).filter(([key]) => !SUMMARY_KEYS.has(key)));
  try {
    JSON.stringify(added);
    return added;
  } catch {
    return {};
  }
}
