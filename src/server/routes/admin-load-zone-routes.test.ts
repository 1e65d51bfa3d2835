// The admin API's load zones as an operator and the v6 clients see them, over both stores. The harness
// checks every v6 answer against the spec and every error against the ErrorResponse shape.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, multipartBody, postgresAvailable } from '../test-support/api-harness.ts';
import type { Harness, StoreKind } from '../test-support/api-harness.ts';

const PG = await postgresAvailable();
const KINDS: { kind: StoreKind; enabled: boolean }[] = [
  { kind: 'sqlite', enabled: true },
  { kind: 'postgres', enabled: PG },
];

const DEFAULT_ZONE = { name: 'Stampede local runners', k6_load_zone_id: 'amazon:us:ashburn', available: true, public: true, custom_load_runner_image: null, default: true };
const twoZones = (other: string) => ({ us: { loadZone: 'amazon:us:ashburn', percent: 60 }, other: { loadZone: other, percent: 40 } });

describe.each(KINDS)('admin load zones over $kind', ({ kind, enabled }) => {
  let h: Harness;
  beforeAll(async () => {
    if (enabled) h = await createHarness(kind);
  });
  afterAll(async () => {
    if (enabled) await h?.close();
  });
  const test = it.skipIf(!enabled);
  const admin = (method: string, path: string, body?: unknown) => h.call(method, `/admin/v1${path}`, { stackId: null, ...(body !== undefined && { body }) });
  const validate = (distribution: unknown) => h.call('POST', '/cloud/v6/validate_options', { body: { options: { vus: 5, duration: '10s', cloud: { distribution } } } });

  test('lists the seeded default zone', async () => {
    const res = await admin('GET', '/load_zones');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ value: [{ id: expect.any(Number), ...DEFAULT_ZONE }] });
  });

  test('a created zone is listed by the v6 API and accepted in a distribution', async () => {
    expect((await validate(twoZones('amazon:de:frankfurt'))).body.error).toMatchObject({ code: 'validation_error', target: 'options.cloud.distribution', message: expect.stringContaining('unknown load zone "amazon:de:frankfurt"') });

    const created = await admin('POST', '/load_zones', { name: 'Frankfurt runners', k6_load_zone_id: 'amazon:de:frankfurt' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.any(Number), name: 'Frankfurt runners', k6_load_zone_id: 'amazon:de:frankfurt', available: true, public: true, custom_load_runner_image: null, default: false });
    expect((await admin('GET', `/load_zones/${created.body.id}`)).body).toEqual(created.body);

    const v6 = await h.call('GET', '/cloud/v6/load_zones?k6_load_zone_id=amazon:de:frankfurt');
    expect(v6.status).toBe(200);
    const { default: _default, ...asV6 } = created.body;
    expect(v6.body).toEqual({ value: [asV6] });
    expect((await h.call('GET', '/cloud/v6/load_zones')).body.value).toHaveLength(2);

    const ok = await validate(twoZones('amazon:de:frankfurt'));
    expect(ok.status).toBe(200);
    expect(ok.body.vuh_usage).toBeGreaterThan(0);
    expect((await admin('DELETE', `/load_zones/${created.body.id}`)).status).toBe(204);
    expect((await h.call('GET', '/cloud/v6/load_zones')).body.value).toHaveLength(1);
  });

  test('updates a zone; an unavailable zone stays listed but cannot carry runs', async () => {
    const zone = (await admin('POST', '/load_zones', { name: 'Tokyo', k6_load_zone_id: 'amazon:jp:tokyo', public: false, custom_load_runner_image: 'grafana/k6:latest' })).body;
    expect(zone).toMatchObject({ public: false, custom_load_runner_image: 'grafana/k6:latest' });
    const updated = await admin('PATCH', `/load_zones/${zone.id}`, { name: 'Tokyo (paused)', available: false });
    expect(updated.status).toBe(200);
    expect(updated.body).toEqual({ ...zone, name: 'Tokyo (paused)', available: false });
    expect((await h.call('GET', '/cloud/v6/load_zones?k6_load_zone_id=amazon:jp:tokyo')).body.value[0]).toMatchObject({ name: 'Tokyo (paused)', available: false });
    const refused = await validate(twoZones('amazon:jp:tokyo'));
    expect(refused.status).toBe(400);
    expect(refused.body.error.details).toEqual([expect.objectContaining({ target: 'options.cloud.distribution.other.loadZone', message: 'load zone "amazon:jp:tokyo" is not available for runs now; available: amazon:us:ashburn' })]);

    const renamed = await admin('PATCH', `/load_zones/${zone.id}`, { k6_load_zone_id: 'amazon:jp:osaka', available: true, public: true, custom_load_runner_image: null });
    expect(renamed.body).toMatchObject({ k6_load_zone_id: 'amazon:jp:osaka', available: true, public: true, custom_load_runner_image: null });
    expect((await validate(twoZones('amazon:jp:osaka'))).status).toBe(200);
    expect((await admin('DELETE', `/load_zones/${zone.id}`)).status).toBe(204);
    expect((await admin('GET', `/load_zones/${zone.id}`)).status).toBe(404);
    expect((await admin('PATCH', `/load_zones/${zone.id}`, { name: 'x' })).status).toBe(404);
    expect((await admin('DELETE', `/load_zones/${zone.id}`)).status).toBe(404);
  });

  test('bad bodies are 400s naming the field, a duplicate k6 id a 409', async () => {
    const expectProblem = async (method: string, path: string, body: unknown, target: string, message: RegExp) => {
      const res = await admin(method, path, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('validation_error');
      expect(res.body.error.details, JSON.stringify(body)).toContainEqual(expect.objectContaining({ target, message: expect.stringMatching(message) }));
    };
    await expectProblem('POST', '/load_zones', { name: 'Paris', k6_load_zone_id: 'Paris Zone' }, 'k6_load_zone_id', /not a load zone id.*like amazon:us:ashburn/);
    await expectProblem('POST', '/load_zones', { name: 'Paris', k6_load_zone_id: 'dc::paris' }, 'k6_load_zone_id', /not a load zone id/);
    await expectProblem('POST', '/load_zones', { name: 'Paris', k6_load_zone_id: 42 }, 'k6_load_zone_id', /must be a string/);
    await expectProblem('POST', '/load_zones', { k6_load_zone_id: 'dc:paris' }, 'name', /name is required/);
    await expectProblem('POST', '/load_zones', { name: 'Paris' }, 'k6_load_zone_id', /k6_load_zone_id is required/);
    await expectProblem('POST', '/load_zones', { name: ' ', k6_load_zone_id: 'dc:paris' }, 'name', /non-empty/);
    await expectProblem('POST', '/load_zones', { name: 'Paris', k6_load_zone_id: 'dc:paris', available: 'yes' }, 'available', /true or false/);
    await expectProblem('POST', '/load_zones', { name: 'Paris', k6_load_zone_id: 'dc:paris', region: 'eu' }, 'region', /Unknown field "region"/);
    await expectProblem('POST', '/load_zones', { name: 'Paris', k6_load_zone_id: 'dc:paris', custom_load_runner_image: 'img:1' }, 'custom_load_runner_image', /only be set on a private zone/);
    await expectProblem('POST', '/load_zones', [], 'body', /JSON object/);
    const first = (await admin('GET', '/load_zones')).body.value[0];
    await expectProblem('PATCH', `/load_zones/${first.id}`, {}, 'body', /at least one of/);
    await expectProblem('PATCH', `/load_zones/${first.id}`, { default: false }, 'default', /Unknown field/);
    expect((await admin('GET', '/load_zones/abc')).status).toBe(400);
    expect((await admin('DELETE', '/load_zones/-1')).status).toBe(400);

    const dup = await admin('POST', '/load_zones', { name: 'Another Ashburn', k6_load_zone_id: 'amazon:us:ashburn' });
    expect(dup.status).toBe(409);
    expect(dup.body.error).toMatchObject({ code: 'conflict', message: 'A load zone with k6_load_zone_id "amazon:us:ashburn" already exists' });
    const paris = (await admin('POST', '/load_zones', { name: 'Paris', k6_load_zone_id: 'dc:paris' })).body;
    expect((await admin('PATCH', `/load_zones/${paris.id}`, { k6_load_zone_id: 'amazon:us:ashburn' })).status).toBe(409);
    expect((await admin('DELETE', `/load_zones/${paris.id}`)).status).toBe(204);
  });

  test('the default and the last zone stay, with the reason', async () => {
    const first = (await admin('GET', '/load_zones')).body.value[0];
    const last = await admin('DELETE', `/load_zones/${first.id}`);
    expect(last.status).toBe(409);
    expect(last.body.error.message).toBe("Load zone amazon:us:ashburn is the installation's last load zone: runs need at least one");
    const other = (await admin('POST', '/load_zones', { name: 'Berlin', k6_load_zone_id: 'dc:berlin' })).body;
    const dflt = await admin('DELETE', `/load_zones/${first.id}`);
    expect(dflt.status).toBe(409);
    expect(dflt.body.error.message).toMatch(/is the default zone \(runs without options.cloud.distribution run in it\) and cannot be removed/);
    const unavailable = await admin('PATCH', `/load_zones/${first.id}`, { available: false });
    expect(unavailable.status).toBe(409);
    expect(unavailable.body.error.message).toMatch(/must stay available/);
    expect((await admin('DELETE', `/load_zones/${other.id}`)).status).toBe(204);
  });

  test('a zone a queued run needs stays until the run has ended', async () => {
    const zone = (await admin('POST', '/load_zones', { name: 'Sydney', k6_load_zone_id: 'amazon:au:sydney' })).body;
    const source = `export const options = { vus: 2, cloud: { distribution: ${JSON.stringify(twoZones('amazon:au:sydney'))} } };\nexport default function () {}\n`;
    const form = multipartBody({ name: 'two zones', script: { filename: 'test.js', data: Buffer.from(source) } });
    const test = await h.call('POST', `/cloud/v6/projects/${h.projectId}/load_tests`, { payload: form.payload, headers: { 'content-type': form.contentType } });
    const run = await h.call('POST', `/cloud/v6/load_tests/${test.body.id}/start`);
    expect(run.body.status).toBe('queued');

    const busy = await admin('DELETE', `/load_zones/${zone.id}`);
    expect(busy.status).toBe(409);
    expect(busy.body.error.message).toBe(`Load zone amazon:au:sydney cannot be removed while unfinished test runs need it (run ${run.body.id}); wait for them to end or abort them`);
    expect((await admin('PATCH', `/load_zones/${zone.id}`, { available: false })).status).toBe(409);
    expect((await admin('PATCH', `/load_zones/${zone.id}`, { k6_load_zone_id: 'amazon:au:melbourne' })).status).toBe(409);
    expect((await admin('PATCH', `/load_zones/${zone.id}`, { name: 'Sydney runners' })).status).toBe(200);

    expect((await h.call('POST', `/cloud/v6/test_runs/${run.body.id}/abort`)).status).toBe(204);
    expect((await admin('DELETE', `/load_zones/${zone.id}`)).status).toBe(204);
  });

  test('hostile ids and bodies are 4xx, never 500, and change nothing', async () => {
    const ids = ['-5', '%00', 'x'.repeat(300), '9007199254740993', "1'%20OR%201=1", '1.5'];
    const bodies = ['{', 'null', '[]', '"str"', '{"__proto__": {"default": true}, "name": "x", "k6_load_zone_id": "dc:x"}', '{"name": {"$gt": ""}, "k6_load_zone_id": ["a"], "available": 1e400}'];
    for (const id of ids) {
      for (const method of ['GET', 'PATCH', 'DELETE']) {
        const res = await h.call(method, `/admin/v1/load_zones/${id}`, { stackId: null, payload: '{"name": "x"}', headers: { 'content-type': 'application/json' } });
        expect(res.status, `${method} ${id}`).toBeGreaterThanOrEqual(400);
        expect(res.status, `${method} ${id}`).toBeLessThan(500);
      }
    }
    for (const payload of bodies) {
      const res = await h.call('POST', '/admin/v1/load_zones', { stackId: null, payload, headers: { 'content-type': 'application/json' } });
      expect(res.status, payload).toBe(400);
    }
    expect((await admin('GET', '/load_zones')).body.value).toHaveLength(1);
  });

  test('only an admin of the first stack may manage zones', async () => {
    expect((await h.call('GET', '/admin/v1/load_zones', { token: null, stackId: null })).status).toBe(401);
    expect((await h.call('POST', '/admin/v1/load_zones', { token: 'stp_nope', stackId: null, body: { name: 'x', k6_load_zone_id: 'x' } })).status).toBe(401);
    const user = (await admin('POST', '/users', { email: `zones-editor-${kind}@example.com` })).body;
    await admin('PUT', `/stacks/${h.stackId}/members/${user.id}`, { role: 'editor' });
    const editor = (await admin('POST', `/users/${user.id}/tokens`, { name: 'e' })).body.token;
    const stackToken = (await admin('POST', `/stacks/${h.stackId}/tokens`, { name: 's' })).body.token;
    for (const token of [editor, stackToken]) {
      expect((await h.call('GET', '/admin/v1/load_zones', { token, stackId: null })).status).toBe(403);
      const res = await h.call('POST', '/admin/v1/load_zones', { token, stackId: null, body: { name: 'Rogue', k6_load_zone_id: 'dc:rogue' } });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('permission_denied');
    }
    // Everyone else still reads the zones through the v6 API.
    expect((await h.call('GET', '/cloud/v6/load_zones', { token: editor })).status).toBe(200);
    expect((await admin('GET', '/load_zones')).body.value.map((z: { k6_load_zone_id: string }) => z.k6_load_zone_id)).toEqual(['amazon:us:ashburn']);
  });
});
