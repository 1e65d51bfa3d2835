// The JSON:API documents of k6's REST API v1 (api/v1/*_jsonapi.go), built from the engine's run
// control: field names, order and null-ness as k6's Go structs marshal them (maps with sorted keys,
// nil slices as null).
import { EXECUTION_STATUSES, type ExecutionSnapshot, type LiveMetric, type SummaryGroup } from '../engine/index.ts';

export interface ApiError {
  readonly status: string;
  readonly title: string;
  readonly detail: string;
}

/** api/v1/errors.go apiError: one error, its HTTP status as a string. */
export function errorDocument(status: number, title: string, detail: string): { errors: ApiError[] } {
  return { errors: [{ status: String(status), title, detail }] };
}

export function statusDocument(s: ExecutionSnapshot): unknown {
  return {
    data: {
      type: 'status',
      id: 'default',
      attributes: {
        status: EXECUTION_STATUSES.indexOf(s.status),
        paused: s.paused,
        vus: s.vusActive,
        'vus-max': s.vusInitialized,
        stopped: s.stopped,
        running: s.running,
        tainted: s.breachedThresholds > 0,
      },
    },
  };
}

function sortedKeys(values: Readonly<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of Object.keys(values).sort()) out[k] = values[k] ?? 0;
  return out;
}

function metricData(m: LiveMetric): unknown {
  return {
    type: 'metrics',
    id: m.name,
    attributes: { type: m.type, contains: m.contains, tainted: m.tainted, sample: sortedKeys(m.sample) },
  };
}

export function metricsDocument(list: readonly LiveMetric[]): unknown {
  return { data: list.map(metricData) };
}

export function metricDocument(m: LiveMetric): unknown {
  return { data: metricData(m) };
}

interface FlatGroup {
  readonly group: SummaryGroup;
  readonly parent: SummaryGroup | undefined;
}

/** api/v1/group.go FlattenGroup: the group, then each subgroup's tree, depth first. */
export function flattenGroups(root: SummaryGroup, parent?: SummaryGroup): FlatGroup[] {
  return [{ group: root, parent }, ...root.groups.flatMap((g) => flattenGroups(g, root))];
}

function groupData({ group, parent }: FlatGroup): unknown {
  return {
    type: 'groups',
    id: group.id,
    attributes: {
      path: group.path,
      name: group.name,
      checks: group.checks.length === 0 ? null : group.checks.map((c) => ({ id: c.id, path: c.path, name: c.name, passes: c.passes, fails: c.fails })),
    },
    relationships: {
      groups: { data: group.groups.map((g) => ({ type: 'groups', id: g.id })) },
      parent: { data: parent === undefined ? null : { type: 'groups', id: parent.id } },
    },
  };
}

export function groupsDocument(root: SummaryGroup): unknown {
  return { data: flattenGroups(root).map(groupData) };
}

export function groupDocument(flat: FlatGroup): unknown {
  return { data: groupData(flat) };
}

/** api/v1/setup_jsonapi.go: the setup data as `attributes.data`, or empty attributes when there is none. */
export function setupDocument(json: string | undefined): string {
  const attributes = json === undefined ? '{}' : `{"data":${JSON.stringify(JSON.parse(json))}}`;
  return `{"data":{"type":"setupData","id":"default","attributes":${attributes}}}`;
}
