// The body of PATCH /v1/status read as k6 decodes it into its StatusJSONAPI envelope (Go's
// encoding/json: keys match case-insensitively, null leaves a field unset, a wrongly typed value is
// an error worded as Go words it).
export interface StatusPatch {
  readonly stopped: boolean;
  readonly paused?: boolean;
  readonly vus?: number;
  readonly vusMax?: number;
}

function goKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  return typeof v === 'boolean' ? 'bool' : typeof v;
}

/** The value of `key` in `obj`, matched as Go matches field names (exact first, then ignoring case). */
function field(obj: Record<string, unknown>, key: string): unknown {
  if (key in obj) return obj[key];
  const found = Object.keys(obj).find((k) => k.toLowerCase() === key);
  return found === undefined ? undefined : obj[found];
}

function structAt(v: unknown, into: string): Record<string, unknown> | string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) return `json: cannot unmarshal ${goKind(v)} into ${into}`;
  return v as Record<string, unknown>;
}

/** The patch, or the decoding error's text (k6 answers 400 "Invalid data" with it). */
export function readStatusPatch(body: string): StatusPatch | string {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (e) {
    return body.trim() === '' ? 'unexpected end of JSON input' : (e as Error).message;
  }
  const top = structAt(doc, 'Go value of type v1.StatusJSONAPI');
  if (typeof top === 'string') return top;
  const data = structAt(top && field(top, 'data'), 'Go struct field StatusJSONAPI.data of type v1.statusData');
  if (typeof data === 'string') return data;
  const attrs = structAt(data && field(data, 'attributes'), 'Go struct field StatusJSONAPI.data.attributes of type v1.Status');
  if (typeof attrs === 'string') return attrs;
  if (attrs === undefined) return { stopped: false };

  const plain = (name: string, goType: string, ok: (v: unknown) => boolean): string | undefined => {
    const v = field(attrs, name);
    if (v === undefined || v === null || ok(v)) return undefined;
    return `json: cannot unmarshal ${goKind(v)} into Go struct field StatusJSONAPI.data.attributes.${name} of type ${goType}`;
  };
  const isBool = (v: unknown): boolean => typeof v === 'boolean';
  const problem = plain('stopped', 'bool', isBool) ?? plain('running', 'bool', isBool) ?? plain('tainted', 'bool', isBool)
    ?? plain('status', 'lib.ExecutionStatus', (v) => typeof v === 'number' && Number.isInteger(v) && v >= 0);
  if (problem !== undefined) return problem;

  const paused = field(attrs, 'paused');
  if (paused !== undefined && paused !== null && typeof paused !== 'boolean') {
    return `json: cannot unmarshal ${goKind(paused) === 'number' ? 'float64' : goKind(paused)} into Go value of type null.Bool`;
  }
  const ints: Record<'vus' | 'vus-max', number | undefined> = { vus: undefined, 'vus-max': undefined };
  for (const name of ['vus', 'vus-max'] as const) {
    const v = field(attrs, name);
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number') return `json: cannot unmarshal ${goKind(v) === 'bool' ? 'bool' : goKind(v)} into Go value of type null.Int`;
    if (!Number.isInteger(v)) return `json: cannot unmarshal number ${v} into Go value of type int64`;
    ints[name] = v;
  }
  return {
    stopped: field(attrs, 'stopped') === true,
    ...(typeof paused === 'boolean' ? { paused } : {}),
    ...(ints.vus === undefined ? {} : { vus: ints.vus }),
    ...(ints['vus-max'] === undefined ? {} : { vusMax: ints['vus-max'] }),
  };
}
