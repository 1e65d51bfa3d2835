// The bad-input sweep: every operation of the spec (and the provisioning and admin operations beside
// it) gets every malformed request its own schema suggests (see test-support/bad-input-cases.ts), the
// authentication cases (no, malformed, unknown or revoked token; bad or foreign X-Stack-Id; a viewer
// changing things) and another stack's resources. Each answer must be below 500, have a status the
// spec documents for the operation, match the spec's schema for it (errors as ErrorResponse), and a
// refused request must leave every list of the stack as it was. Runs over both stores.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, multipartBody, postgresAvailable, script } from './test-support/api-harness.ts';
import type { CallOptions, CallResult, Harness, StoreKind } from './test-support/api-harness.ts';
import { BAD_IDS, OVERSIZED, badInputCases, validJsonBody, validPath } from './test-support/bad-input-cases.ts';
import type { BadCase, PathValues } from './test-support/bad-input-cases.ts';
import { specOperations } from './test-support/spec-fuzz.ts';
import type { SpecOperation } from './test-support/spec-fuzz.ts';

const PG = await postgresAvailable();
const KINDS: { kind: StoreKind; enabled: boolean }[] = [
  { kind: 'sqlite', enabled: true },
  { kind: 'postgres', enabled: PG },
];

interface Fixtures {
  projectId: number;
  loadTestId: number;
  runId: number;
  localRunId: number;
  localRunToken: string;
  labelId: number;
  labelKey: string;
  loadZoneId: number;
  viewerToken: string;
  revokedToken: string;
  /** Another stack, its admin's stack token and its own project, load test and run. */
  other: { stackId: number; token: string; projectId: number; loadTestId: number; runId: number };
}

async function createLoadTest(h: Harness, projectId: number, name: string, opts: CallOptions = {}): Promise<CallResult> {
  const form = multipartBody({ name, script: { filename: 'test.js', data: Buffer.from(script(name)) } });
  return h.call('POST', `/cloud/v6/projects/${projectId}/load_tests`, { ...opts, payload: form.payload, headers: { 'content-type': form.contentType } });
}

function ok(r: CallResult, what: string): CallResult {
  if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
  return r;
}

async function setUp(h: Harness, kind: string): Promise<Fixtures> {
  const project = ok(await h.call('POST', '/cloud/v6/projects', { body: { name: `Sweep ${kind}` } }), 'project');
  const lt = ok(await createLoadTest(h, project.body.id, 'sweep-target'), 'load test');
  const run = ok(await h.call('POST', `/cloud/v6/load_tests/${lt.body.id}/start`), 'run');
  const local = ok(await h.call('POST', `/provisioning/v1/load_tests/${lt.body.id}/start_local_execution`, { body: { options: {}, max_vus: 1, total_duration: 10 } }), 'local run');
  const label = ok(await h.call('POST', '/cloud/v6/labels', { body: { value: [{ key: 'sweepkey' }] } }), 'label');
  ok(await h.call('PUT', `/cloud/v6/projects/${project.body.id}/labels`, { body: { value: [{ key: 'sweepkey', value: 'v' }] } }), 'project label');
  const zones = ok(await h.call('GET', '/cloud/v6/load_zones'), 'zones');

  const viewer = ok(await h.call('POST', '/admin/v1/users', { body: { email: `viewer-${kind}@example.com` }, stackId: null }), 'viewer');
  ok(await h.call('PUT', `/admin/v1/stacks/${h.stackId}/members/${viewer.body.id}`, { body: { role: 'viewer' }, stackId: null }), 'membership');
  const viewerToken = ok(await h.call('POST', `/admin/v1/users/${viewer.body.id}/tokens`, { body: { name: 'viewer' }, stackId: null }), 'viewer token').body.token;
  const revoked = ok(await h.call('POST', `/admin/v1/users/${viewer.body.id}/tokens`, { body: { name: 'revoked' }, stackId: null }), 'revoked token').body;
  ok(await h.call('DELETE', `/admin/v1/tokens/${revoked.id}`, { stackId: null }), 'revoke');

  const stack = ok(await h.call('POST', '/admin/v1/stacks', { body: { name: `Other ${kind}` }, stackId: null }), 'stack').body;
  const token = ok(await h.call('POST', `/admin/v1/stacks/${stack.id}/tokens`, { body: { name: 'other' }, stackId: null }), 'stack token').body.token;
  const as = { token, stackId: stack.id };
  const otherLt = ok(await createLoadTest(h, stack.default_project_id, 'other-target', as), 'other load test');
  const otherRun = ok(await h.call('POST', `/cloud/v6/load_tests/${otherLt.body.id}/start`, as), 'other run');
  return {
    projectId: project.body.id,
    loadTestId: lt.body.id,
    runId: run.body.id,
    localRunId: local.body.test_run_id,
    localRunToken: local.body.runtime_config.test_run_token,
    labelId: label.body.value[0].id,
    labelKey: 'sweepkey',
    loadZoneId: zones.body.value[0].id,
    viewerToken,
    revokedToken: revoked.token,
    other: { stackId: stack.id, token, projectId: stack.default_project_id, loadTestId: otherLt.body.id, runId: otherRun.body.id },
  };
}

function pathValues(f: Fixtures): PathValues {
  return {
    values(template, name) {
      if (name === 'project_id') return String(f.projectId);
      if (name === 'key') return f.labelKey;
      if (template.startsWith('/provisioning/') && template.includes('/test_runs/')) return String(f.localRunId);
      if (name === 'test_run_id') return String(f.runId);
      const resource = /\/([a-z_-]+)\/\{id\}/.exec(template)?.[1] ?? '';
      const ids: Record<string, number> = { projects: f.projectId, load_tests: f.loadTestId, test_runs: f.runId, labels: f.labelId, load_zones: f.loadZoneId, schedules: 1 };
      return String(ids[resource] ?? 1);
    },
    hints: { project_id: f.projectId, projectID: f.projectId, load_test_id: f.loadTestId, test_run_id: f.runId, key_id: f.labelId, baseline_test_run_id: f.runId, 'project_ids[]': f.projectId, 'label_key_ids[]': f.labelId, key: f.labelKey },
  };
}

/** Every list of the stack (and the other stack's), the fixtures' own pages and their script. */
async function snapshot(h: Harness, f: Fixtures): Promise<string> {
  const other = { token: f.other.token, stackId: f.other.stackId };
  const reads: [string, CallOptions][] = [
    ['/cloud/v6/projects?$top=1000&$count=true', {}], ['/cloud/v6/load_tests?$top=1000&$count=true', {}], ['/cloud/v6/test_runs?$top=1000&$count=true', {}],
    ['/cloud/v6/labels', {}], ['/cloud/v6/project-limits?$top=1000', {}], ['/cloud/v6/load_zones', {}], [`/cloud/v6/projects/${f.projectId}/labels`, {}],
    [`/cloud/v6/test_runs/${f.localRunId}/logs`, {}], ['/cloud/v6/projects?$top=1000', other], ['/cloud/v6/test_runs?$top=1000', other], ['/cloud/v6/labels', other],
  ];
  const answers = await Promise.all(reads.map(([url, opts]) => h.call('GET', url, opts)));
  const script = await h.call('GET', `/cloud/v6/load_tests/${f.loadTestId}/script`);
  return JSON.stringify([...answers.map((a) => [a.status, a.body]), script.raw.toString('base64')]);
}

/** Puts back what a request the spec allows may have consumed: a run in flight, the label and the project's label. */
async function restore(h: Harness, f: Fixtures): Promise<void> {
  for (const [id, field] of [[f.runId, 'runId'], [f.localRunId, 'localRunId']] as const) {
    const run = await h.call('GET', `/cloud/v6/test_runs/${id}`);
    if (run.status === 200 && !['completed', 'aborted'].includes(run.body.status)) continue;
    if (field === 'runId') f.runId = ok(await h.call('POST', `/cloud/v6/load_tests/${f.loadTestId}/start`), 'restart').body.id;
    else f.localRunId = ok(await h.call('POST', `/provisioning/v1/load_tests/${f.loadTestId}/start_local_execution`, { body: { options: {}, max_vus: 1, total_duration: 10 } }), 'local restart').body.test_run_id;
  }
  const labels = (await h.call('GET', '/cloud/v6/labels')).body.value as { id: number; key: string }[];
  const label = labels.find((l) => l.key === f.labelKey) ?? labels.find((l) => l.id === f.labelId);
  if (label === undefined) f.labelId = ok(await h.call('POST', '/cloud/v6/labels', { body: { value: [{ key: f.labelKey }] } }), 'label').body.value[0].id;
  else if (label.key !== f.labelKey) ok(await h.call('PATCH', `/cloud/v6/labels/${label.id}`, { body: { key: f.labelKey } }), 'label rename');
  const own = await h.call('GET', `/cloud/v6/projects/${f.projectId}/labels`);
  if (JSON.stringify(own.body.value) !== JSON.stringify([{ key: f.labelKey, value: 'v' }])) {
    ok(await h.call('PUT', `/cloud/v6/projects/${f.projectId}/labels`, { body: { value: [{ key: f.labelKey, value: 'v' }] } }), 'project label');
  }
}

/**
 * Counts calls of the store's writing methods (every repository method but its reads), so that the full
 * snapshot is only compared when a request could have changed something; the snapshot after each
 * operation catches anything else.
 */
function watchWrites(h: Harness): { count: number } {
  const watch = { count: 0 };
  const reads = /^(get|list|read|count|authenticate|resolve|is|labelsBy|vuhUsed)/;
  for (const repo of Object.values(h.store)) {
    if (typeof repo !== 'object' || repo === null) continue;
    const methods = repo as Record<string, unknown>;
    for (const [name, fn] of Object.entries(methods)) {
      if (typeof fn !== 'function' || reads.test(name)) continue;
      methods[name] = (...args: unknown[]) => {
        watch.count++;
        return (fn as (...a: unknown[]) => unknown).apply(repo, args);
      };
    }
  }
  return watch;
}

/** Operations that change nothing for a viewer to be refused (validate_options only reads). */
function writes(op: SpecOperation): boolean {
  return op.method !== 'GET' && !op.template.endsWith('/validate_options');
}

/** A valid script upload for the operations that take one (so only the case's own fault is at stake). */
function validUpload(op: SpecOperation): CallOptions {
  if (op.body?.type === 'multipart/form-data') {
    const form = multipartBody({ name: 'auth case', script: { filename: 'test.js', data: Buffer.from(script('auth')) } });
    return { payload: form.payload, headers: { 'content-type': form.contentType } };
  }
  if (op.body !== null) return { payload: script('auth'), headers: { 'content-type': 'application/octet-stream' } };
  return {};
}

function authCases(op: SpecOperation, p: PathValues, f: Fixtures): BadCase[] {
  const url = validPath(op, p);
  const body = validJsonBody(op, p);
  const base: CallOptions = body !== undefined ? { body } : validUpload(op);
  const stackScoped = op.parameters.some((x) => x.name === 'X-Stack-Id');
  const cases: BadCase[] = [
    { what: 'no token', url, opts: { ...base, token: null }, expect: { statuses: [401] } },
    { what: 'an unknown token', url, opts: { ...base, token: 'stp_unknown' }, expect: { statuses: [401] } },
    { what: 'a revoked token', url, opts: { ...base, token: f.revokedToken }, expect: { statuses: [401] } },
  ];
  for (const header of ['Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'Bearer a b', 'bearer', `Bearer ${'x'.repeat(10_000)}`, 'Token', 'Digest x', '\u00e9\u00e9']) {
    cases.push({ what: `Authorization ${JSON.stringify(header.slice(0, 20))}`, url, opts: { ...base, token: null, headers: { authorization: header } }, expect: { statuses: [401] } });
  }
  if (stackScoped) {
    const stackRefused = { statuses: op.statuses.includes(400) ? [400] : [401] };
    for (const v of ['', 'abc', '-1', '0', '1.5', '1e3', '99999999999999999999', '9007199254740993', `${f.other.stackId},${f.other.stackId}`, '0x1', ' ']) {
      cases.push({ what: `X-Stack-Id ${JSON.stringify(v)}`, url, opts: { ...base, stackId: v }, expect: v === ' ' || v === '' ? { statuses: [...stackRefused.statuses] } : stackRefused });
    }
    cases.push({ what: 'no X-Stack-Id', url, opts: { ...base, stackId: null }, expect: stackRefused });
    cases.push({ what: 'a stack that does not exist', url, opts: { ...base, stackId: 987654 }, expect: { statuses: [403] } });
    cases.push({ what: "another stack's token for this stack", url, opts: { ...base, token: f.other.token }, expect: { statuses: [403] } });
    cases.push({ what: "this stack's token, another stack's id", url, opts: { ...base, stackId: f.other.stackId }, expect: { statuses: [403] } });
  }
  if (writes(op) && (stackScoped || op.template.startsWith('/provisioning/'))) cases.push({ what: 'a viewer', url, opts: { ...base, token: f.viewerToken }, expect: { statuses: [403] } });
  // Another stack's admin, in its own stack, naming this stack's resources: they do not exist for it.
  const ids = op.parameters.filter((x) => x.in === 'path');
  if (ids.length > 0 && !op.template.startsWith('/cloud/v6/load_zones/') && op.statuses.includes(404)) {
    const foreign = { ...base, token: f.other.token, stackId: f.other.stackId };
    cases.push({ what: "another stack's admin naming this stack's resources", url, opts: foreign, expect: { statuses: [404] } });
  }
  return cases;
}

/**
 * The operations beside the spec (docs/api.md): the admin API, the provisioning pushes, the v5 metrics
 * queries and Loki's query_range, labels, label values, series and instant query. `{id}` is filled from the fixtures; `body` is a valid JSON body.
 */
interface ExtensionOp {
  method: string;
  path: (f: Fixtures) => string;
  body?: (f: Fixtures) => Record<string, unknown>;
  raw?: boolean;
  query?: (f: Fixtures) => [string, string][];
  /** The admin API: no X-Stack-Id. */
  stackless?: boolean;
  /** A run or load test of the stack, read with a bearer token: another stack's caller gets a 404. */
  scoped?: boolean;
}

const EXTENSION_OPS: ExtensionOp[] = [
  { method: 'POST', path: () => '/admin/v1/stacks', body: () => ({ name: 'ext stack' }), stackless: true },
  { method: 'POST', path: () => '/admin/v1/users', body: () => ({ email: 'ext@example.com' }), stackless: true },
  { method: 'PUT', path: (f) => `/admin/v1/stacks/${f.other.stackId}/members/{id}`, body: () => ({ role: 'viewer' }), stackless: true },
  { method: 'POST', path: () => '/admin/v1/users/{id}/tokens', body: () => ({ name: 'ext' }), stackless: true },
  { method: 'POST', path: () => '/admin/v1/stacks/{id}/tokens', body: () => ({ name: 'ext' }), stackless: true },
  { method: 'DELETE', path: () => '/admin/v1/tokens/{id}', stackless: true },
  { method: 'GET', path: () => '/admin/v1/load_zones', stackless: true },
  { method: 'POST', path: () => '/admin/v1/load_zones', body: () => ({ name: 'Ext', k6_load_zone_id: 'amazon:ext:zone' }), stackless: true },
  { method: 'GET', path: () => '/admin/v1/load_zones/{id}', stackless: true },
  { method: 'PATCH', path: () => '/admin/v1/load_zones/{id}', body: () => ({ name: 'Renamed' }), stackless: true },
  { method: 'DELETE', path: () => '/admin/v1/load_zones/{id}', stackless: true },
  { method: 'POST', path: (f) => `/provisioning/v1/test_runs/${f.localRunId}/logs`, scoped: true, body: () => ({ streams: [{ stream: { level: 'info' }, values: [['1700000000000000000', 'line']] }] }) },
  { method: 'POST', path: (f) => `/provisioning/v1/test_runs/${f.localRunId}/metrics`, raw: true, scoped: true },
  { method: 'PUT', path: (f) => `/provisioning/v1/test_runs/${f.localRunId}/archive`, raw: true, query: () => [['token', 'stp_nope']] },
  { method: 'GET', path: (f) => `/cloud/v5/test_runs/${f.runId}/metrics`, scoped: true },
  { method: 'GET', path: (f) => `/cloud/v5/test_runs/${f.runId}/series`, scoped: true, query: () => [['match[]', 'http_reqs']] },
  { method: 'GET', path: (f) => `/cloud/v5/test_runs/${f.runId}/labels`, scoped: true, query: () => [['match[]', 'http_reqs{status="200"}']] },
  { method: 'GET', path: (f) => `/cloud/v5/test_runs/${f.runId}/label/name/values`, scoped: true, query: () => [['match[]', 'http_reqs']] },
  { method: 'GET', path: (f) => `/cloud/v5/test_runs/${f.runId}/${encodeURIComponent("query_range_k6(query='increase',metric='http_reqs',step=1)")}`, scoped: true },
  { method: 'GET', path: (f) => `/cloud/v5/test_runs/${f.runId}/${encodeURIComponent("query_aggregate_k6(query='increase',metric='http_reqs')")}`, scoped: true },
  { method: 'GET', path: (f) => `/cloud/v5/load_tests/${f.loadTestId}/metrics`, scoped: true },
  { method: 'GET', path: (f) => `/cloud/v5/load_tests/${f.loadTestId}/${encodeURIComponent(`query_aggregate_k6(query='increase',metric='http_reqs',test_run_ids=[${f.runId}])`)}`, scoped: true },
  { method: 'GET', path: () => '/loki/api/v1/query_range', scoped: true, query: (f) => [['query', `{test_run_id="${f.runId}"}`], ['limit', '10'], ['direction', 'forward'], ['start', '0']] },
  { method: 'GET', path: () => '/loki/api/v1/labels', scoped: true, query: (f) => [['query', `{test_run_id="${f.runId}"}`], ['start', '0'], ['since', '1h']] },
  { method: 'GET', path: () => '/loki/api/v1/label/level/values', scoped: true, query: (f) => [['query', `{test_run_id="${f.runId}"}`], ['end', '2026-11-27T09:00:00Z']] },
  { method: 'GET', path: () => '/loki/api/v1/series', scoped: true, query: (f) => [['match[]', `{test_run_id="${f.runId}"}`], ['since', '24h']] },
  { method: 'GET', path: () => '/loki/api/v1/query', scoped: true, query: (f) => [['query', `{test_run_id="${f.runId}"}`], ['time', '0']] },
];

/** Query and function-call values that are wrong for anything: refused or matching nothing, never a 5xx. */
const ODD_VALUES: readonly string[] = [
  '', '%00', '-1', '1e400', '99999999999999999999', 'x'.repeat(5000), '{', '}', '{test_run_id=~"(a+)+"}', '{test_run_id=""}', '((((', "'", '%FF', '%C3%A9%F0%9F%98%80',
  'http_reqs{status=~"[45"}', 'histogram_quantile(2)', 'sum(sum(sum(increase)))', '[1,2', 'test_run_count=0', '2026-13-45T25:00:00Z',
];

const FUNCTION_CALLS: readonly string[] = [
  "query_range_k6(query='increase',metric='http_reqs',step=0)", "query_range_k6(query='increase',metric='http_reqs',step=-1)", "query_range_k6(query='increase',metric='http_reqs',step=1e400)",
  "query_range_k6(query='increase',metric='http_reqs',start='x',end='y')", "query_range_k6(query='increase',metric='http_reqs',start=99999999999999999999)", "query_range_k6(query=,metric=)",
  "query_range_k6(query='increase',metric='http_reqs',step=1,end=0,start=9999999999)", "query_aggregate_k6(query='histogram_quantile(7)',metric='http_req_duration')",
  "query_aggregate_k6(query='increase',metric='http_reqs{a=~\"(a|aa)*\"}')", "query_aggregate_k6(query='increase'", "query_aggregate_k6()", "query_aggregate_k6(query='increase',metric='http_reqs',fuzz=1)",
  "query_aggregate_k6(query='''',metric='''')", "query_aggregate_k6(query='x'.repeat,metric=1)", `query_aggregate_k6(query='${'('.repeat(5000)}',metric='http_reqs')`,
];

function extensionCases(op: ExtensionOp, f: Fixtures): BadCase[] {
  const template = op.path(f);
  const ids: Record<string, string> = { tokens: '987654', load_zones: String(f.loadZoneId), users: '1', stacks: String(f.other.stackId), members: '1' };
  const valid = (t: string) => t.replace(/\/([a-z_]+)\/\{id\}/g, (_m, r: string) => `/${r}/${ids[r] ?? '1'}`);
  const qs = (pairs: readonly [string, string][]) => (pairs.length === 0 ? '' : `?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${v.startsWith('%') ? v : encodeURIComponent(v)}`).join('&')}`);
  const query = op.query?.(f) ?? [];
  const url = valid(template) + qs(query);
  const base: CallOptions = op.stackless ? { stackId: null } : {};
  const body = op.body?.(f);
  const refuse = { statuses: [400, 401, 403, 404, 405, 406, 409, 413, 415] };
  const cases: BadCase[] = [];
  for (const id of BAD_IDS) {
    if (template.includes('{id}')) cases.push({ what: `path id=${id.slice(0, 24)}`, url: template.replace('{id}', id) + qs(query), opts: base, expect: refuse });
  }
  for (const [i] of query.entries()) {
    for (const v of ODD_VALUES) {
      const pairs = query.map(([k, old], j): [string, string] => [k, j === i ? v : old]);
      cases.push({ what: `query ${pairs[i]?.[0]}=${v.slice(0, 24)}`, url: valid(template) + qs(pairs), opts: base, expect: 'any' });
    }
    const [k, v] = query[i] ?? ['', ''];
    cases.push({ what: `query ${k} twice`, url: `${url}&${encodeURIComponent(k)}=${encodeURIComponent(v)}`, opts: base, expect: 'any' });
  }
  if (template.startsWith('/cloud/v5/')) {
    const prefix = template.replace(/\/[^/]*$/, '');
    for (const call of FUNCTION_CALLS) cases.push({ what: `call ${call.slice(0, 40)}`, url: `${prefix}/${encodeURIComponent(call)}`, opts: base, expect: refuse });
    cases.push({ what: 'a raw, undecodable call', url: `${prefix}/query_range_k6(query=%E0%A4%A)`, opts: base, expect: refuse });
  }
  if (body !== undefined) {
    const raw = (what: string, payload: string | Buffer, type: string | null) => cases.push({ what, url, opts: { ...base, payload, headers: type === null ? {} : { 'content-type': type } }, expect: refuse });
    for (const text of ['{', 'null', '[]', '1', '"x"', '{"a":1e400}', '{"__proto__":{}}', `{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`]) raw(`JSON ${text.slice(0, 20)}`, text, 'application/json');
    raw('a 10 MB body', JSON.stringify({ ...body, pad: 'x'.repeat(OVERSIZED) }), 'application/json');
    raw('the body as text/plain', JSON.stringify(body), 'text/plain');
    raw('the body without a Content-Type', JSON.stringify(body), null);
    const form = multipartBody(Object.fromEntries(Object.entries(body).map(([k, v]) => [k, JSON.stringify(v)])));
    raw('the body as multipart/form-data', form.payload, form.contentType);
    for (const key of [...Object.keys(body), 'fuzz_extra']) {
      for (const value of [null, 1, -1, 1.5, true, '', 'x'.repeat(100_000), [], {}, '\u0000', { a: [{}] }]) {
        cases.push({ what: `${key}=${JSON.stringify(value).slice(0, 20)}`, url, opts: { ...base, body: { ...body, [key]: value } }, expect: 'any' });
      }
    }
  }
  if (op.raw === true) {
    for (const [what, payload, type] of [['garbage', Buffer.from([0, 1, 2, 0xff]), 'application/x-protobuf'], ['a 10 MB body', Buffer.alloc(OVERSIZED, 1), 'application/octet-stream'], ['a gzip lie', Buffer.from('not gzip'), 'application/x-protobuf'], ['JSON', '{"a":1}', 'application/json'], ['nothing', '', 'application/octet-stream']] as const) {
      // An empty metrics push is an empty protobuf message: no samples, nothing to refuse.
      const expect = what === 'nothing' && template.endsWith('/metrics') ? 'any' : refuse;
      cases.push({ what, url, opts: { ...base, payload, headers: { 'content-type': type, ...(what === 'a gzip lie' && { 'content-encoding': 'gzip' }) } }, expect });
    }
    cases.push({ what: 'a snappy lie', url, opts: { ...base, payload: Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2]), headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' } }, expect: refuse });
  }
  for (const header of ['Bearer', 'Basic dXNlcjpwYXNz', 'Bearer stp_unknown', `Bearer ${f.revokedToken}`]) {
    cases.push({ what: `Authorization ${header.slice(0, 20)}`, url, opts: { ...base, ...(body !== undefined && { body }), token: null, headers: { authorization: header } }, expect: refuse });
  }
  cases.push({ what: 'a viewer', url, opts: { ...base, ...(body !== undefined && { body }), token: f.viewerToken }, expect: op.method === 'GET' && !op.stackless ? 'any' : refuse });
  if (op.scoped === true) cases.push({ what: "another stack's caller", url, opts: { ...base, token: f.other.token, stackId: f.other.stackId }, expect: { statuses: [404] } });
  return cases;
}

describe.each(KINDS)('bad input over $kind', ({ kind, enabled }) => {
  let h: Harness;
  let f: Fixtures;
  let writes: { count: number };
  beforeAll(async () => {
    if (!enabled) return;
    h = await createHarness(kind);
    f = await setUp(h, kind);
    writes = watchWrites(h);
  });
  afterAll(async () => {
    if (enabled) await h?.close();
  });
  const test = it.skipIf(!enabled);

  /**
   * Sends every case of every operation; returns the failures (a 5xx, an unexpected status, an answer
   * off the spec, a refused request that changed data) and the number of cases per operation.
   */
  async function sweep(ops: { method: string; name: string; cases: () => BadCase[] }[]): Promise<{ failures: string[]; counts: Map<string, number> }> {
    const failures: string[] = [];
    const counts = new Map<string, number>();
    let baseline = await snapshot(h, f);
    for (const op of ops) {
      const cases = op.cases();
      counts.set(`${op.method} ${op.name}`, cases.length);
      for (const c of cases) {
        const label = `${op.method} ${op.name} [${c.what}]`;
        let res: CallResult;
        writes.count = 0;
        try {
          res = await h.call(op.method, c.url, c.opts);
        } catch (err) {
          failures.push(`${label}: ${(err as Error).message.slice(0, 500)}`);
          continue;
        }
        if (res.status >= 500) failures.push(`${label}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
        else if (c.expect !== 'any' && !c.expect.statuses.includes(res.status)) failures.push(`${label}: ${res.status}, expected ${c.expect.statuses.join('|')}: ${JSON.stringify(res.body).slice(0, 300)}`);
        if (writes.count === 0) continue;
        if (res.status >= 400 || op.method === 'GET') {
          const after = await snapshot(h, f);
          if (after !== baseline) {
            failures.push(`${label}: refused (${res.status}) but the data changed`);
            baseline = after;
          }
        } else {
          await restore(h, f);
          baseline = await snapshot(h, f);
        }
      }
      const after = await snapshot(h, f);
      if (after !== baseline) failures.push(`${op.method} ${op.name}: the data changed (no refused request wrote through the store)`);
      baseline = after;
    }
    return { failures, counts };
  }

  test('every operation × every malformed request: a documented 4xx in the spec\'s shape, nothing changed', { timeout: 600_000 }, async () => {
    const ops = specOperations().map((op) => ({ method: op.method, name: op.template, cases: () => [...badInputCases(op, pathValues(f)), ...authCases(op, pathValues(f), f)] }));
    const { failures, counts } = await sweep(ops);
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    expect(failures, `${failures.length} of ${total} cases failed:\n${failures.join('\n')}`).toEqual([]);
    expect(counts.size).toBe(specOperations().length);
    expect(total).toBeGreaterThan(3000);
    expect((await h.call('GET', '/cloud/v6/auth', { stackId: null })).status).toBe(200);
  });

  test('the admin API, provisioning pushes, v5 metrics and Loki queries: malformed requests are 4xx ErrorResponses, nothing changed', { timeout: 300_000 }, async () => {
    const ops = EXTENSION_OPS.map((op) => ({ method: op.method, name: op.path(f), cases: () => extensionCases(op, f) }));
    const { failures, counts } = await sweep(ops);
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    expect(failures, `${failures.length} of ${total} cases failed:\n${failures.join('\n')}`).toEqual([]);
    expect(total).toBeGreaterThan(500);
  });
});
