// Conflicting requests at once: each is answered as if the requests had come one after another (a
// 2xx for the one that wins, a documented 4xx naming the conflict for the others), never a 5xx, and
// never a duplicate row. Runs over both stores. (The contract fuzz races names, label keys, deletes
// and a load test deleted while started; these are the remaining pairs a client can send.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, multipartBody, postgresAvailable, script } from './test-support/api-harness.ts';
import type { CallResult, Harness, StoreKind } from './test-support/api-harness.ts';

const PG = await postgresAvailable();
const KINDS: { kind: StoreKind; enabled: boolean }[] = [
  { kind: 'sqlite', enabled: true },
  { kind: 'postgres', enabled: PG },
];
const N = 6;

describe.each(KINDS)('concurrent conflicting requests over $kind', ({ kind, enabled }) => {
  let h: Harness;
  beforeAll(async () => {
    if (enabled) h = await createHarness(kind, { maxSavedRuns: 2 });
  });
  afterAll(async () => {
    if (enabled) await h?.close();
  });
  const test = it.skipIf(!enabled);
  const all = (n: number, call: (i: number) => Promise<CallResult>) => Promise.all(Array.from({ length: n }, (_, i) => call(i)));
  const statuses = (rs: CallResult[]) => rs.map((r) => r.status).sort();
  const createLoadTest = (projectId: number, name: string) => {
    const form = multipartBody({ name, script: { filename: 'test.js', data: Buffer.from(script(name)) } });
    return h.call('POST', `/cloud/v6/projects/${projectId}/load_tests`, { payload: form.payload, headers: { 'content-type': form.contentType } });
  };

  test('aborts of one run at once: the run is aborted once, every answer a 204 or a 409', async () => {
    const lt = await createLoadTest(h.projectId, `abort race ${kind}`);
    const run = await h.call('POST', `/cloud/v6/load_tests/${lt.body.id}/start`);
    const answers = await all(N, () => h.call('POST', `/cloud/v6/test_runs/${run.body.id}/abort`));
    expect(statuses(answers).every((s) => s === 204 || s === 409)).toBe(true);
    expect(answers.some((a) => a.status === 204)).toBe(true);
    const after = await h.call('GET', `/cloud/v6/test_runs/${run.body.id}`);
    expect(after.body.status).toBe('aborted');
    expect(after.body.status_history.filter((s: { type: string }) => s.type === 'aborted')).toHaveLength(1);
  });

  test('starts with the same idempotency key at once: one run, answered to every start', async () => {
    const lt = await createLoadTest(h.projectId, `idempotent race ${kind}`);
    const answers = await all(N, () => h.call('POST', `/cloud/v6/load_tests/${lt.body.id}/start`, { headers: { 'k6-idempotency-key': `race-${kind}` } }));
    expect(statuses(answers)).toEqual(Array(N).fill(200));
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect((await h.call('GET', `/cloud/v6/load_tests/${lt.body.id}/test_runs`)).body.value).toHaveLength(1);
  });

  test('local executions with the same idempotency key at once: one run', async () => {
    const lt = await createLoadTest(h.projectId, `local race ${kind}`);
    const body = { options: {}, max_vus: 1, total_duration: 10 };
    const answers = await all(N, () => h.call('POST', `/provisioning/v1/load_tests/${lt.body.id}/start_local_execution`, { body, headers: { 'k6-idempotency-key': `local-${kind}` } }));
    expect(statuses(answers)).toEqual(Array(N).fill(200));
    expect(new Set(answers.map((a) => a.body.test_run_id)).size).toBe(1);
    expect((await h.call('GET', `/cloud/v6/load_tests/${lt.body.id}/test_runs`)).body.value).toHaveLength(1);
  });

  test('load tests created with one name in one project at once: one is created, the rest are 409s', async () => {
    const answers = await all(N, () => createLoadTest(h.projectId, `same name ${kind}`));
    expect(statuses(answers)).toEqual([201, ...Array(N - 1).fill(409)]);
    expect((await h.call('GET', `/cloud/v6/projects/${h.projectId}/load_tests?name=${encodeURIComponent(`same name ${kind}`)}`)).body.value).toHaveLength(1);
  });

  test('projects and load tests renamed onto one name at once: one wins, the rest are 409s', async () => {
    const projects = await all(N, (i) => h.call('POST', '/cloud/v6/projects', { body: { name: `rename source ${kind} ${i}` } }));
    const renames = await all(N, (i) => h.call('PATCH', `/cloud/v6/projects/${projects[i]?.body.id}`, { body: { name: `rename target ${kind}` } }));
    expect(statuses(renames)).toEqual([204, ...Array(N - 1).fill(409)]);
    expect((await h.call('GET', `/cloud/v6/projects?name=${encodeURIComponent(`rename target ${kind}`)}`)).body.value).toHaveLength(1);
    const tests = await all(N, (i) => createLoadTest(h.projectId, `lt source ${kind} ${i}`));
    const ltRenames = await all(N, (i) => h.call('PATCH', `/cloud/v6/load_tests/${tests[i]?.body.id}`, { body: { name: `lt target ${kind}` } }));
    expect(statuses(ltRenames)).toEqual([204, ...Array(N - 1).fill(409)]);
    const moved = await createLoadTest(projects[0]?.body.id, `lt target ${kind}`);
    const moves = await all(2, () => h.call('PUT', `/cloud/v6/load_tests/${moved.body.id}/move`, { body: { project_id: h.projectId } }));
    expect(statuses(moves)).toEqual([409, 409]);
  });

  test('label keys created and renamed onto one key at once: one wins, the rest are 409s', async () => {
    const creates = await all(N, () => h.call('POST', '/cloud/v6/labels', { body: { value: [{ key: `race_${kind}` }] } }));
    expect(statuses(creates)).toEqual([201, ...Array(N - 1).fill(409)]);
    const keys = await all(N, (i) => h.call('POST', '/cloud/v6/labels', { body: { value: [{ key: `src_${kind}_${i}` }] } }));
    const renames = await all(N, (i) => h.call('PATCH', `/cloud/v6/labels/${keys[i]?.body.value[0].id}`, { body: { key: `dst_${kind}` } }));
    expect(statuses(renames)).toEqual([200, ...Array(N - 1).fill(409)]);
    const listed = (await h.call('GET', '/cloud/v6/labels')).body.value as { key: string }[];
    expect(listed.filter((k) => k.key === `race_${kind}` || k.key === `dst_${kind}`)).toHaveLength(2);
  });

  test('saves past the saved-runs cap at once: the cap holds, the rest are 409s', async () => {
    const lt = await createLoadTest(h.projectId, `save race ${kind}`);
    const runs = [];
    for (let i = 0; i < N; i++) {
      const run = await h.call('POST', `/cloud/v6/load_tests/${lt.body.id}/start`);
      await h.call('POST', `/cloud/v6/test_runs/${run.body.id}/abort`);
      runs.push(run.body.id as number);
    }
    const saves = await Promise.all(runs.map((id) => h.call('POST', `/cloud/v6/test_runs/${id}/save`)));
    expect(statuses(saves)).toEqual([204, 204, ...Array(N - 2).fill(409)]);
    const listed = (await h.call('GET', `/cloud/v6/load_tests/${lt.body.id}/test_runs`)).body.value as { retention_expiry: string | null }[];
    expect(listed.filter((r) => r.retention_expiry === null)).toHaveLength(2);
  });

  test('a run deleted, saved, starred and noted at once after it ended: the delete wins or comes last, never a 5xx', async () => {
    for (let n = 0; n < 10; n++) {
      const lt = await createLoadTest(h.projectId, `delete race ${kind} ${n}`);
      const run = await h.call('POST', `/cloud/v6/load_tests/${lt.body.id}/start`);
      await h.call('POST', `/cloud/v6/test_runs/${run.body.id}/abort`);
      const id = run.body.id as number;
      const answers = await Promise.all([
        h.call('DELETE', `/cloud/v6/test_runs/${id}`), h.call('POST', `/cloud/v6/test_runs/${id}/star`), h.call('PATCH', `/cloud/v6/test_runs/${id}`, { body: { note: 'x' } }),
        h.call('DELETE', `/cloud/v6/test_runs/${id}`), h.call('POST', `/cloud/v6/test_runs/${id}/abort`), h.call('DELETE', `/cloud/v6/load_tests/${lt.body.id}`),
      ]);
      expect(answers.every((a) => a.status < 500), answers.map((a) => a.status).join()).toBe(true);
      expect((await h.call('GET', `/cloud/v6/test_runs/${id}`)).status).toBe(404);
    }
  });

  test('a load test deleted while its script is replaced, it is renamed and moved: 2xx or 404, never a 5xx', async () => {
    const other = await h.call('POST', '/cloud/v6/projects', { body: { name: `move race ${kind}` } });
    for (let n = 0; n < 10; n++) {
      const lt = await createLoadTest(h.projectId, `script race ${kind} ${n}`);
      const answers = await Promise.all([
        h.call('DELETE', `/cloud/v6/load_tests/${lt.body.id}`),
        h.call('PUT', `/cloud/v6/load_tests/${lt.body.id}/script`, { payload: script('new'), headers: { 'content-type': 'application/octet-stream' } }),
        h.call('PATCH', `/cloud/v6/load_tests/${lt.body.id}`, { body: { name: `renamed ${kind} ${n}` } }),
        h.call('PUT', `/cloud/v6/load_tests/${lt.body.id}/move`, { body: { project_id: other.body.id } }),
      ]);
      expect(answers.map((a) => a.status).every((s) => [204, 404].includes(s)), answers.map((a) => `${a.status} ${JSON.stringify(a.body)}`).join('\n')).toBe(true);
      expect((await h.call('GET', `/cloud/v6/load_tests/${lt.body.id}`)).status).toBe(404);
    }
  });

  test("a local execution's end, an abort, a delete and a log push at once: documented answers, never a 5xx", async () => {
    const lt = await createLoadTest(h.projectId, `local end race ${kind}`);
    const odd: string[] = [];
    for (let n = 0; n < 15; n++) {
      const started = await h.call('POST', `/provisioning/v1/load_tests/${lt.body.id}/start_local_execution`, { body: { options: {}, max_vus: 1, total_duration: 10 } });
      const id = started.body.test_run_id as number;
      const token = started.body.runtime_config.test_run_token as string;
      const asRun = { token, stackId: null };
      const answers = await Promise.all([
        h.call('POST', `/provisioning/v1/test_runs/${id}/notify`, { ...asRun, body: { event_type: 'script_execution_completed' } }),
        h.call('POST', `/cloud/v6/test_runs/${id}/abort`),
        h.call('DELETE', `/cloud/v6/test_runs/${id}`),
        h.call('POST', `/provisioning/v1/test_runs/${id}/logs`, { ...asRun, body: { streams: [{ stream: { level: 'info' }, values: [['1700000000000000000', 'late line']] }] } }),
        h.call('POST', `/cloud/v6/test_runs/${id}/save`),
      ]);
      const [notify, abort, del, logs, save] = answers.map((a) => a.status);
      const allowed = [[204, 404], [204, 404, 409], [204, 404, 409], [204, 404], [204, 404, 409]];
      if (![notify, abort, del, logs, save].every((s, i) => allowed[i]?.includes(s ?? 0))) odd.push(answers.map((a) => `${a.status} ${JSON.stringify(a.body)}`).join(' | '));
    }
    expect(odd).toEqual([]);
  });

  test('a load zone removed while it is updated (admin API): 2xx or 404, never a 5xx', async () => {
    const admin = { stackId: null };
    for (let n = 0; n < 10; n++) {
      const zone = await h.call('POST', '/admin/v1/load_zones', { ...admin, body: { name: `Race ${n}`, k6_load_zone_id: `amazon:race:${kind}${n}` } });
      expect(zone.status).toBe(201);
      const answers = await Promise.all([
        h.call('DELETE', `/admin/v1/load_zones/${zone.body.id}`, admin),
        h.call('PATCH', `/admin/v1/load_zones/${zone.body.id}`, { ...admin, body: { name: `Renamed ${n}` } }),
        h.call('PATCH', `/admin/v1/load_zones/${zone.body.id}`, { ...admin, body: { available: false } }),
      ]);
      expect(answers.map((a) => a.status).every((s) => [200, 204, 404].includes(s)), answers.map((a) => `${a.status} ${JSON.stringify(a.body)}`).join('\n')).toBe(true);
      expect((await h.call('GET', `/admin/v1/load_zones/${zone.body.id}`, admin)).status).toBe(404);
    }
  });
});
