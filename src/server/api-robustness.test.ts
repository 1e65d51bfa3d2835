// Hostile and odd input never produces a 500, and time-bound behaviour (the idempotency window)
// follows the clock. Runs over both stores like the behaviour suite.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, multipartBody, postgresAvailable, script } from './test-support/api-harness.ts';
import type { Harness, StoreKind } from './test-support/api-harness.ts';

const PG = await postgresAvailable();
const KINDS: { kind: StoreKind; enabled: boolean }[] = [
  { kind: 'sqlite', enabled: true },
  { kind: 'postgres', enabled: PG },
];

const ROUTES: [string, string][] = [
  ['GET', '/cloud/v6/projects/{id}'], ['PATCH', '/cloud/v6/projects/{id}'], ['DELETE', '/cloud/v6/projects/{id}'],
  ['GET', '/cloud/v6/projects/{id}/limits'], ['PATCH', '/cloud/v6/projects/{id}/limits'], ['GET', '/cloud/v6/projects/{id}/load_tests'],
  ['POST', '/cloud/v6/projects/{id}/load_tests'], ['POST', '/cloud/v6/projects'], ['GET', '/cloud/v6/load_tests/{id}'],
  ['PATCH', '/cloud/v6/load_tests/{id}'], ['DELETE', '/cloud/v6/load_tests/{id}'], ['PUT', '/cloud/v6/load_tests/{id}/move'],
  ['GET', '/cloud/v6/load_tests/{id}/script'], ['PUT', '/cloud/v6/load_tests/{id}/script'], ['POST', '/cloud/v6/load_tests/{id}/start'],
  ['GET', '/cloud/v6/load_tests/{id}/test_runs'], ['GET', '/cloud/v6/test_runs/{id}'], ['PATCH', '/cloud/v6/test_runs/{id}'],
  ['DELETE', '/cloud/v6/test_runs/{id}'], ['POST', '/cloud/v6/test_runs/{id}/abort'], ['POST', '/cloud/v6/test_runs/{id}/save'],
  ['POST', '/cloud/v6/test_runs/{id}/star'], ['GET', '/cloud/v6/test_runs/{id}/script'], ['GET', '/cloud/v6/test_runs/{id}/distribution'],
  ['POST', '/cloud/v6/validate_options'], ['PUT', '/admin/v1/stacks/{id}/members/{id}'], ['POST', '/admin/v1/users/{id}/tokens'],
];
const IDS = ['1', '-5', '%00', '%E0%A4%A', 'x'.repeat(300), '9007199254740993', "1'%20OR%201=1"];
const BODIES: { payload: string; type: string }[] = [
  { payload: '{', type: 'application/json' },
  { payload: 'null', type: 'application/json' },
  { payload: '[]', type: 'application/json' },
  { payload: '"str"', type: 'application/json' },
  { payload: '{"name": {"$gt": ""}, "note": 1e400, "project_id": 1.5, "options": null}', type: 'application/json' },
  { payload: '{"__proto__": {"admin": true}, "name": "x"}', type: 'application/json' },
  { payload: 'name=x', type: 'application/x-www-form-urlencoded' },
  { payload: '<xml/>', type: 'application/xml' },
  { payload: '--broken\r\n', type: 'multipart/form-data; boundary=broken' },
];

describe.each(KINDS)('robustness over $kind', ({ kind, enabled }) => {
  let h: Harness;
  let clock = new Date('2026-01-01T00:00:00Z').getTime();
  beforeAll(async () => {
    if (enabled) h = await createHarness(kind, {}, () => new Date(clock));
  });
  afterAll(async () => {
    if (enabled) await h?.close();
  });
  const test = it.skipIf(!enabled);

  test('no combination of bad ids, bodies and query strings answers 500', async () => {
    const statuses = new Set<number>();
    for (const [method, template] of ROUTES) {
      for (const id of IDS) {
        const url = template.replace(/\{id\}/g, id);
        for (const body of [undefined, ...BODIES]) {
          const res = await h.call(method, `${url}?$top=${id}&created_after=${id}`, body === undefined ? {} : { payload: body.payload, headers: { 'content-type': body.type } });
          expect(res.status, `${method} ${url} ${body?.payload ?? ''}`).toBeLessThan(500);
          statuses.add(res.status);
        }
      }
    }
    expect([...statuses].every((s) => s >= 200 && s < 500)).toBe(true);
    expect(statuses.has(400)).toBe(true);
  });

  test('odd headers: duplicate stack ids, huge idempotency keys, bogus Accept', async () => {
    expect((await h.call('GET', '/cloud/v6/projects', { stackId: '1, 2' })).status).toBe(400);
    expect((await h.call('GET', '/cloud/v6/projects', { stackId: '99999999999999999999' })).status).toBe(400);
    const form = multipartBody({ name: 'Headers', script: script() });
    const lt = await h.call('POST', `/cloud/v6/projects/${h.projectId}/load_tests`, { payload: form.payload, headers: { 'content-type': form.contentType } });
    // A garbled Accept names no script type: it is disregarded and the script served.
    expect((await h.call('GET', `/cloud/v6/load_tests/${lt.body.id}/script`, { headers: { accept: ';;;,,q=x' } })).status).toBe(200);
    expect((await h.call('GET', `/cloud/v6/load_tests/${lt.body.id}/script`, { headers: { accept: 'text/javascript;q=x' } })).status).toBe(406);
    expect((await h.call('GET', `/cloud/v6/load_tests/${lt.body.id}/script`, { headers: { accept: 'text/*;q=0.5' } })).status).toBe(200);
  });

  // Found by the bad-input sweep (api-bad-input.test.ts, case "a multipart body without a boundary").
  test('a multipart body whose Content-Type names no boundary is a 400 naming the body', async () => {
    const form = multipartBody({ name: 'Boundary', script: script() });
    const lt = await h.call('POST', `/cloud/v6/projects/${h.projectId}/load_tests`, { payload: form.payload, headers: { 'content-type': form.contentType } });
    for (const url of [`/cloud/v6/projects/${h.projectId}/load_tests`, `/cloud/v6/load_tests/${lt.body.id}/script`]) {
      const res = await h.call(url.endsWith('script') ? 'PUT' : 'POST', url, { payload: form.payload, headers: { 'content-type': 'multipart/form-data' } });
      expect(res.status, url).toBe(400);
      expect(res.body.error.target).toBe('body');
    }
    expect((await h.call('GET', `/cloud/v6/load_tests/${lt.body.id}/script`)).raw.toString()).toBe(script());
  });

  // Found by the bad-input sweep (api-bad-input.test.ts, case "path key=%00", PostgreSQL).
  test('a label key holding a NUL character in the path names no label: 404 (PostgreSQL cannot even look it up)', async () => {
    for (const key of ['%00', 'a%00b']) {
      const res = await h.call('DELETE', `/cloud/v6/projects/${h.projectId}/labels/${key}`);
      expect(res.status, key).toBe(404);
    }
  });

  test('an idempotency key holds for 10 minutes, then starts a new run', async () => {
    const form = multipartBody({ name: 'Idem', script: script() });
    const lt = await h.call('POST', `/cloud/v6/projects/${h.projectId}/load_tests`, { payload: form.payload, headers: { 'content-type': form.contentType } });
    const headers = { 'k6-idempotency-key': 'retry-me' };
    const first = await h.call('POST', `/cloud/v6/load_tests/${lt.body.id}/start`, { headers });
    clock += 9 * 60_000;
    expect((await h.call('POST', `/cloud/v6/load_tests/${lt.body.id}/start`, { headers })).body.id).toBe(first.body.id);
    clock += 2 * 60_000;
    const later = await h.call('POST', `/cloud/v6/load_tests/${lt.body.id}/start`, { headers });
    expect(later.status).toBe(200);
    expect(later.body.id).not.toBe(first.body.id);
  });
});
