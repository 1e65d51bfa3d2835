// The v6 API's behaviour as a client sees it, run over both stores. Every JSON answer is checked
// against the spec by the harness; the tests check what the answers mean.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, multipartBody, postgresAvailable, script } from './test-support/api-harness.ts';
import type { Harness, StoreKind } from './test-support/api-harness.ts';

const PG = await postgresAvailable();
if (!PG) console.warn('PostgreSQL is not answering on 127.0.0.1:5432: the PostgreSQL run of the API suite is skipped');

const KINDS: { kind: StoreKind; enabled: boolean }[] = [
  { kind: 'sqlite', enabled: true },
  { kind: 'postgres', enabled: PG },
];

async function createLoadTest(h: Harness, name: string, body: string | Buffer = script(name), projectId = h.projectId, token?: string) {
  const form = multipartBody({ name, script: { filename: typeof body === 'string' ? 'test.js' : 'archive.tar', data: Buffer.isBuffer(body) ? body : Buffer.from(body) } });
  return h.call('POST', `/cloud/v6/projects/${projectId}/load_tests`, { payload: form.payload, headers: { 'content-type': form.contentType }, ...(token !== undefined && { token }) });
}

/** A tiny POSIX tar holding one file, enough for type detection. */
function tarArchive(): Buffer {
  const header = Buffer.alloc(512);
  header.write('script.js', 0);
  header.write('0000644\0', 100);
  header.write('00000000010\0', 124);
  header.write('ustar\x0000', 257);
  return Buffer.concat([header, Buffer.alloc(512, 0x61), Buffer.alloc(1024)]);
}

describe.each(KINDS)('v6 API over $kind', ({ kind, enabled }) => {
  let h: Harness;
  beforeAll(async () => {
    if (enabled) h = await createHarness(kind, { maxSavedRuns: 2 });
  });
  afterAll(async () => {
    if (enabled) await h?.close();
  });
  const test = it.skipIf(!enabled);

  describe('authentication and authorisation', () => {
    test('GET /auth names the stack and its default project', async () => {
      const res = await h.call('GET', '/cloud/v6/auth', { stackId: null });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ stack_id: h.stackId, default_project_id: h.projectId });
    });

    test('a missing, malformed or unknown token is 401', async () => {
      expect((await h.call('GET', '/cloud/v6/projects', { token: null })).status).toBe(401);
      expect((await h.call('GET', '/cloud/v6/projects', { token: null, headers: { authorization: 'Basic abc' } })).status).toBe(401);
      const res = await h.call('GET', '/cloud/v6/projects', { token: 'stp_nope' });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('unauthenticated');
      expect((await h.call('GET', '/cloud/v6/auth', { token: 'stp_nope', stackId: null })).status).toBe(401);
    });

    test('X-Stack-Id is required and must be an integer', async () => {
      const missing = await h.call('GET', '/cloud/v6/projects', { stackId: null });
      expect(missing.status).toBe(400);
      expect(missing.body.error.target).toBe('X-Stack-Id');
      expect((await h.call('GET', '/cloud/v6/projects', { stackId: 'abc' })).status).toBe(400);
      // Operations that document no 400 (every GET of one resource, DELETE, start, abort, …) answer 401:
      // without a stack the token cannot be verified. The message still names the header.
      for (const [method, url] of [['GET', '/cloud/v6/projects/1'], ['DELETE', '/cloud/v6/test_runs/1'], ['POST', '/cloud/v6/test_runs/1/star'], ['GET', '/cloud/v6/auth']] as const) {
        const res = await h.call(method, url, { stackId: url.endsWith('/auth') ? 'abc' : null });
        expect(res.status, url).toBe(401);
        expect(res.body.error.target, url).toBe('X-Stack-Id');
        expect(res.headers['www-authenticate'], url).toMatch(/^Bearer/);
      }
    });

    test('non-members get 403, another stack’s resources 404, viewers cannot change anything', async () => {
      const stack = await h.call('POST', '/admin/v1/stacks', { body: { name: 'Other' }, stackId: null });
      expect(stack.status).toBe(201);
      const otherStack = stack.body.id as number;
      expect((await h.call('GET', '/cloud/v6/projects', { stackId: otherStack })).status).toBe(403);

      const user = await h.call('POST', '/admin/v1/users', { body: { email: `viewer-${kind}@example.com` }, stackId: null });
      expect(user.status).toBe(201);
      expect((await h.call('PUT', `/admin/v1/stacks/${otherStack}/members/${user.body.id}`, { body: { role: 'viewer' }, stackId: null })).status).toBe(204);
      const tok = await h.call('POST', `/admin/v1/users/${user.body.id}/tokens`, { body: { name: 'ci' }, stackId: null });
      expect(tok.status).toBe(201);
      const viewer = tok.body.token as string;

      expect((await h.call('GET', '/cloud/v6/projects', { token: viewer, stackId: otherStack })).status).toBe(200);
      const denied = await h.call('POST', '/cloud/v6/projects', { token: viewer, stackId: otherStack, body: { name: 'nope' } });
      expect(denied.status).toBe(403);
      expect(denied.body.error.code).toBe('permission_denied');
      expect((await h.call('GET', '/cloud/v6/projects', { token: viewer })).status).toBe(403);
      const viewerProject = (await h.call('GET', '/cloud/v6/auth', { token: viewer, stackId: otherStack })).body.default_project_id;
      expect((await h.call('PATCH', `/cloud/v6/projects/${viewerProject}/limits`, { token: viewer, stackId: otherStack, body: { vu_max_per_test: 1 } })).status).toBe(403);
      expect((await h.call('POST', `/cloud/v6/projects/${viewerProject}/load_tests`, { token: viewer, stackId: otherStack, body: {} })).status).toBe(403);
      expect((await h.call('POST', '/cloud/v6/validate_options', { token: viewer, stackId: otherStack, body: { options: { vus: 1 } } })).status).toBe(200);

      // The first stack's project does not exist as far as the other stack can tell.
      const other = await h.call('GET', `/cloud/v6/projects/${h.projectId}`, { token: viewer, stackId: otherStack });
      expect(other.status).toBe(404);
      expect(other.body.error.code).toBe('not_found');

      // A stack token works for its own stack only.
      const stackTok = await h.call('POST', `/admin/v1/stacks/${otherStack}/tokens`, { body: { name: 'ci' }, stackId: null });
      expect(stackTok.status).toBe(201);
      expect((await h.call('GET', '/cloud/v6/projects', { token: stackTok.body.token, stackId: otherStack })).status).toBe(200);
      expect((await h.call('GET', '/cloud/v6/projects', { token: stackTok.body.token, stackId: h.stackId })).status).toBe(403);
      expect((await h.call('GET', '/cloud/v6/auth', { token: stackTok.body.token, stackId: null })).body.stack_id).toBe(otherStack);

      // Revoking stops the token at once.
      expect((await h.call('DELETE', `/admin/v1/tokens/${stackTok.body.id}`, { stackId: null })).status).toBe(204);
      expect((await h.call('GET', '/cloud/v6/projects', { token: stackTok.body.token, stackId: otherStack })).status).toBe(401);
      expect((await h.call('DELETE', `/admin/v1/tokens/${stackTok.body.id + 1000}`, { stackId: null })).status).toBe(404);
    });

    test('the admin API needs an admin of the first stack and checks its bodies', async () => {
      expect((await h.call('POST', '/admin/v1/stacks', { token: null, stackId: null, body: { name: 'x' } })).status).toBe(401);
      const user = await h.call('POST', '/admin/v1/users', { body: { email: `editor-${kind}@example.com` }, stackId: null });
      await h.call('PUT', `/admin/v1/stacks/${h.stackId}/members/${user.body.id}`, { body: { role: 'editor' }, stackId: null });
      const tok = await h.call('POST', `/admin/v1/users/${user.body.id}/tokens`, { body: { name: 'e' }, stackId: null });
      expect((await h.call('POST', '/admin/v1/stacks', { token: tok.body.token, stackId: null, body: { name: 'x' } })).status).toBe(403);
      const badRole = await h.call('PUT', `/admin/v1/stacks/${h.stackId}/members/${user.body.id}`, { body: { role: 'owner' }, stackId: null });
      expect(badRole.status).toBe(400);
      expect(badRole.body.error.target).toBe('role');
      expect((await h.call('POST', '/admin/v1/users', { body: { email: 'not-an-email' }, stackId: null })).status).toBe(400);
      expect((await h.call('POST', '/admin/v1/users', { body: { email: `editor-${kind}@example.com` }, stackId: null })).status).toBe(409);
      expect((await h.call('PUT', `/admin/v1/stacks/999999/members/${user.body.id}`, { body: { role: 'viewer' }, stackId: null })).status).toBe(404);
      expect((await h.call('POST', '/admin/v1/stacks', { body: { name: 'x', extra: 1 }, stackId: null })).status).toBe(400);
    });
  });

  describe('projects and limits', () => {
    test('create, get, rename, list with filters, delete', async () => {
      const created = await h.call('POST', '/cloud/v6/projects', { body: { name: 'Checkout' } });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ name: 'Checkout', is_default: false });
      const id = created.body.id as number;
      expect((await h.call('GET', `/cloud/v6/projects/${id}`)).body.name).toBe('Checkout');
      expect((await h.call('POST', '/cloud/v6/projects', { body: { name: 'Checkout' } })).status).toBe(409);
      expect((await h.call('PATCH', `/cloud/v6/projects/${id}`, { body: { name: 'Payments' } })).status).toBe(204);
      const byName = await h.call('GET', '/cloud/v6/projects?name=Payments');
      expect(byName.body.value.map((p: { id: number }) => p.id)).toEqual([id]);
      const search = await h.call('GET', '/cloud/v6/projects?name_search=paym&$count=true');
      expect(search.body['@count']).toBe(1);
      expect((await h.call('DELETE', `/cloud/v6/projects/${id}`)).status).toBe(204);
      expect((await h.call('GET', `/cloud/v6/projects/${id}`)).status).toBe(404);
      expect((await h.call('DELETE', `/cloud/v6/projects/${h.projectId}`)).status).toBe(409);
    });

    test('grafana_folder_uid is a string that names the project and outlives a rename (Grafana\'s Terraform provider crashes on a null)', async () => {
      const created = await h.call('POST', '/cloud/v6/projects', { body: { name: 'Folder uid' } });
      const id = created.body.id as number;
      const uid = created.body.grafana_folder_uid;
      expect(uid).toBe(`stampede-project-${id}`);
      expect((await h.call('GET', `/cloud/v6/projects/${h.projectId}`)).body.grafana_folder_uid).toBe(`stampede-project-${h.projectId}`);
      expect((await h.call('PATCH', `/cloud/v6/projects/${id}`, { body: { name: 'Folder uid renamed' } })).status).toBe(204);
      expect((await h.call('GET', `/cloud/v6/projects/${id}`)).body.grafana_folder_uid).toBe(uid);
      const listed = await h.call('GET', `/cloud/v6/projects?name=${encodeURIComponent('Folder uid renamed')}`);
      expect(listed.body.value.map((p: { grafana_folder_uid: unknown }) => p.grafana_folder_uid)).toEqual([uid]);
      expect((await h.call('DELETE', `/cloud/v6/projects/${id}`)).status).toBe(204);
    });

    test('bad project bodies are 400 naming the field, unknown PATCH fields included', async () => {
      const unknown = await h.call('PATCH', `/cloud/v6/projects/${h.projectId}`, { body: { name: 'x', colour: 'red' } });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.code).toBe('validation_error');
      expect(unknown.body.error.details.map((d: { target: string }) => d.target)).toContain('colour');
      const wrongType = await h.call('POST', '/cloud/v6/projects', { body: { name: 42 } });
      expect(wrongType.status).toBe(400);
      const malformed = await h.call('POST', '/cloud/v6/projects', { payload: '{"name": ', headers: { 'content-type': 'application/json' } });
      expect(malformed.status).toBe(400);
      expect(malformed.body.error.code).toBe('validation_error');
      expect((await h.call('POST', '/cloud/v6/projects', { body: { name: '' } })).status).toBe(400);
      expect((await h.call('POST', '/cloud/v6/projects', { body: [1, 2] })).status).toBe(400);
    });

    test('a project name of only whitespace is refused on create and rename, as an empty one, and nothing changes', async () => {
      const blank = async (method: 'POST' | 'PATCH', path: string, name: string) => {
        const res = await h.call(method, path, { body: { name } });
        expect(res.status).toBe(400);
        expect(res.body.error).toMatchObject({ code: 'validation_error', target: 'name', details: [{ target: 'name', message: 'name must not be blank.' }] });
      };
      const before = (await h.call('GET', '/cloud/v6/projects?$count=true')).body['@count'] as number;
      await blank('POST', '/cloud/v6/projects', '   ');
      await blank('POST', '/cloud/v6/projects', '\t\n\u00a0\u3000');
      expect((await h.call('GET', '/cloud/v6/projects?$count=true')).body['@count']).toBe(before);
      await blank('PATCH', `/cloud/v6/projects/${h.projectId}`, '  ');
      expect((await h.call('GET', `/cloud/v6/projects/${h.projectId}`)).body.name.trim()).not.toBe('');
      expect((await h.call('POST', '/cloud/v6/projects', { body: { name: ' Padded ' } })).status).toBe(201);
    });

    test('limits: get, patch (null removes), list with project_id_in', async () => {
      const limits = await h.call('GET', `/cloud/v6/projects/${h.projectId}/limits`);
      expect(limits.status).toBe(200);
      expect(limits.body.project_id).toBe(h.projectId);
      expect((await h.call('PATCH', `/cloud/v6/projects/${h.projectId}/limits`, { body: { vu_max_per_test: 50, duration_max_per_test: 600 } })).status).toBe(204);
      expect((await h.call('GET', `/cloud/v6/projects/${h.projectId}/limits`)).body).toMatchObject({ vu_max_per_test: 50, duration_max_per_test: 600 });
      expect((await h.call('PATCH', `/cloud/v6/projects/${h.projectId}/limits`, { body: { duration_max_per_test: null } })).status).toBe(204);
      expect((await h.call('GET', `/cloud/v6/projects/${h.projectId}/limits`)).body.duration_max_per_test).toBeNull();
      expect((await h.call('PATCH', `/cloud/v6/projects/${h.projectId}/limits`, { body: { vu_max_per_test: 0 } })).status).toBe(400);
      expect((await h.call('PATCH', `/cloud/v6/projects/${h.projectId}/limits`, { body: { max_rps: 3 } })).status).toBe(400);
      expect((await h.call('GET', '/cloud/v6/projects/999999/limits')).status).toBe(404);
      const list = await h.call('GET', `/cloud/v6/project-limits?project_id_in=${h.projectId}`);
      expect(list.body.value).toHaveLength(1);
      expect(list.body.value[0].vu_max_per_test).toBe(50);
      expect((await h.call('GET', '/cloud/v6/project-limits?project_id_in=a,b')).status).toBe(400);
      await h.call('PATCH', `/cloud/v6/projects/${h.projectId}/limits`, { body: { vu_max_per_test: null } });
    });
  });

  describe('load tests', () => {
    test('create from JS text and from a k6 archive; the type is detected', async () => {
      const js = await createLoadTest(h, 'JS test');
      expect(js.status).toBe(201);
      expect(js.body).toMatchObject({ name: 'JS test', project_id: h.projectId, baseline_test_run_id: null });
      const jsScript = await h.call('GET', `/cloud/v6/load_tests/${js.body.id}/script`);
      expect(jsScript.status).toBe(200);
      expect(jsScript.headers['content-type']).toMatch(/^text\/javascript/);
      expect(jsScript.raw.toString()).toBe(script('JS test'));

      const tar = await createLoadTest(h, 'Archive test', tarArchive());
      expect(tar.status).toBe(201);
      const tarScript = await h.call('GET', `/cloud/v6/load_tests/${tar.body.id}/script`, { headers: { accept: 'application/x-tar' } });
      expect(tarScript.headers['content-type']).toMatch(/^application\/x-tar/);
      expect(Buffer.compare(tarScript.raw, tarArchive())).toBe(0);
      const refused = await h.call('GET', `/cloud/v6/load_tests/${tar.body.id}/script`, { headers: { accept: 'text/javascript' } });
      expect(refused.status).toBe(406);
    });

    test('create errors: duplicate name 409, missing name 400, broken script 400, unknown project 404, not multipart 400', async () => {
      await createLoadTest(h, 'Dup');
      expect((await createLoadTest(h, 'Dup')).status).toBe(409);
      const form = multipartBody({ script: script() });
      const noName = await h.call('POST', `/cloud/v6/projects/${h.projectId}/load_tests`, { payload: form.payload, headers: { 'content-type': form.contentType } });
      expect(noName.status).toBe(400);
      expect(noName.body.error.target).toBe('name');
      const broken = await createLoadTest(h, 'Broken', 'export default SYNTAX_ERROR(');
      expect(broken.status).toBe(400);
      expect(broken.body.error.details[0].message).toMatch(/SyntaxError/);
      expect((await createLoadTest(h, 'Nowhere', script(), 999999)).status).toBe(404);
      // The operation documents no 415: a body that is not multipart is a 400 (as for any malformed body).
      const json = await h.call('POST', `/cloud/v6/projects/${h.projectId}/load_tests`, { body: { name: 'json' } });
      expect(json.status).toBe(400);
      expect(json.body.error.message).toMatch(/multipart\/form-data/);
    });

    test('a load test name of only whitespace is refused on create and rename, with the ErrorResponse of an empty one', async () => {
      const created = await createLoadTest(h, '   ');
      expect(created.status).toBe(400);
      expect(created.body.error).toMatchObject({ code: 'validation_error', target: 'name', details: [{ target: 'name', message: 'name must not be blank.' }] });
      const lt = (await createLoadTest(h, 'Named')).body;
      const renamed = await h.call('PATCH', `/cloud/v6/load_tests/${lt.id}`, { body: { name: '\t ' } });
      expect(renamed.status).toBe(400);
      expect(renamed.body.error).toMatchObject({ code: 'validation_error', target: 'name', details: [{ target: 'name', message: 'name must not be blank.' }] });
      expect((await h.call('GET', `/cloud/v6/load_tests/${lt.id}`)).body.name).toBe('Named');
    });

    test('get, patch, move, replace script, delete', async () => {
      const lt = (await createLoadTest(h, 'Lifecycle')).body;
      expect((await h.call('PATCH', `/cloud/v6/load_tests/${lt.id}`, { body: { name: 'Lifecycle 2' } })).status).toBe(204);
      expect((await h.call('GET', `/cloud/v6/load_tests/${lt.id}`)).body.name).toBe('Lifecycle 2');
      expect((await h.call('PATCH', `/cloud/v6/load_tests/${lt.id}`, { body: { nme: 'x' } })).status).toBe(400);
      expect((await h.call('PATCH', `/cloud/v6/load_tests/${lt.id}`, { body: { name: 'Dup' } })).status).toBe(409);

      const put = await h.call('PUT', `/cloud/v6/load_tests/${lt.id}/script`, { payload: script('v2'), headers: { 'content-type': 'application/octet-stream' } });
      expect(put.status).toBe(204);
      expect((await h.call('GET', `/cloud/v6/load_tests/${lt.id}/script`)).raw.toString()).toBe(script('v2'));
      expect((await h.call('PUT', `/cloud/v6/load_tests/${lt.id}/script`, { payload: 'SYNTAX_ERROR', headers: { 'content-type': 'text/javascript' } })).status).toBe(400);
      const form = multipartBody({ script: { filename: 'v3.js', data: Buffer.from(script('v3')) } });
      expect((await h.call('PUT', `/cloud/v6/load_tests/${lt.id}/script`, { payload: form.payload, headers: { 'content-type': form.contentType } })).status).toBe(204);
      expect((await h.call('GET', `/cloud/v6/load_tests/${lt.id}/script`)).raw.toString()).toBe(script('v3'));
      expect((await h.call('PUT', `/cloud/v6/load_tests/${lt.id}/script`, { payload: '', headers: { 'content-type': 'text/javascript' } })).status).toBe(400);

      const dest = (await h.call('POST', '/cloud/v6/projects', { body: { name: 'Destination' } })).body;
      expect((await h.call('PUT', `/cloud/v6/load_tests/${lt.id}/move`, { body: { project_id: dest.id } })).status).toBe(204);
      expect((await h.call('GET', `/cloud/v6/load_tests/${lt.id}`)).body.project_id).toBe(dest.id);
      expect((await h.call('GET', `/cloud/v6/projects/${dest.id}/load_tests`)).body.value).toHaveLength(1);
      expect((await h.call('PUT', `/cloud/v6/load_tests/${lt.id}/move`, { body: { project_id: 999999 } })).status).toBe(404);
      expect((await h.call('PUT', `/cloud/v6/load_tests/${lt.id}/move`, { body: { project_id: 'x' } })).status).toBe(400);

      expect((await h.call('DELETE', `/cloud/v6/load_tests/${lt.id}`)).status).toBe(204);
      expect((await h.call('GET', `/cloud/v6/load_tests/${lt.id}`)).status).toBe(404);
      expect((await h.call('DELETE', `/cloud/v6/load_tests/${lt.id}`)).status).toBe(404);
    });

    test('lists page with $top/$skip, @count and an absolute @nextLink until the last page', async () => {
      const project = (await h.call('POST', '/cloud/v6/projects', { body: { name: 'Paging' } })).body;
      for (const n of [1, 2, 3, 4, 5]) await createLoadTest(h, `Paged ${n}`, script(`p${n}`), project.id);
      const seen: string[] = [];
      let url: string | undefined = `/cloud/v6/projects/${project.id}/load_tests?$top=2&$count=true&$orderby=name`;
      let pages = 0;
      while (url !== undefined && pages < 10) {
        const res = await h.call('GET', url);
        expect(res.status).toBe(200);
        expect(res.body['@count']).toBe(5);
        seen.push(...res.body.value.map((t: { name: string }) => t.name));
        const next = res.body['@nextLink'] as string | undefined;
        if (next !== undefined) {
          expect(next).toMatch(/^http:\/\/localhost(:\d+)?\/cloud\/v6\/projects\/\d+\/load_tests\?/);
          url = next.replace(/^https?:\/\/[^/]+/, '');
        } else url = undefined;
        pages++;
      }
      expect(pages).toBe(3);
      expect(seen).toEqual(['Paged 1', 'Paged 2', 'Paged 3', 'Paged 4', 'Paged 5']);
      // $top=0 (the spec sets no minimum) asks only for the count: no items and no link to page on.
      for (const list of [`/cloud/v6/projects/${project.id}/load_tests`, '/cloud/v6/test_runs', '/cloud/v6/projects', '/cloud/v6/project-limits']) {
        const counted = await h.call('GET', `${list}?$top=0&$count=true`);
        expect(counted.status, list).toBe(200);
        expect(counted.body.value, list).toEqual([]);
        expect(counted.body['@nextLink'], list).toBeUndefined();
        if (list.includes('load_tests')) expect(counted.body['@count']).toBe(5);
      }
      const desc = await h.call('GET', `/cloud/v6/projects/${project.id}/load_tests?$orderby=name desc&$top=1`);
      expect(desc.body.value[0].name).toBe('Paged 5');
      expect((await h.call('GET', '/cloud/v6/load_tests?name=Paged%203')).body.value).toHaveLength(1);
    });

    test('bad list parameters are 400', async () => {
      for (const q of ['$top=1001', '$top=-1', '$top=abc', '$top=1.5', '$skip=-3', '$count=maybe', '$orderby=colour']) {
        const res = await h.call('GET', `/cloud/v6/load_tests?${q}`);
        expect(res.status, q).toBe(400);
        expect(res.body.error.target, q).toMatch(/^\$/);
      }
      // GET /load_tests/{id} documents no 400: an id that is not a positive integer names nothing (404).
      for (const id of ['abc', '0', '-1', '1.5', '99999999999999999999', 'x'.repeat(300)]) {
        const res = await h.call('GET', `/cloud/v6/load_tests/${id}`);
        expect(res.status, id).toBe(404);
        expect(res.body.error.code, id).toBe('not_found');
      }
    });
  });

  describe('test runs', () => {
    let loadTestId: number;
    let runId: number;
    beforeAll(async () => {
      if (!enabled) return;
      loadTestId = (await createLoadTest(h, 'Runs')).body.id;
    });

    test('start creates a run, hands it over and answers it with a details URL', async () => {
      const res = await h.call('POST', `/cloud/v6/load_tests/${loadTestId}/start`);
      expect(res.status).toBe(200);
      runId = res.body.id;
      expect(h.runs.started).toContain(runId);
      expect(res.body).toMatchObject({ test_id: loadTestId, project_id: h.projectId, started_by: 'admin@stampede.local', status: 'queued', is_starred: false, note: '' });
      expect(res.body.status_history.map((s: { type: string }) => s.type)).toEqual(['created', 'queued']);
      expect(res.body.status_details).toEqual(res.body.status_history[1]);
      // Grafana Cloud k6's shape, …/a/k6-app/runs/{id}: CI clients (grafana/run-k6-action) take the run id from it.
      expect(res.body.test_run_details_page_url).toMatch(new RegExp(`^http://localhost(:80)?/a/k6-app/runs/${runId}$`));
      // The page itself leads to the run's API resource.
      const page = await h.app.inject({ method: 'GET', url: `/a/k6-app/runs/${runId}` });
      expect(page.statusCode).toBe(302);
      expect(page.headers.location).toBe(`/cloud/v6/test_runs/${runId}`);
    });

    test('K6-Idempotency-Key: the same key returns the same run', async () => {
      const headers = { 'k6-idempotency-key': `key-${kind}` };
      const a = await h.call('POST', `/cloud/v6/load_tests/${loadTestId}/start`, { headers });
      const b = await h.call('POST', `/cloud/v6/load_tests/${loadTestId}/start`, { headers });
      expect(a.status).toBe(200);
      expect(b.body.id).toBe(a.body.id);
      expect(h.runs.started.filter((id) => id === a.body.id)).toHaveLength(1);
      const c = await h.call('POST', `/cloud/v6/load_tests/${loadTestId}/start`, { headers: { 'k6-idempotency-key': `other-${kind}` } });
      expect(c.body.id).not.toBe(a.body.id);
      // Start documents no 400: a key longer than the spec's 36 characters is still honoured, an empty one is no key.
      const other = (await createLoadTest(h, 'Long keys')).body.id as number;
      const long = { 'k6-idempotency-key': `${kind}-${'x'.repeat(60)}` };
      const d = await h.call('POST', `/cloud/v6/load_tests/${other}/start`, { headers: long });
      expect(d.status).toBe(200);
      expect((await h.call('POST', `/cloud/v6/load_tests/${other}/start`, { headers: long })).body.id).toBe(d.body.id);
      expect((await h.call('POST', `/cloud/v6/load_tests/${other}/start`, { headers: { 'k6-idempotency-key': `${kind}-${'x'.repeat(59)}` } })).body.id).not.toBe(d.body.id);
      const e = await h.call('POST', `/cloud/v6/load_tests/${other}/start`, { headers: { 'k6-idempotency-key': '' } });
      expect(e.status).toBe(200);
      expect((await h.call('POST', `/cloud/v6/load_tests/${other}/start`, { headers: { 'k6-idempotency-key': '' } })).body.id).not.toBe(e.body.id);
      expect((await h.call('POST', '/cloud/v6/load_tests/999999/start')).status).toBe(404);
      // A load test created without a script has nothing to start: 404 naming the script (start documents no 400).
      const bare = multipartBody({ name: `Bare ${kind}` });
      const scriptless = (await h.call('POST', `/cloud/v6/projects/${h.projectId}/load_tests`, { payload: bare.payload, headers: { 'content-type': bare.contentType } })).body;
      expect((await h.call('GET', `/cloud/v6/load_tests/${scriptless.id}/script`)).status).toBe(404);
      const nothing = await h.call('POST', `/cloud/v6/load_tests/${scriptless.id}/start`);
      expect(nothing.status).toBe(404);
      expect(nothing.body.error.target).toBe('script');
    });

    test('body-less POSTs may still say application/json; load tests and projects with runs in flight cannot be deleted', async () => {
      const headers = { 'content-type': 'application/json' };
      const project = (await h.call('POST', '/cloud/v6/projects', { body: { name: 'Busy' } })).body;
      const lt = (await createLoadTest(h, 'Busy test', script('busy'), project.id)).body;
      const run = await h.call('POST', `/cloud/v6/load_tests/${lt.id}/start`, { payload: '', headers });
      expect(run.status).toBe(200);
      expect((await h.call('DELETE', `/cloud/v6/load_tests/${lt.id}`)).status).toBe(409);
      expect((await h.call('DELETE', `/cloud/v6/projects/${project.id}`)).status).toBe(409);
      expect((await h.call('POST', `/cloud/v6/test_runs/${run.body.id}/abort`, { payload: '', headers })).status).toBe(204);
      expect((await h.call('DELETE', `/cloud/v6/load_tests/${lt.id}`)).status).toBe(204);
      expect((await h.call('GET', `/cloud/v6/test_runs/${run.body.id}`)).status).toBe(404);
      expect((await h.call('DELETE', `/cloud/v6/projects/${project.id}`)).status).toBe(204);
    });

    test('a run keeps the script it started with', async () => {
      await h.call('PUT', `/cloud/v6/load_tests/${loadTestId}/script`, { payload: script('changed later'), headers: { 'content-type': 'text/javascript' } });
      const res = await h.call('GET', `/cloud/v6/test_runs/${runId}/script`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/javascript/);
      expect(res.raw.toString()).toBe(script('Runs'));
    });

    test('get, note, star, and delete refused while running', async () => {
      expect((await h.call('GET', `/cloud/v6/test_runs/${runId}`)).body.id).toBe(runId);
      expect((await h.call('PATCH', `/cloud/v6/test_runs/${runId}`, { body: { note: 'first try' } })).status).toBe(204);
      expect((await h.call('PATCH', `/cloud/v6/test_runs/${runId}`, { body: { note: 'x', status: 'completed' } })).status).toBe(400);
      expect((await h.call('PATCH', `/cloud/v6/test_runs/${runId}`, { body: {} })).status).toBe(400);
      expect((await h.call('POST', `/cloud/v6/test_runs/${runId}/star`)).status).toBe(204);
      const got = await h.call('GET', `/cloud/v6/test_runs/${runId}`);
      expect(got.body).toMatchObject({ note: 'first try', is_starred: true });
      const del = await h.call('DELETE', `/cloud/v6/test_runs/${runId}`);
      expect(del.status).toBe(409);
      expect(del.body.error.code).toBe('conflict');
      expect((await h.call('GET', `/cloud/v6/test_runs/${runId}/distribution`)).status).toBe(404);
    });

    test('per-load-test list filters by is_starred and orders by created', async () => {
      const starred = await h.call('GET', `/cloud/v6/load_tests/${loadTestId}/test_runs?is_starred=1`);
      expect(starred.body.value.map((r: { id: number }) => r.id)).toEqual([runId]);
      const unstarred = await h.call('GET', `/cloud/v6/load_tests/${loadTestId}/test_runs?is_starred=false&$count=true`);
      expect(unstarred.body['@count']).toBe(2);
      const desc = await h.call('GET', `/cloud/v6/load_tests/${loadTestId}/test_runs?$orderby=created desc`);
      const ids = desc.body.value.map((r: { id: number }) => r.id);
      expect(ids).toEqual([...ids].sort((a: number, b: number) => b - a));
      expect((await h.call('GET', `/cloud/v6/load_tests/${loadTestId}/test_runs?is_starred=yes`)).status).toBe(400);
      expect((await h.call('GET', '/cloud/v6/load_tests/999999/test_runs')).status).toBe(404);
    });

    test('created_after is inclusive, created_before exclusive; bad dates are 400', async () => {
      const run = (await h.call('GET', `/cloud/v6/test_runs/${runId}`)).body;
      const at = encodeURIComponent(run.created);
      const after = await h.call('GET', `/cloud/v6/test_runs?created_after=${at}`);
      expect(after.body.value.map((r: { id: number }) => r.id)).toContain(runId);
      const before = await h.call('GET', `/cloud/v6/test_runs?created_before=${at}`);
      expect(before.body.value.map((r: { id: number }) => r.id)).not.toContain(runId);
      for (const bad of ['yesterday', '2025-13-01', '2025-02-30T00:00:00Z']) {
        const res = await h.call('GET', `/cloud/v6/test_runs?created_after=${encodeURIComponent(bad)}`);
        expect(res.status, bad).toBe(400);
        expect(res.body.error.target).toBe('created_after');
      }
    });

    test('abort: 204 while running, 409 once final; then delete works', async () => {
      const res = await h.call('POST', `/cloud/v6/test_runs/${runId}/abort`);
      expect(res.status).toBe(204);
      expect(h.runs.aborted).toContainEqual({ runId, byUser: 'admin@stampede.local' });
      const run = (await h.call('GET', `/cloud/v6/test_runs/${runId}`)).body;
      expect(run.status).toBe('aborted');
      expect(run.status_details.extra).toEqual({ by_user: 'admin@stampede.local', message: expect.any(String), code: 5 });
      expect(run.ended).not.toBeNull();
      expect((await h.call('POST', `/cloud/v6/test_runs/${runId}/abort`)).status).toBe(409);
      expect((await h.call('POST', '/cloud/v6/test_runs/999999/abort')).status).toBe(404);
    });

    test('save keeps results (no expiry) up to the cap; unsave restores expiry', async () => {
      expect((await h.call('POST', `/cloud/v6/test_runs/${runId}/save`)).status).toBe(204);
      expect((await h.call('GET', `/cloud/v6/test_runs/${runId}`)).body.retention_expiry).toBeNull();
      expect((await h.call('POST', `/cloud/v6/test_runs/${runId}/unsave`)).status).toBe(204);
      expect((await h.call('GET', `/cloud/v6/test_runs/${runId}`)).body.retention_expiry).not.toBeNull();
      expect((await h.call('POST', `/cloud/v6/test_runs/${runId}/unstar`)).status).toBe(204);
      expect((await h.call('GET', `/cloud/v6/test_runs/${runId}`)).body.is_starred).toBe(false);

      const others = (await h.call('GET', `/cloud/v6/load_tests/${loadTestId}/test_runs`)).body.value.map((r: { id: number }) => r.id).filter((id: number) => id !== runId);
      for (const id of others) await h.call('POST', `/cloud/v6/test_runs/${id}/abort`);
      expect((await h.call('POST', `/cloud/v6/test_runs/${others[0]}/save`)).status).toBe(204);
      expect((await h.call('POST', `/cloud/v6/test_runs/${others[1]}/save`)).status).toBe(204);
      const capped = await h.call('POST', `/cloud/v6/test_runs/${runId}/save`);
      expect(capped.status).toBe(409);
      expect(capped.body.error.message).toMatch(/maximum number of saved/i);
    });

    test('distribution answers once the runners are known', async () => {
      await h.store.testRuns.updateFields(runId, { runnerDistribution: { 'amazon:us:ashburn': { percentage: 100, nodes: [{ size: 'local-process', public_ip: '127.0.0.1' }] } } });
      const res = await h.call('GET', `/cloud/v6/test_runs/${runId}/distribution`);
      expect(res.status).toBe(200);
      expect(res.body.distribution['amazon:us:ashburn'].nodes).toHaveLength(1);
    });

    test('delete a final run', async () => {
      expect((await h.call('DELETE', `/cloud/v6/test_runs/${runId}`)).status).toBe(204);
      expect((await h.call('GET', `/cloud/v6/test_runs/${runId}`)).status).toBe(404);
    });

    test('viewers and other stacks cannot touch runs', async () => {
      const res = await h.call('GET', '/cloud/v6/test_runs?$top=1');
      const id = res.body.value[0].id;
      const stack = (await h.call('POST', '/admin/v1/stacks', { body: { name: `Runs ${kind}` }, stackId: null })).body;
      const tok = (await h.call('POST', `/admin/v1/stacks/${stack.id}/tokens`, { body: { name: 't' }, stackId: null })).body.token;
      expect((await h.call('GET', `/cloud/v6/test_runs/${id}`, { token: tok, stackId: stack.id })).status).toBe(404);
      expect((await h.call('POST', `/cloud/v6/test_runs/${id}/star`, { token: tok, stackId: stack.id })).status).toBe(404);
      expect((await h.call('GET', `/cloud/v6/test_runs/${id}/script`, { token: tok, stackId: stack.id })).status).toBe(404);
      expect((await h.call('GET', '/cloud/v6/test_runs', { token: tok, stackId: stack.id })).body.value).toEqual([]);
    });
  });

  describe('labels', () => {
    test('label keys: create (additive), list, rename, describe, delete; duplicates and taken names refused', async () => {
      const created = await h.call('POST', '/cloud/v6/labels', { body: { value: [{ key: 'environment', description: 'Environment being tested' }, { key: 'team' }] } });
      expect(created.status).toBe(201);
      expect(created.body.value).toEqual([
        { id: expect.any(Number), key: 'environment', description: 'Environment being tested' },
        { id: expect.any(Number), key: 'team', description: null },
      ]);
      const [env, team] = created.body.value as { id: number }[];
      expect((await h.call('POST', '/cloud/v6/labels', { body: { value: [{ key: 'cost_center' }] } })).status).toBe(201);
      expect((await h.call('GET', '/cloud/v6/labels')).body.value.map((k: { key: string }) => k.key)).toEqual(['environment', 'team', 'cost_center']);

      const twice = await h.call('POST', '/cloud/v6/labels', { body: { value: [{ key: 'a' }, { key: 'a' }] } });
      expect(twice.status).toBe(400);
      expect(twice.body.error.message).toMatch(/more than once/);
      expect((await h.call('POST', '/cloud/v6/labels', { body: { value: [{ key: 'team' }] } })).status).toBe(409);
      expect((await h.call('POST', '/cloud/v6/labels', { body: { value: [{ key: 'has space' }] } })).status).toBe(400);
      expect((await h.call('POST', '/cloud/v6/labels', { body: { value: [] } })).status).toBe(400);

      const renamed = await h.call('PATCH', `/cloud/v6/labels/${env?.id}`, { body: { key: 'env', description: 'Environment (dev, prod)' } });
      expect(renamed.status).toBe(200);
      expect(renamed.body).toEqual({ id: env?.id, key: 'env', description: 'Environment (dev, prod)' });
      expect((await h.call('PATCH', `/cloud/v6/labels/${env?.id}`, { body: { key: 'team' } })).status).toBe(409);
      expect((await h.call('PATCH', `/cloud/v6/labels/${env?.id}`, { body: { colour: 'red' } })).status).toBe(400);
      expect((await h.call('PATCH', '/cloud/v6/labels/999999', { body: { key: 'x' } })).status).toBe(404);
      expect((await h.call('DELETE', `/cloud/v6/labels/${team?.id}`)).status).toBe(204);
      expect((await h.call('DELETE', `/cloud/v6/labels/${team?.id}`)).status).toBe(404);
      expect((await h.call('GET', '/cloud/v6/labels')).body.value.map((k: { key: string }) => k.key)).toEqual(['env', 'cost_center']);
      expect((await h.call('GET', '/cloud/v6/labels', { token: null })).status).toBe(401);
    });

    test('project labels: replace by key id or name, list, remove one; unknown keys 400; deleting a key removes its labels', async () => {
      const project = (await h.call('POST', '/cloud/v6/projects', { body: { name: 'Labelled' } })).body;
      const keys = (await h.call('POST', '/cloud/v6/labels', { body: { value: [{ key: 'provider' }, { key: 'tier' }] } })).body.value as { id: number; key: string }[];
      const [provider, tier] = keys;
      const put = await h.call('PUT', `/cloud/v6/projects/${project.id}/labels`, { body: { value: [{ key_id: provider?.id, value: 'aws' }, { key: 'tier', value: 'gold' }] } });
      expect(put.status).toBe(200);
      expect(put.body.value).toEqual([{ key_id: provider?.id, key: 'provider', value: 'aws' }, { key_id: tier?.id, key: 'tier', value: 'gold' }]);
      expect((await h.call('GET', `/cloud/v6/projects/${project.id}/labels`)).body.value).toEqual([{ key: 'provider', value: 'aws' }, { key: 'tier', value: 'gold' }]);
      // The project itself shows them (ProjectApiModel.labels), alone and in lists; others have none.
      expect((await h.call('GET', `/cloud/v6/projects/${project.id}`)).body.labels).toEqual({ provider: 'aws', tier: 'gold' });
      const listed = (await h.call('GET', '/cloud/v6/projects')).body.value as { id: number; labels: Record<string, string> }[];
      expect(listed.find((p) => p.id === project.id)?.labels).toEqual({ provider: 'aws', tier: 'gold' });
      expect(listed.find((p) => p.id === h.projectId)?.labels).toEqual({});
      // A full replacement: what is not given goes.
      await h.call('PUT', `/cloud/v6/projects/${project.id}/labels`, { body: { value: [{ key: 'tier', value: 'silver' }] } });
      expect((await h.call('GET', `/cloud/v6/projects/${project.id}/labels`)).body.value).toEqual([{ key: 'tier', value: 'silver' }]);

      const unknown = await h.call('PUT', `/cloud/v6/projects/${project.id}/labels`, { body: { value: [{ key: 'nope', value: 'x' }] } });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.target).toBe('value.0.key');
      expect((await h.call('PUT', `/cloud/v6/projects/${project.id}/labels`, { body: { value: [{ key_id: 999999, value: 'x' }] } })).status).toBe(400);
      expect((await h.call('PUT', `/cloud/v6/projects/${project.id}/labels`, { body: { value: [{ key: 'tier', value: 'a' }, { key_id: tier?.id, value: 'b' }] } })).status).toBe(400);
      expect((await h.call('PUT', `/cloud/v6/projects/${project.id}/labels`, { body: { value: [{ key: 'tier', value: 'has space' }] } })).status).toBe(400);
      expect((await h.call('GET', `/cloud/v6/projects/${project.id}/labels`)).body.value).toEqual([{ key: 'tier', value: 'silver' }]);
      expect((await h.call('PUT', '/cloud/v6/projects/999999/labels', { body: { value: [] } })).status).toBe(404);
      expect((await h.call('GET', '/cloud/v6/projects/abc/labels')).status).toBe(404);

      expect((await h.call('DELETE', `/cloud/v6/projects/${project.id}/labels/provider`)).status).toBe(404);
      await h.call('PUT', `/cloud/v6/projects/${project.id}/labels`, { body: { value: [{ key: 'tier', value: 'gold' }, { key: 'provider', value: 'gcp' }] } });
      expect((await h.call('DELETE', `/cloud/v6/projects/${project.id}/labels/tier`)).status).toBe(204);
      expect((await h.call('GET', `/cloud/v6/projects/${project.id}/labels`)).body.value).toEqual([{ key: 'provider', value: 'gcp' }]);
      expect((await h.call('DELETE', `/cloud/v6/labels/${provider?.id}`)).status).toBe(204);
      expect((await h.call('GET', `/cloud/v6/projects/${project.id}/labels`)).body.value).toEqual([]);
    });

    test('viewers read labels but cannot change them; editors cannot rename or delete keys; other stacks see none', async () => {
      const stack = (await h.call('POST', '/admin/v1/stacks', { body: { name: `Labels ${kind}` }, stackId: null })).body;
      const roles: Record<string, string> = {};
      for (const role of ['viewer', 'editor']) {
        const user = (await h.call('POST', '/admin/v1/users', { body: { email: `labels-${role}-${kind}@example.com` }, stackId: null })).body;
        await h.call('PUT', `/admin/v1/stacks/${stack.id}/members/${user.id}`, { body: { role }, stackId: null });
        roles[role] = (await h.call('POST', `/admin/v1/users/${user.id}/tokens`, { body: { name: 't' }, stackId: null })).body.token;
      }
      const as = (role: string) => ({ token: roles[role] ?? '', stackId: stack.id as number });
      expect((await h.call('GET', '/cloud/v6/labels', as('viewer'))).body.value).toEqual([]);
      expect((await h.call('POST', '/cloud/v6/labels', { ...as('viewer'), body: { value: [{ key: 'k' }] } })).status).toBe(403);
      const key = (await h.call('POST', '/cloud/v6/labels', { ...as('editor'), body: { value: [{ key: 'k' }] } })).body.value[0];
      expect((await h.call('PATCH', `/cloud/v6/labels/${key.id}`, { ...as('editor'), body: { key: 'k2' } })).status).toBe(403);
      expect((await h.call('DELETE', `/cloud/v6/labels/${key.id}`, as('editor'))).status).toBe(403);
      expect((await h.call('PUT', `/cloud/v6/projects/${stack.default_project_id}/labels`, { ...as('editor'), body: { value: [{ key: 'k', value: 'v' }] } })).status).toBe(200);
      expect((await h.call('PUT', `/cloud/v6/projects/${stack.default_project_id}/labels`, { ...as('viewer'), body: { value: [] } })).status).toBe(403);
      // The first stack neither sees nor reaches them.
      expect((await h.call('GET', '/cloud/v6/labels')).body.value.map((k: { key: string }) => k.key)).not.toContain('k');
      expect((await h.call('PATCH', `/cloud/v6/labels/${key.id}`, { body: { key: 'mine' } })).status).toBe(404);
      expect((await h.call('GET', `/cloud/v6/projects/${stack.default_project_id}/labels`)).status).toBe(404);
    });
  });

  describe('allowed load zones, which Stampede does not act on', () => {
    test('every project may use every private zone: the lists say so, a PUT of anything else is a 400', async () => {
      const zone = (await h.call('POST', '/admin/v1/load_zones', { body: { k6_load_zone_id: `private-${kind}`, name: 'Private', public: false }, stackId: null })).body;
      const project = (await h.call('POST', '/cloud/v6/projects', { body: { name: 'Zoned' } })).body;
      const zones = await h.call('GET', `/cloud/v6/projects/${project.id}/allowed_load_zones`);
      expect(zones.status).toBe(200);
      expect(zones.body.value.map((z: { k6_load_zone_id: string }) => z.k6_load_zone_id)).toContain(`private-${kind}`);
      expect(zones.body.value.every((z: { public: boolean }) => !z.public)).toBe(true);
      const projects = await h.call('GET', `/cloud/v6/load_zones/${zone.id}/allowed_projects`);
      expect(projects.body.value).toContainEqual({ id: project.id, name: 'Zoned' });
      expect(projects.body.value).toContainEqual({ id: h.projectId, name: expect.any(String) });

      const same = await h.call('PUT', `/cloud/v6/projects/${project.id}/allowed_load_zones`, { body: { value: zones.body.value.map((z: { id: number }) => ({ id: z.id })) } });
      expect(same.status).toBe(200);
      const narrower = await h.call('PUT', `/cloud/v6/load_zones/${zone.id}/allowed_projects`, { body: { value: [{ id: project.id }] } });
      expect(narrower.status).toBe(400);
      expect(narrower.body.error.message).toMatch(/does not restrict load zones/);
      expect((await h.call('PUT', `/cloud/v6/projects/${project.id}/allowed_load_zones`, { body: { value: 'all' } })).status).toBe(400);
      expect((await h.call('GET', '/cloud/v6/projects/999999/allowed_load_zones')).status).toBe(404);
      expect((await h.call('GET', '/cloud/v6/load_zones/999999/allowed_projects')).status).toBe(404);
      expect((await h.call('GET', `/cloud/v6/load_zones/${zone.id}/allowed_projects`, { token: null })).status).toBe(401);
      expect((await h.call('DELETE', `/admin/v1/load_zones/${zone.id}`, { stackId: null })).status).toBe(204);
    });
  });

  describe('validate_options, load zones, spec', () => {
    test('validate_options answers the VUh estimate with its breakdown', async () => {
      const res = await h.call('POST', '/cloud/v6/validate_options', { body: { options: { vus: 10, duration: '90s' } } });
      expect(res.status).toBe(200);
      // 10 VUs × ceil(120 s / 60) = 2 minutes → 20 VU-minutes = 0.3333 VUh
      expect(res.body.vuh_usage).toBeCloseTo(20 / 60, 3);
      expect(res.body.breakdown).toMatchObject({ browser_vuh: 0, reduction_rate: 0 });
    });

    test('validate_options rejects bad options, unknown projects, zones and broken limits', async () => {
      expect((await h.call('POST', '/cloud/v6/validate_options', { body: { options: { vus: 'many' } } })).status).toBe(400);
      expect((await h.call('POST', '/cloud/v6/validate_options', { body: { project_id: 999999, options: {} } })).status).toBe(400);
      expect((await h.call('POST', '/cloud/v6/validate_options', { body: {} })).status).toBe(400);
      const zone = await h.call('POST', '/cloud/v6/validate_options', { body: { options: { cloud: { distribution: { x: { loadZone: 'mars:1', percent: 100 } } } } } });
      expect(zone.status).toBe(400);
      await h.call('PATCH', `/cloud/v6/projects/${h.projectId}/limits`, { body: { vu_max_per_test: 5 } });
      const over = await h.call('POST', '/cloud/v6/validate_options', { body: { options: { vus: 10, cloud: { projectID: h.projectId } } } });
      expect(over.status).toBe(400);
      expect(over.body.error.message).toMatch(/vu_max_per_test/);
      await h.call('PATCH', `/cloud/v6/projects/${h.projectId}/limits`, { body: { vu_max_per_test: null } });
    });

    test('load zones list and filter', async () => {
      const all = await h.call('GET', '/cloud/v6/load_zones');
      expect(all.status).toBe(200);
      expect(all.body.value.length).toBeGreaterThan(0);
      const id = all.body.value[0].k6_load_zone_id;
      expect((await h.call('GET', `/cloud/v6/load_zones?k6_load_zone_id=${encodeURIComponent(id)}`)).body.value).toHaveLength(1);
      expect((await h.call('GET', '/cloud/v6/load_zones?k6_load_zone_id=nowhere')).body.value).toHaveLength(0);
    });

    test('the spec is served, unknown routes are a JSON 404', async () => {
      const spec = await h.call('GET', '/cloud/v6/openapi', { token: null, stackId: null });
      expect(spec.status).toBe(200);
      expect(String(spec.body)).toMatch(/^openapi: 3\.1/);
      // Grafana's docs link the spec into the Swagger editor, which fetches it from the browser.
      const fromEditor = await h.call('GET', '/cloud/v6/openapi', { token: null, stackId: null, headers: { origin: 'https://editor-next.swagger.io', accept: 'application/json' } });
      expect(fromEditor.headers['access-control-allow-origin']).toBe('*');
      expect(fromEditor.body).toMatchObject({ openapi: expect.stringMatching(/^3\.1/) });
      const missing = await h.call('GET', '/cloud/v6/nothing-here');
      expect(missing.status).toBe(404);
      expect(missing.body.error.code).toBe('not_found');
    });
  });

  // What an independent client (curl, a Python script, a generated OpenAPI client) runs into.
  describe('as an independent client sends it', () => {
    const json = { 'content-type': 'application/json' };

    test('an empty name filter is no filter, as Go\'s generated client sends an unset one (Terraform\'s grafana_k6_projects without name)', async () => {
      await h.call('POST', '/cloud/v6/projects', { body: { name: 'Empty filter' } });
      const all = await h.call('GET', '/cloud/v6/projects?$count=true');
      const empty = await h.call('GET', '/cloud/v6/projects?name=&$count=true');
      expect(empty.status).toBe(200);
      expect(empty.body['@count']).toBe(all.body['@count']);
      expect(empty.body.value.map((p: { id: number }) => p.id)).toEqual(all.body.value.map((p: { id: number }) => p.id));
      await createLoadTest(h, 'Empty filter test');
      const tests = await h.call('GET', '/cloud/v6/load_tests?$count=true');
      expect(tests.body['@count']).toBeGreaterThan(0);
      expect((await h.call('GET', '/cloud/v6/load_tests?name=&$count=true')).body['@count']).toBe(tests.body['@count']);
      const inProject = await h.call('GET', `/cloud/v6/projects/${h.projectId}/load_tests?$count=true`);
      expect((await h.call('GET', `/cloud/v6/projects/${h.projectId}/load_tests?name=&$count=true`)).body['@count']).toBe(inProject.body['@count']);
      expect((await h.call('GET', `/cloud/v6/projects?name=${encodeURIComponent('Empty filter')}`)).body.value).toHaveLength(1);
    });

    test('integers beyond ±(2^53−1) and numbers beyond a double are 400 naming the field, never stored', async () => {
      const limits = `/cloud/v6/projects/${h.projectId}/limits`;
      const huge = await h.call('PATCH', limits, { payload: '{"vu_max_per_test": 99999999999999999999}', headers: json });
      expect(huge.status).toBe(400);
      expect(huge.body.error).toMatchObject({ code: 'validation_error', target: 'vu_max_per_test' });
      expect((await h.call('GET', limits)).body.vu_max_per_test).toBeNull();
      const lt = (await createLoadTest(h, 'Huge numbers')).body;
      const version = await h.call('PATCH', `/cloud/v6/load_tests/${lt.id}`, { payload: '{"k6_version": 1e23}', headers: json });
      expect(version.status).toBe(400);
      expect(version.body.error.target).toBe('k6_version');
      expect((await h.call('GET', `/cloud/v6/load_tests/${lt.id}`)).body.k6_version).toBeNull();
      const infinite = await h.call('POST', '/cloud/v6/validate_options', { payload: '{"options": {"vus": 1e400, "duration": "1m"}}', headers: json });
      expect(infinite.status).toBe(400);
      expect(infinite.body.error).toMatchObject({ code: 'validation_error', target: 'options.vus' });
    });

    test('integers the spec leaves without a format stay within int32, as generated clients (Terraform\'s Go client) read them', async () => {
      const limits = `/cloud/v6/projects/${h.projectId}/limits`;
      const over = await h.call('PATCH', limits, { body: { vu_max_per_test: 2 ** 31 } });
      expect(over.status).toBe(400);
      expect(over.body.error).toMatchObject({ target: 'vu_max_per_test' });
      expect(over.body.error.message).toMatch(/2147483647/);
      expect((await h.call('PATCH', limits, { body: { vu_max_per_test: 2 ** 31 - 1 } })).status).toBe(204);
      expect((await h.call('GET', limits)).body.vu_max_per_test).toBe(2 ** 31 - 1);
      await h.call('PATCH', limits, { body: { vu_max_per_test: null } });
      const form = multipartBody({ name: 'Big version', script: script('v'), k6_version: String(2 ** 31) });
      const created = await h.call('POST', `/cloud/v6/projects/${h.projectId}/load_tests`, { payload: form.payload, headers: { 'content-type': form.contentType } });
      expect(created.status).toBe(400);
      expect(created.body.error.target).toBe('k6_version');
    });

    test('JSON nested deeper than any k6 options object is a 400, not a 500', async () => {
      const depth = 20_000;
      const payload = `{"options": ${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;
      const res = await h.call('POST', '/cloud/v6/validate_options', { payload, headers: json });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_error');
    });

    test('a known path asked with a method it does not offer is 405 with Allow; unknown paths stay 404', async () => {
      const abort = await h.call('GET', '/cloud/v6/test_runs/1/abort');
      expect(abort.status).toBe(405);
      expect(abort.headers['allow']).toBe('POST');
      expect(abort.body.error.code).toBe('error');
      expect(abort.body.error.message).toMatch(/GET is not allowed/);
      const projects = await h.call('PUT', '/cloud/v6/projects/');
      expect(projects.status).toBe(405);
      expect(String(projects.headers['allow']).split(', ').sort()).toEqual(['GET', 'HEAD', 'POST']);
      expect((await h.call('DELETE', '/cloud/v6/nothing-here')).status).toBe(404);
    });

    test('query booleans in any case, as Python clients send True and False', async () => {
      const counted = await h.call('GET', '/cloud/v6/projects?$count=True');
      expect(counted.status).toBe(200);
      expect(counted.body['@count']).toBeGreaterThan(0);
      const lt = (await createLoadTest(h, 'Bool case')).body;
      expect((await h.call('POST', `/cloud/v6/load_tests/${lt.id}/start`)).status).toBe(200);
      const unstarred = await h.call('GET', `/cloud/v6/load_tests/${lt.id}/test_runs?is_starred=FALSE&$count=TRUE`);
      expect(unstarred.status).toBe(200);
      expect(unstarred.body['@count']).toBe(1);
      expect((await h.call('GET', '/cloud/v6/projects?$count=yes')).status).toBe(400);
    });

    test('GET /auth resolves X-Stack-Url as k6 cloud login sends it (https://<stack>.grafana.net, by id or name)', async () => {
      const stack = (await h.call('POST', '/admin/v1/stacks', { body: { name: `Team Blue ${kind}` }, stackId: null })).body;
      const admin = await h.store.users.getByEmail('admin@stampede.local');
      expect((await h.call('PUT', `/admin/v1/stacks/${stack.id}/members/${admin?.id}`, { body: { role: 'editor' }, stackId: null })).status).toBe(204);
      const byUrl = (url: string, token?: string) => h.call('GET', '/cloud/v6/auth', { stackId: null, headers: { 'x-stack-url': url }, ...(token !== undefined && { token }) });

      const byName = await byUrl(`https://team-blue-${kind}.grafana.net`);
      expect(byName.status).toBe(200);
      expect(byName.body).toEqual({ stack_id: stack.id, default_project_id: stack.default_project_id });
      expect((await byUrl(`https://${stack.id}.grafana.net/`)).body.stack_id).toBe(stack.id);
      expect((await byUrl(`team-blue-${kind}`)).body.stack_id).toBe(stack.id);
      // A URL naming no stack keeps the answer without one: the user's first stack.
      expect((await byUrl('https://nowhere.grafana.net')).body.stack_id).toBe(h.stackId);
      // X-Stack-Id, when sent as well, wins.
      expect((await h.call('GET', '/cloud/v6/auth', { headers: { 'x-stack-url': `https://${stack.id}.grafana.net` } })).body.stack_id).toBe(h.stackId);

      const firstStackToken = (await h.call('POST', `/admin/v1/stacks/${h.stackId}/tokens`, { body: { name: 'url' }, stackId: null })).body.token;
      expect((await byUrl(`https://team-blue-${kind}.grafana.net`, firstStackToken)).status).toBe(403);
      expect((await byUrl(`https://team-blue-${kind}.grafana.net`, 'stp_nope')).status).toBe(401);
    });

    test('text with NUL characters or lone surrogates is a 400 naming the field, on every store', async () => {
      const nul = await h.call('POST', '/cloud/v6/projects', { payload: '{"name": "x\\u0000y"}', headers: json });
      expect(nul.status).toBe(400);
      expect(nul.body.error).toMatchObject({ code: 'validation_error', target: 'name' });
      const surrogate = await h.call('POST', '/cloud/v6/projects', { payload: '{"name": "broken \\ud800"}', headers: json });
      expect(surrogate.status).toBe(400);
      expect(surrogate.body.error.target).toBe('name');
      const lt = (await createLoadTest(h, 'Text checks')).body;
      const form = multipartBody({ name: 'nul\u0000name', script: script('nul') });
      const created = await h.call('POST', `/cloud/v6/projects/${h.projectId}/load_tests`, { payload: form.payload, headers: { 'content-type': form.contentType } });
      expect(created.status).toBe(400);
      expect(created.body.error.target).toBe('name');
      const run = (await h.call('POST', `/cloud/v6/load_tests/${lt.id}/start`)).body;
      const note = await h.call('PATCH', `/cloud/v6/test_runs/${run.id}`, { payload: '{"note": "a\\u0000b"}', headers: json });
      expect(note.status).toBe(400);
      expect(note.body.error.target).toBe('note');
      const filter = await h.call('GET', '/cloud/v6/load_tests?name=a%00b');
      expect(filter.status).toBe(400);
      expect(filter.body.error.target).toBe('name');
    });

    test('project_id_in as a comma list (the spec) or repeated (as Python requests sends a list)', async () => {
      const other = (await h.call('POST', '/cloud/v6/projects', { body: { name: `Limits list ${kind}` } })).body;
      const ids = (res: { body: { value: { project_id: number }[] } }) => res.body.value.map((l) => l.project_id).sort((a, b) => a - b);
      const comma = await h.call('GET', `/cloud/v6/project-limits?project_id_in=${h.projectId},${other.id}`);
      expect(ids(comma)).toEqual([h.projectId, other.id]);
      const repeated = await h.call('GET', `/cloud/v6/project-limits?project_id_in=${h.projectId}&project_id_in=${other.id}`);
      expect(repeated.status).toBe(200);
      expect(ids(repeated)).toEqual([h.projectId, other.id]);
      const tooMany = Array.from({ length: 31 }, (_, i) => `project_id_in=${i + 1}`).join('&');
      expect((await h.call('GET', `/cloud/v6/project-limits?${tooMany}`)).status).toBe(400);
    });

    test('the script is served to generated OpenAPI clients, which send Accept: application/json; 406 only when another script type is asked for', async () => {
      // grafana/k6-cloud-openapi-client-go (under the Terraform provider) collapses the operation's
      // types [text/javascript, application/x-tar, application/json] to `Accept: application/json`.
      const js = (await createLoadTest(h, 'Accept json')).body;
      const generated = await h.call('GET', `/cloud/v6/load_tests/${js.id}/script`, { headers: { accept: 'application/json' } });
      expect(generated.status).toBe(200);
      expect(generated.headers['content-type']).toMatch(/^text\/javascript/);
      expect(generated.raw.toString()).toBe(script('Accept json'));
      expect((await h.call('GET', `/cloud/v6/load_tests/${js.id}/script`, { headers: { accept: 'text/javascript, application/x-tar, application/json' } })).status).toBe(200);
      const otherType = await h.call('GET', `/cloud/v6/load_tests/${js.id}/script`, { headers: { accept: 'application/x-tar, application/json' } });
      expect(otherType.status).toBe(406);
      expect((await h.call('GET', `/cloud/v6/load_tests/${js.id}/script`, { headers: { accept: 'text/javascript;q=0, */*' } })).status).toBe(406);
    });

    test('201 answers name the created resource in Location (RFC 9110 §15.3.2), an absolute URL a client can GET', async () => {
      const project = await h.call('POST', '/cloud/v6/projects', { body: { name: `Located ${kind}` } });
      expect(project.status).toBe(201);
      expect(project.headers['location']).toMatch(new RegExp(`^http://localhost(:80)?/cloud/v6/projects/${project.body.id}$`));
      const lt = await createLoadTest(h, 'Located', script('located'), project.body.id);
      expect(lt.status).toBe(201);
      const location = String(lt.headers['location']);
      expect(location).toMatch(new RegExp(`^http://localhost(:80)?/cloud/v6/load_tests/${lt.body.id}$`));
      expect((await h.call('GET', new URL(location).pathname)).body).toEqual(lt.body);
    });

    test('401 answers carry WWW-Authenticate: Bearer (RFC 9110 §11.6.1 requires a challenge)', async () => {
      for (const token of [null, 'stp_nope']) {
        const res = await h.call('GET', '/cloud/v6/projects', { token });
        expect(res.status).toBe(401);
        expect(res.headers['www-authenticate']).toBe('Bearer realm="stampede"');
      }
      expect((await h.call('GET', '/cloud/v6/projects')).headers['www-authenticate']).toBeUndefined();
    });

    test('@nextLink stays a valid absolute URL when the Host header is missing or malformed', async () => {
      await h.call('POST', '/cloud/v6/projects', { body: { name: `Paged host ${kind}` } });
      for (const host of ['a b', '', 'x/y?z']) {
        const res = await h.call('GET', '/cloud/v6/projects?$top=1', { headers: { host } });
        expect(res.status).toBe(200);
        const next = new URL(res.body['@nextLink']);
        expect(next.pathname).toBe('/cloud/v6/projects');
        expect(next.searchParams.get('$skip')).toBe('1');
      }
    });

    test('operations without a request body ignore whatever body and type come along (curl -d \'\' sends a form type)', async () => {
      const lt = (await createLoadTest(h, 'Any body')).body;
      const form = { 'content-type': 'application/x-www-form-urlencoded' };
      const start = await h.call('POST', `/cloud/v6/load_tests/${lt.id}/start`, { payload: '', headers: form });
      expect(start.status).toBe(200);
      expect((await h.call('POST', `/cloud/v6/test_runs/${start.body.id}/star`, { payload: 'x', headers: { 'content-type': 'text/plain' } })).status).toBe(204);
      expect((await h.call('POST', `/cloud/v6/test_runs/${start.body.id}/abort`, { payload: '{}', headers: form })).status).toBe(204);
      // Malformed JSON text is ignored too, as the operation reads no body.
      expect((await h.call('POST', `/cloud/v6/test_runs/${start.body.id}/unstar`, { payload: '{not json', headers: { 'content-type': 'application/json' } })).status).toBe(204);
      expect((await h.call('DELETE', '/cloud/v6/test_runs/999999', { payload: '{not json', headers: { 'content-type': 'application/json' } })).status).toBe(404);
      // Operations that read a JSON body still refuse other types: a 400 naming Content-Type, as they document no 415.
      const patch = await h.call('PATCH', `/cloud/v6/projects/${h.projectId}`, { payload: '{"name":"x"}', headers: form });
      expect(patch.status).toBe(400);
      expect(patch.body.error.target).toBe('Content-Type');
      expect((await h.call('POST', '/cloud/v6/validate_options', { payload: 'options=1', headers: form })).status).toBe(400);
      expect((await h.call('POST', '/admin/v1/users', { payload: 'a@b.c', headers: { 'content-type': 'text/plain' }, stackId: null })).status).toBe(415);
    });

    test('created_after/created_before typed as in the docs, with a raw + offset, keep the offset', async () => {
      const lt = (await createLoadTest(h, 'Raw plus')).body;
      expect((await h.call('POST', `/cloud/v6/load_tests/${lt.id}/start`)).status).toBe(200);
      // An unencoded `+` in a query string decodes as a space: `…00:00 00:00` can only mean +00:00.
      const after = await h.call('GET', `/cloud/v6/load_tests/${lt.id}/test_runs?created_after=2025-08-01T12:00:00+00:00`);
      expect(after.status).toBe(200);
      expect(after.body.value).toHaveLength(1);
      const before = await h.call('GET', `/cloud/v6/test_runs?created_before=2025-08-31T12:00:00+02:00`);
      expect(before.status).toBe(200);
      expect(before.body.value).toHaveLength(0);
    });
  });
});

describe('limits and links that depend on configuration', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness('sqlite', { bodyLimitBytes: 2048, publicUrl: 'https://load.example.com' });
  });
  afterAll(async () => h.close());

  it('bodies over the limit are refused with a status the operation documents: 400 in v6, 413 in the admin API', async () => {
    const json = await h.call('POST', '/cloud/v6/projects', { body: { name: 'x'.repeat(5000) } });
    expect(json.status).toBe(400);
    expect(json.body.error.message).toMatch(/too large/);
    const big = await createLoadTest(h, 'Big', 'x'.repeat(5000));
    expect(big.status).toBe(400);
    const lt = (await createLoadTest(h, 'Small')).body;
    const put = await h.call('PUT', `/cloud/v6/load_tests/${lt.id}/script`, { payload: 'y'.repeat(5000), headers: { 'content-type': 'application/octet-stream' } });
    expect(put.status).toBe(400);
    expect((await h.call('POST', '/admin/v1/users', { body: { email: `${'x'.repeat(5000)}@example.com` }, stackId: null })).status).toBe(413);
    // Operations without a request body ignore one of any size.
    const run = await h.call('POST', `/cloud/v6/load_tests/${lt.id}/start`, { payload: 'z'.repeat(5000), headers: { 'content-type': 'application/octet-stream' } });
    expect(run.status).toBe(200);
    expect((await h.call('POST', `/cloud/v6/test_runs/${run.body.id}/star`, { payload: JSON.stringify({ pad: 'z'.repeat(5000) }), headers: { 'content-type': 'application/json' } })).status).toBe(204);
    expect((await h.call('GET', `/cloud/v6/test_runs/${run.body.id}`)).body.is_starred).toBe(true);
  });

  it('a stack holds at most 1000 projects; project lists page over all of them', async () => {
    const stack = (await h.call('POST', '/admin/v1/stacks', { body: { name: 'Many' }, stackId: null })).body;
    for (let i = 1; i < 1000; i++) await h.store.projects.create(stack.id, `p${String(i).padStart(4, '0')}`);
    const tok = (await h.call('POST', `/admin/v1/stacks/${stack.id}/tokens`, { body: { name: 't' }, stackId: null })).body.token;
    const full = await h.call('POST', '/cloud/v6/projects', { token: tok, stackId: stack.id, body: { name: 'one too many' } });
    expect(full.status).toBe(409);
    expect(full.body.error.message).toMatch(/maximum number of projects \(1000\)/);
    const last = await h.call('GET', '/cloud/v6/projects?$orderby=name desc&$top=1&$count=true', { token: tok, stackId: stack.id });
    expect(last.body['@count']).toBe(1000);
    expect(last.body.value[0].name).toBe('p0999');
  });

  it('@nextLink and the details URL use STAMPEDE_PUBLIC_URL', async () => {
    await createLoadTest(h, 'Second');
    const res = await h.call('GET', '/cloud/v6/load_tests?$top=1');
    expect(res.body['@nextLink']).toBe('https://load.example.com/cloud/v6/load_tests?$top=1&$skip=1');
    const start = await h.call('POST', `/cloud/v6/load_tests/${res.body.value[0].id}/start`);
    expect(start.body.test_run_details_page_url).toBe(`https://load.example.com/a/k6-app/runs/${start.body.id}`);
  });
});
