// A deterministic contract fuzz of the v6 API (and the provisioning operations the spec lists): every
// operation under the spec's `paths` gets a valid request built from its schemas, seeded mutations of
// it (bad ids, bad query values, wrong JSON types, missing fields, malformed or mistyped bodies, odd
// headers) and the three auth cases. Every answer must be below 500 and match the spec for that
// operation and status (the harness checks bodies; errors are ErrorResponse). A rejected change must
// leave the resource as it was, and round-trips keep what the request did not touch. Runs over both
// stores like the behaviour suite.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, multipartBody, postgresAvailable, script } from './test-support/api-harness.ts';
import type { CallOptions, CallResult, Harness, StoreKind } from './test-support/api-harness.ts';
import { HOSTILE_IDS, HOSTILE_QUERY_VALUES, HOSTILE_VALUES, objectShape, prng, sample, specOperations } from './test-support/spec-fuzz.ts';
import type { Hints, Rng, SpecOperation } from './test-support/spec-fuzz.ts';

const PG = await postgresAvailable();
const KINDS: { kind: StoreKind; enabled: boolean }[] = [
  { kind: 'sqlite', enabled: true },
  { kind: 'postgres', enabled: PG },
];
// FUZZ_SEED, FUZZ_ROUNDS and FUZZ_MUTATIONS widen a local run; the defaults keep CI's run small.
const SEED = 0x6b36;
const MUTATIONS_PER_OPERATION = Number(process.env['FUZZ_MUTATIONS'] ?? 7);
const ROUNDS = Number(process.env['FUZZ_ROUNDS'] ?? 1);
const UNKNOWN_ID = '987654321';

interface Fixtures {
  projectId: number;
  loadTestId: number;
  runId: number;
  /** A run started by a local k6 (`k6 cloud run --local-execution`), which the provisioning operations act on. */
  localRunId: number;
  labelId: number;
  labelKey: string;
  loadZoneId: number;
  otherStack: number;
}

interface FuzzRequest {
  url: string;
  opts: CallOptions;
  what: string;
}

async function createLoadTest(h: Harness, projectId: number, name: string): Promise<CallResult> {
  const form = multipartBody({ name, script: { filename: 'test.js', data: Buffer.from(script(name)) } });
  return h.call('POST', `/cloud/v6/projects/${projectId}/load_tests`, { payload: form.payload, headers: { 'content-type': form.contentType } });
}

async function setUp(h: Harness, kind: string): Promise<Fixtures> {
  const project = await h.call('POST', '/cloud/v6/projects', { body: { name: `Fuzz ${kind}` } });
  const lt = await createLoadTest(h, project.body.id, 'fuzz-target');
  const run = await h.call('POST', `/cloud/v6/load_tests/${lt.body.id}/start`);
  const local = await h.call('POST', `/provisioning/v1/load_tests/${lt.body.id}/start_local_execution`, { body: { options: {}, max_vus: 1, total_duration: 10 }, headers: { 'k6-idempotency-key': `fuzz-${kind}` } });
  const label = await h.call('POST', '/cloud/v6/labels', { body: { value: [{ key: 'fuzzkey' }] } });
  const zones = await h.call('GET', '/cloud/v6/load_zones');
  const stack = await h.call('POST', '/admin/v1/stacks', { body: { name: `Other ${kind}` }, stackId: null });
  for (const r of [project, lt, run, local, label, zones, stack]) expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
  return {
    projectId: project.body.id,
    loadTestId: lt.body.id,
    runId: run.body.id,
    localRunId: local.body.test_run_id,
    labelId: label.body.value[0].id,
    labelKey: 'fuzzkey',
    loadZoneId: zones.body.value[0]?.id ?? 1,
    otherStack: stack.body.id,
  };
}

/** The fixture a path parameter names in `template` (`/projects/{id}` is a project, and so on). */
function pathValue(template: string, name: string, f: Fixtures): string {
  if (name === 'project_id') return String(f.projectId);
  if (template.startsWith('/provisioning/') && /test_runs/.test(template)) return String(f.localRunId);
  if (name === 'test_run_id') return String(f.runId);
  if (name === 'key') return f.labelKey;
  const resource = /\/([a-z_-]+)\/\{id\}/.exec(template)?.[1];
  const ids: Record<string, number> = { projects: f.projectId, load_tests: f.loadTestId, test_runs: f.runId, labels: f.labelId, load_zones: f.loadZoneId };
  return String(ids[resource ?? ''] ?? UNKNOWN_ID);
}

function fillPath(template: string, values: (name: string) => string): string {
  return template.replace(/\{([^}]+)\}/g, (_m, name: string) => values(name));
}

function queryString(pairs: [string, string][]): string {
  return pairs.length === 0 ? '' : `?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${v.startsWith('%') ? v : encodeURIComponent(v)}`).join('&')}`;
}

function hintsFor(f: Fixtures): Hints {
  return { project_id: f.projectId, projectID: f.projectId, load_test_id: f.loadTestId, test_run_id: f.runId, key_id: f.labelId, 'project_ids[]': f.projectId, 'label_key_ids[]': f.labelId };
}

/** The JSON body of a valid request (or the payload for multipart and binary operations). */
function validBody(op: SpecOperation, rng: Rng, f: Fixtures): Pick<CallOptions, 'body' | 'payload' | 'headers'> {
  if (!op.body) return {};
  if (op.body.type === 'multipart/form-data') {
    const form = multipartBody({ name: `fuzz-${rng.int(0, 1e6)}`, script: { filename: 'test.js', data: Buffer.from(script('fuzz')) } });
    return { payload: form.payload, headers: { 'content-type': form.contentType } };
  }
  if (op.body.type === 'application/octet-stream') return { payload: script('replaced'), headers: { 'content-type': 'application/octet-stream' } };
  return { body: sample(op.body.schema, rng, hintsFor(f)) };
}

function validRequest(op: SpecOperation, rng: Rng, f: Fixtures): FuzzRequest {
  const query: [string, string][] = [];
  const headers: Record<string, string> = {};
  for (const p of op.parameters) {
    if (p.in === 'query' && (p.required || rng.chance(0.5))) {
      const v = sample(p.schema, rng, { project_id_in: [f.projectId], $orderby: rng.pick(['created', 'created desc', 'created asc']) }, p.name);
      query.push([p.name, Array.isArray(v) ? v.join(',') : String(v)]);
    }
    if (p.in === 'header' && p.name !== 'X-Stack-Id' && p.name !== 'X-Stack-Url') headers[p.name.toLowerCase()] = `fuzz-${rng.int(0, 1e9)}`;
  }
  // A valid DELETE would remove a fixture the rest of the walk needs; deletes are round-tripped below.
  const ids = op.method === 'DELETE' ? () => UNKNOWN_ID : (name: string) => pathValue(op.template, name, f);
  const body = validBody(op, rng, f);
  return { url: fillPath(op.template, ids) + queryString(query), opts: { ...body, headers: { ...headers, ...body.headers } }, what: 'valid' };
}

/** One seeded mutation of a valid request, or null when the operation has nothing it applies to. */
function mutate(op: SpecOperation, base: FuzzRequest, rng: Rng, f: Fixtures, kind: string): FuzzRequest | null {
  const [path, qs = ''] = base.url.split('?') as [string, string?];
  const withQuery = (pairs: [string, string][]) => `${path}${qs ? `?${qs}&` : '?'}${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${v.startsWith('%') ? v : encodeURIComponent(v)}`).join('&')}`;
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const json = op.body?.type === 'application/json';
  const shape = json && op.body ? objectShape(op.body.schema) : null;
  const jsonBody = (base.opts.body ?? {}) as Record<string, unknown>;
  switch (kind) {
    case 'bad-id': {
      if (pathParams.length === 0) return null;
      const bad = rng.pick(HOSTILE_IDS);
      const target = rng.pick(pathParams).name;
      return { ...base, url: fillPath(op.template, (n) => (n === target ? bad : pathValue(op.template, n, f))) + (qs ? `?${qs}` : ''), what: `path ${target}=${bad.slice(0, 30)}` };
    }
    case 'unknown-id': {
      if (pathParams.length === 0) return null;
      return { ...base, url: fillPath(op.template, () => UNKNOWN_ID) + (qs ? `?${qs}` : ''), what: 'unknown ids' };
    }
    case 'bad-query': {
      if (queryParams.length === 0) return null;
      const p = rng.pick(queryParams);
      const v = rng.pick(HOSTILE_QUERY_VALUES);
      return { ...base, url: withQuery([[p.name, v]]), what: `query ${p.name}=${v.slice(0, 30)}` };
    }
    case 'odata': {
      const name = rng.pick(['$filter', '$select', '$orderby', '$top', '$skip', '$count', '$expand']);
      const v = rng.pick(["name eq 'x' or 1 eq 1", 'id,,name', 'nope desc', '-5', '1e999', 'maybe', '', '(((']);
      return { ...base, url: withQuery([[name, v], [name, v]]), what: `${name}=${v} twice` };
    }
    case 'missing-required': {
      if (!shape || shape.required.length === 0) return null;
      const field = rng.pick(shape.required);
      const body = { ...jsonBody };
      delete body[field];
      return { ...base, opts: { ...base.opts, body }, what: `without ${field}` };
    }
    case 'wrong-type': {
      if (!shape) return null;
      const fields = Object.keys(shape.properties).filter((k) => shape.properties[k]?.['readOnly'] !== true);
      if (fields.length === 0) return null;
      const field = rng.pick(fields);
      const value = rng.pick(HOSTILE_VALUES);
      return { ...base, opts: { ...base.opts, body: { ...jsonBody, [field]: value } }, what: `${field}=${JSON.stringify(value).slice(0, 40)}` };
    }
    case 'nested-wrong-type': {
      if (!json || typeof base.opts.body !== 'object' || base.opts.body === null) return null;
      const body = structuredClone(base.opts.body) as Record<string, unknown>;
      const slots = nestedSlots(body);
      if (slots.length === 0) return null;
      const [holder, key, path] = rng.pick(slots);
      const value = rng.pick(HOSTILE_VALUES);
      (holder as Record<string, unknown>)[key] = value;
      return { ...base, opts: { ...base.opts, body }, what: `${path}=${JSON.stringify(value).slice(0, 40)}` };
    }
    case 'extra-property':
      if (!json) return null;
      return { ...base, opts: { ...base.opts, body: { ...jsonBody, fuzz_extra: 'x', id: 1, created: '2020-01-01T00:00:00Z' } }, what: 'extra properties' };
    case 'odd-body': {
      if (!op.body) return null;
      const [payload, type] = rng.pick<[string, string]>([
        ['{"name":', 'application/json'], ['null', 'application/json'], ['[]', 'application/json'], ['"text"', 'application/json'],
        ['', 'application/json'], ['{"name":"x"}', 'text/plain'], ['name=x', 'application/x-www-form-urlencoded'], ['\u0000\u00ff', 'application/octet-stream'],
        ['{"a":' + '['.repeat(200) + ']'.repeat(200) + '}', 'application/json'], ['--b\r\n\r\n', 'multipart/form-data; boundary=b'],
      ]);
      const { body: _drop, ...opts } = base.opts;
      return { ...base, opts: { ...opts, payload, headers: { 'content-type': type } }, what: `body ${type} ${JSON.stringify(payload.slice(0, 20))}` };
    }
    case 'long-strings': {
      if (!shape) return null;
      const body: Record<string, unknown> = { ...jsonBody };
      for (const [k, prop] of Object.entries(shape.properties)) if (prop['type'] === 'string' || k === 'name') body[k] = rng.chance(0.5) ? 'ß'.repeat(100_000) : '𝄞 ünï\u202ecode\u0000';
      return { ...base, opts: { ...base.opts, body }, what: 'long/unicode strings' };
    }
    case 'stack-header': {
      const v = rng.pick(['', 'abc', '-1', '0', '1.5', '99999999999999999999', '1, 2', String(f.otherStack + 1000)]);
      return { ...base, opts: { ...base.opts, stackId: v }, what: `X-Stack-Id ${JSON.stringify(v)}` };
    }
    default:
      throw new Error(`unknown mutation ${kind}`);
  }
}

/** Every place inside a JSON value a mutation can replace: [the object or array, its key, a path for messages]. */
function nestedSlots(value: unknown, path = 'body'): [object, string, string][] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]): [object, string, string][] => [[value, k, `${path}.${k}`], ...nestedSlots(v, `${path}.${k}`)]);
}

const MUTATION_KINDS = ['bad-id', 'unknown-id', 'bad-query', 'odata', 'missing-required', 'wrong-type', 'nested-wrong-type', 'extra-property', 'odd-body', 'long-strings', 'stack-header'];

/** The spec's GET on the same path, used to see that a rejected change left the resource alone. */
function snapshotUrl(op: SpecOperation, ops: SpecOperation[], f: Fixtures): string | null {
  if (op.method === 'GET') return null;
  const get = ops.find((o) => o.method === 'GET' && o.template === op.template);
  if (get) return fillPath(op.template, (n) => pathValue(op.template, n, f));
  return null;
}

describe.each(KINDS)('contract fuzz over $kind', ({ kind, enabled }) => {
  let h: Harness;
  let f: Fixtures;
  beforeAll(async () => {
    if (!enabled) return;
    h = await createHarness(kind);
    f = await setUp(h, kind);
  });
  afterAll(async () => {
    if (enabled) await h?.close();
  });
  const test = it.skipIf(!enabled);

  test('every operation: valid, mutated and unauthenticated requests answer as the spec says', { timeout: 60_000 }, async () => {
    const ops = specOperations();
    const rng = prng(SEED + Number(process.env['FUZZ_SEED'] ?? 0));
    const failures: string[] = [];
    let sent = 0;
    const send = async (op: SpecOperation, req: FuzzRequest): Promise<CallResult | null> => {
      sent++;
      try {
        const res = await h.call(op.method, req.url, req.opts);
        if (res.status >= 500) failures.push(`${op.method} ${req.url.slice(0, 120)} (${req.what}): ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
        return res;
      } catch (err) {
        failures.push(`${op.method} ${req.url.slice(0, 120)} (${req.what}): ${(err as Error).message.slice(0, 600)}`);
        return null;
      }
    };
    const expectStatus = (op: SpecOperation, req: FuzzRequest, res: CallResult | null, wanted: number[]) => {
      if (res && !wanted.includes(res.status)) failures.push(`${op.method} ${req.url.slice(0, 120)} (${req.what}): ${res.status}, expected ${wanted.join('|')}: ${JSON.stringify(res.body).slice(0, 200)}`);
    };

    for (const op of Array.from({ length: ROUNDS }, () => ops).flat()) {
      const base = validRequest(op, rng, f);
      const snapshot = snapshotUrl(op, ops, f);
      const valid = await send(op, base);
      if (op.method === 'DELETE') expectStatus(op, base, valid, [404]);

      const kinds = [...MUTATION_KINDS].sort(() => rng.next() - 0.5);
      let done = 0;
      for (const kind of kinds) {
        if (done >= MUTATIONS_PER_OPERATION) break;
        const req = mutate(op, base, rng, f, kind);
        if (!req) continue;
        done++;
        const before = snapshot ? await h.call('GET', snapshot) : null;
        const res = await send(op, req);
        if (!res) continue;
        if (kind === 'unknown-id' && op.statuses.includes(404)) expectStatus(op, req, res, [404]);
        if (kind === 'bad-id' && op.statuses.includes(404)) expectStatus(op, req, res, [404]);
        if (kind === 'missing-required' || (kind === 'odd-body' && op.body?.type === 'application/json' && !/^\{"name":"x"\}$|^\[\]$/.test(String(req.opts.payload)))) {
          expectStatus(op, req, res, [400]);
        }
        if (kind === 'stack-header' && op.parameters.some((p) => p.name === 'X-Stack-Id')) expectStatus(op, req, res, [400, 401, 403]);
        if (before && res.status >= 400) {
          const after = await h.call('GET', snapshot ?? '');
          if (JSON.stringify(after.body) !== JSON.stringify(before.body)) failures.push(`${op.method} ${req.url} (${req.what}) was rejected (${res.status}) but changed GET ${snapshot}: ${JSON.stringify(before.body).slice(0, 300)} → ${JSON.stringify(after.body).slice(0, 300)}`);
        }
      }

      expectStatus(op, { ...base, what: 'no token' }, await send(op, { ...base, opts: { ...base.opts, token: null }, what: 'no token' }), [401]);
      expectStatus(op, { ...base, what: 'wrong token' }, await send(op, { ...base, opts: { ...base.opts, token: 'stp_wrong-token' }, what: 'wrong token' }), [401]);
      if (op.parameters.some((p) => p.name === 'X-Stack-Id') && op.statuses.includes(403)) {
        const req = { ...base, opts: { ...base.opts, stackId: f.otherStack }, what: 'a stack the caller is not in' };
        expectStatus(op, req, await send(op, req), [403]);
      }
    }

    expect(failures, failures.join('\n\n')).toEqual([]);
    expect(sent).toBeGreaterThan(200);
    const alive = await h.call('GET', '/cloud/v6/auth', { stackId: null });
    expect(alive.status).toBe(200);
  });

  /** `after` equals `before` except in `changed` (and `updated`, which a change may move). */
  function expectOnly(before: Record<string, unknown>, after: Record<string, unknown>, changed: Record<string, unknown>) {
    const { updated: _a, ...rest } = after;
    const { updated: _b, ...was } = before;
    expect(rest).toEqual({ ...was, ...changed });
  }

  test('projects: create → get → list → rejected and accepted patches → delete keep what they did not touch', async () => {
    const created = await h.call('POST', '/cloud/v6/projects', { body: { name: 'Round ✓ trip' } });
    expect(created.status).toBe(201);
    const id = created.body.id as number;
    const got = await h.call('GET', `/cloud/v6/projects/${id}`);
    expect(got.body).toEqual(created.body);
    const listed = await h.call('GET', `/cloud/v6/projects?name=${encodeURIComponent('Round ✓ trip')}`);
    expect(listed.body.value).toEqual([got.body]);
    for (const bad of [{ name: '' }, { name: null }, {}, { name: 'x', extra: 1 }, { name: 'x'.repeat(256) }]) {
      expect((await h.call('PATCH', `/cloud/v6/projects/${id}`, { body: bad })).status).toBe(400);
      expect((await h.call('GET', `/cloud/v6/projects/${id}`)).body).toEqual(got.body);
    }
    expect((await h.call('PATCH', `/cloud/v6/projects/${id}`, { body: { name: 'Renamed' } })).status).toBe(204);
    expectOnly(got.body, (await h.call('GET', `/cloud/v6/projects/${id}`)).body, { name: 'Renamed' });
    expect((await h.call('DELETE', `/cloud/v6/projects/${id}`)).status).toBe(204);
    expect((await h.call('GET', `/cloud/v6/projects/${id}`)).status).toBe(404);
    expect((await h.call('GET', '/cloud/v6/projects?name=Renamed')).body.value).toEqual([]);
    expect((await h.call('DELETE', `/cloud/v6/projects/${id}`)).status).toBe(404);
  });

  test('project limits: each patch changes its own fields only; a rejected patch changes nothing', async () => {
    const url = `/cloud/v6/projects/${f.projectId}/limits`;
    const before = (await h.call('GET', url)).body;
    expect((await h.call('PATCH', url, { body: { vu_max_per_test: 0 } })).status).toBe(400);
    expect((await h.call('PATCH', url, { body: { vu_max_per_test: 7, duration_max_per_test: 'x' } })).status).toBe(400);
    expect((await h.call('GET', url)).body).toEqual(before);
    expect((await h.call('PATCH', url, { body: { vu_max_per_test: 7 } })).status).toBe(204);
    const after = (await h.call('GET', url)).body;
    expect(after).toEqual({ ...before, vu_max_per_test: 7 });
    expect((await h.call('PATCH', url, { body: {} })).status).toBe(204);
    expect((await h.call('GET', url)).body).toEqual(after);
    const listed = await h.call('GET', `/cloud/v6/project-limits?project_id_in=${f.projectId}`);
    expect(listed.body.value).toEqual([after]);
  });

  test('load tests: create → get → list → patch → script → move → delete keep what they did not touch', async () => {
    const created = await createLoadTest(h, f.projectId, 'round-trip');
    expect(created.status).toBe(201);
    const id = created.body.id as number;
    const got = await h.call('GET', `/cloud/v6/load_tests/${id}`);
    expect(got.body).toEqual(created.body);
    const listed = await h.call('GET', `/cloud/v6/projects/${f.projectId}/load_tests?name=round-trip`);
    expect(listed.body.value).toEqual([got.body]);
    expect((await h.call('GET', `/cloud/v6/load_tests/${id}/script`)).raw.toString()).toBe(script('round-trip'));

    for (const bad of [{ name: '' }, { name: 5 }, { k6_version: 'x' }, { name: 'x', project_id: 1 }]) {
      expect((await h.call('PATCH', `/cloud/v6/load_tests/${id}`, { body: bad })).status).toBe(400);
    }
    expect((await h.call('GET', `/cloud/v6/load_tests/${id}`)).body).toEqual(got.body);
    expect((await h.call('PATCH', `/cloud/v6/load_tests/${id}`, { body: { name: 'round-trip 2' } })).status).toBe(204);
    const renamed = (await h.call('GET', `/cloud/v6/load_tests/${id}`)).body;
    expectOnly(got.body, renamed, { name: 'round-trip 2' });
    expect((await h.call('GET', `/cloud/v6/load_tests/${id}/script`)).raw.toString()).toBe(script('round-trip'));

    expect((await h.call('PUT', `/cloud/v6/load_tests/${id}/script`, { payload: script('new'), headers: { 'content-type': 'application/octet-stream' } })).status).toBe(204);
    expect((await h.call('GET', `/cloud/v6/load_tests/${id}/script`)).raw.toString()).toBe(script('new'));
    expectOnly(renamed, (await h.call('GET', `/cloud/v6/load_tests/${id}`)).body, {});

    const other = await h.call('POST', '/cloud/v6/projects', { body: { name: `Move target ${kind}` } });
    expect((await h.call('PUT', `/cloud/v6/load_tests/${id}/move`, { body: { project_id: 987654321 } })).status).toBe(404);
    expect((await h.call('PUT', `/cloud/v6/load_tests/${id}/move`, { body: { project_id: 'x' } })).status).toBe(400);
    expectOnly(renamed, (await h.call('GET', `/cloud/v6/load_tests/${id}`)).body, {});
    expect((await h.call('PUT', `/cloud/v6/load_tests/${id}/move`, { body: { project_id: other.body.id } })).status).toBe(204);
    const moved = (await h.call('GET', `/cloud/v6/load_tests/${id}`)).body;
    expectOnly(renamed, moved, { project_id: other.body.id });
    expect((await h.call('GET', `/cloud/v6/projects/${other.body.id}/load_tests`)).body.value).toEqual([moved]);
    expect((await h.call('GET', `/cloud/v6/load_tests/${id}/script`)).raw.toString()).toBe(script('new'));

    expect((await h.call('DELETE', `/cloud/v6/load_tests/${id}`)).status).toBe(204);
    expect((await h.call('GET', `/cloud/v6/load_tests/${id}`)).status).toBe(404);
    expect((await h.call('GET', `/cloud/v6/projects/${other.body.id}/load_tests`)).body.value).toEqual([]);
  });

  test('test runs: start → get → list → note, star, save → abort → delete keep what they did not touch', async () => {
    const lt = await createLoadTest(h, f.projectId, 'run-round-trip');
    const started = await h.call('POST', `/cloud/v6/load_tests/${lt.body.id}/start`);
    expect(started.status).toBe(200);
    const id = started.body.id as number;
    const got = (await h.call('GET', `/cloud/v6/test_runs/${id}`)).body;
    // The start answer is the run plus its details link.
    const { test_run_details_page_url: link, ...run } = started.body;
    expect(typeof link).toBe('string');
    expect(got).toEqual(run);
    expect((await h.call('GET', `/cloud/v6/load_tests/${lt.body.id}/test_runs`)).body.value).toEqual([got]);

    for (const bad of [{}, { note: null }, { note: 5 }, { note: 'x', status: 'completed' }]) {
      expect((await h.call('PATCH', `/cloud/v6/test_runs/${id}`, { body: bad })).status).toBe(400);
    }
    expect((await h.call('GET', `/cloud/v6/test_runs/${id}`)).body).toEqual(got);
    expect((await h.call('PATCH', `/cloud/v6/test_runs/${id}`, { body: { note: 'ünïcødé 𝄞' } })).status).toBe(204);
    const noted = (await h.call('GET', `/cloud/v6/test_runs/${id}`)).body;
    expect(noted).toEqual({ ...got, note: 'ünïcødé 𝄞' });
    expect((await h.call('POST', `/cloud/v6/test_runs/${id}/star`)).status).toBe(204);
    expect((await h.call('GET', `/cloud/v6/test_runs/${id}`)).body).toEqual({ ...noted, is_starred: true });
    expect((await h.call('POST', `/cloud/v6/test_runs/${id}/unstar`)).status).toBe(204);
    expect((await h.call('GET', `/cloud/v6/test_runs/${id}`)).body).toEqual(noted);

    expect((await h.call('POST', `/cloud/v6/test_runs/${id}/abort`)).status).toBe(204);
    const aborted = (await h.call('GET', `/cloud/v6/test_runs/${id}`)).body;
    expect(aborted.status).toBe('aborted');
    expect({ ...aborted, status: noted.status, ended: noted.ended, status_details: noted.status_details, status_history: noted.status_history, result: noted.result, result_details: noted.result_details, execution_duration: noted.execution_duration, retention_expiry: noted.retention_expiry }).toEqual(noted);
    expect((await h.call('DELETE', `/cloud/v6/test_runs/${id}`)).status).toBe(204);
    expect((await h.call('GET', `/cloud/v6/test_runs/${id}`)).status).toBe(404);
    expect((await h.call('GET', `/cloud/v6/load_tests/${lt.body.id}`)).status).toBe(200);
  });

  test('labels: keys and project labels round-trip; each patch touches its own field', async () => {
    const created = await h.call('POST', '/cloud/v6/labels', { body: { value: [{ key: `rt_${kind}`, description: 'Round trip' }, { key: `rt2_${kind}` }] } });
    expect(created.status).toBe(201);
    const [a, b] = created.body.value as { id: number; key: string; description: string | null }[];
    if (!a || !b) throw new Error('two keys expected');
    const list = async () => ((await h.call('GET', '/cloud/v6/labels')).body.value as { id: number }[]);
    expect(await list()).toEqual(expect.arrayContaining([a, b]));
    expect((await h.call('PATCH', `/cloud/v6/labels/${a.id}`, { body: { key: 'has space' } })).status).toBe(400);
    expect((await list()).find((k) => k.id === a.id)).toEqual(a);
    expect((await h.call('PATCH', `/cloud/v6/labels/${a.id}`, { body: { description: 'Changed' } })).status).toBe(200);
    expect((await list()).find((k) => k.id === a.id)).toEqual({ ...a, description: 'Changed' });
    expect((await h.call('PATCH', `/cloud/v6/labels/${a.id}`, { body: { key: `rt3_${kind}` } })).status).toBe(200);
    expect((await list()).find((k) => k.id === a.id)).toEqual({ ...a, key: `rt3_${kind}`, description: 'Changed' });

    const url = `/cloud/v6/projects/${f.projectId}/labels`;
    const put = await h.call('PUT', url, { body: { value: [{ key_id: a.id, value: 'one' }, { key: b.key, value: 'two' }] } });
    expect(put.status).toBe(200);
    // The spec's list items are {key, value}; the PUT answer adds key_id.
    const stored = { value: (put.body.value as { key: string; value: string }[]).map(({ key, value }) => ({ key, value })) };
    expect(stored.value).toEqual(expect.arrayContaining([{ key: `rt3_${kind}`, value: 'one' }, { key: b.key, value: 'two' }]));
    expect((await h.call('GET', url)).body).toEqual(stored);
    expect((await h.call('PUT', url, { body: { value: [{ key_id: 987654321, value: 'x' }] } })).status).toBe(400);
    expect((await h.call('GET', url)).body).toEqual(stored);
    expect((await h.call('DELETE', `${url}/${encodeURIComponent(b.key)}`)).status).toBe(204);
    expect((await h.call('GET', url)).body.value).toEqual(stored.value.filter((l) => l.key !== b.key));
    expect((await h.call('DELETE', `/cloud/v6/labels/${a.id}`)).status).toBe(204);
    expect((await h.call('GET', url)).body.value).toEqual([]);
    expect((await list()).some((k) => k.id === a.id)).toBe(false);
  });

  test('concurrent requests: conflicting writes answer 2xx/4xx, never 5xx, and leave one consistent state', async () => {
    const statuses = async (calls: Promise<CallResult>[]) => (await Promise.all(calls)).map((r) => r.status);
    const keys = (await h.call('POST', '/cloud/v6/labels', { body: { value: [{ key: `c1_${kind}` }, { key: `c2_${kind}` }] } })).body.value as { id: number; key: string }[];
    const [k1, k2] = keys;
    if (!k1 || !k2) throw new Error('two keys expected');
    const url = `/cloud/v6/projects/${f.projectId}/labels`;
    // Six replacements of one project's labels at once: each is whole, the last one stands.
    const puts = await statuses(Array.from({ length: 6 }, (_, i) => h.call('PUT', url, { body: { value: [{ key: (i % 2 ? k1 : k2).key, value: `v${i}` }] } })));
    expect(puts).toEqual(Array(6).fill(200));
    expect((await h.call('GET', url)).body.value).toHaveLength(1);
    // A key deleted while labels naming it are put: one delete wins, each put either lands first or is told the key is gone.
    const raced = await statuses(Array.from({ length: 6 }, (_, i) => (i % 2 ? h.call('DELETE', `/cloud/v6/labels/${k1.id}`) : h.call('PUT', url, { body: { value: [{ key: k1.key, value: `w${i}` }] } }))));
    expect(raced.filter((s) => s === 204)).toHaveLength(1);
    expect(raced.every((s) => [200, 204, 400, 404].includes(s))).toBe(true);
    expect((await h.call('GET', url)).body.value.some((l: { key: string }) => l.key === k1.key)).toBe(false);
    const names = await statuses(Array.from({ length: 6 }, () => h.call('POST', '/cloud/v6/projects', { body: { name: `Concurrent ${kind}` } })));
    expect(names.sort()).toEqual([201, 409, 409, 409, 409, 409]);

    // The same resource deleted six times at once: deleted once (204), gone for the others (404).
    const doomed = await h.call('POST', '/cloud/v6/projects', { body: { name: `Doomed ${kind}` } });
    const lt = await createLoadTest(h, doomed.body.id, 'doomed');
    const run = await h.call('POST', `/cloud/v6/load_tests/${lt.body.id}/start`);
    await h.call('POST', `/cloud/v6/test_runs/${run.body.id}/abort`);
    for (const url of [`/cloud/v6/test_runs/${run.body.id}`, `/cloud/v6/load_tests/${lt.body.id}`, `/cloud/v6/projects/${doomed.body.id}`]) {
      const deletes = await statuses(Array.from({ length: 6 }, () => h.call('DELETE', url)));
      expect(deletes.sort(), url).toEqual([204, 404, 404, 404, 404, 404]);
    }
  });

  test('concurrent creates cannot take a stack past 1000 projects', { timeout: 60_000 }, async () => {
    const stack = (await h.call('POST', '/admin/v1/stacks', { body: { name: `Full ${kind}` }, stackId: null })).body;
    for (let i = 2; i <= 996; i++) await h.store.projects.create(stack.id, `p${i}`);
    const token = (await h.call('POST', `/admin/v1/stacks/${stack.id}/tokens`, { body: { name: 't' }, stackId: null })).body.token;
    const creates = await Promise.all(Array.from({ length: 10 }, (_, i) => h.call('POST', '/cloud/v6/projects', { token, stackId: stack.id, body: { name: `last ${i}` } })));
    expect(creates.map((r) => r.status).sort()).toEqual([201, 201, 201, 201, 409, 409, 409, 409, 409, 409]);
    expect((await h.call('GET', '/cloud/v6/projects?$top=0&$count=true', { token, stackId: stack.id })).body['@count']).toBe(1000);
  });

  test('a load test deleted while it is started: the delete is refused (409) or the start is a 404, never a started run that vanishes', { timeout: 60_000 }, async () => {
    const lost: number[] = [];
    for (let n = 0; n < 40; n++) {
      const lt = await createLoadTest(h, f.projectId, `raced ${n}`);
      const [del, ...starts] = await Promise.all([h.call('DELETE', `/cloud/v6/load_tests/${lt.body.id}`), ...[1, 2, 3].map(() => h.call('POST', `/cloud/v6/load_tests/${lt.body.id}/start`))]);
      expect([204, 409]).toContain(del?.status);
      for (const start of starts) {
        expect([200, 404]).toContain(start.status);
        if (start.status === 200 && (await h.call('GET', `/cloud/v6/test_runs/${start.body.id}`)).status !== 200) lost.push(start.body.id);
      }
      if (del?.status === 409) for (const start of starts) await h.call('POST', `/cloud/v6/test_runs/${start.body.id}/abort`);
    }
    expect(lost).toEqual([]);
  });

  test('a project deleted while load tests are created in it, moved into it and its limits and labels changed: 2xx or 404, never 5xx', { timeout: 60_000 }, async () => {
    const failures: string[] = [];
    for (let n = 0; n < 25; n++) {
      const project = await h.call('POST', '/cloud/v6/projects', { body: { name: `Vanishing ${n}` } });
      const mover = await createLoadTest(h, f.projectId, `mover ${n}`);
      const answers = await Promise.all([
        h.call('DELETE', `/cloud/v6/projects/${project.body.id}`),
        createLoadTest(h, project.body.id, `created ${n}`),
        h.call('PUT', `/cloud/v6/load_tests/${mover.body.id}/move`, { body: { project_id: project.body.id } }),
        h.call('PATCH', `/cloud/v6/projects/${project.body.id}/limits`, { body: { vu_max_per_test: 3 } }),
        h.call('PUT', `/cloud/v6/projects/${project.body.id}/labels`, { body: { value: [] } }),
      ]);
      const statuses = answers.map((a) => a.status);
      if (statuses.some((s) => s >= 500)) failures.push(statuses.join(','));
    }
    expect(failures).toEqual([]);
  });
});
