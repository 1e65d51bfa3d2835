// POST /validate_options with the request bodies of Grafana's documentation (the spec's examples), over
// both stores: the project comes from `project_id` or, as in every documented example, from
// `options.cloud.projectID`, and an unknown one is a 400 naming the field the client sent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, postgresAvailable } from '../test-support/api-harness.ts';
import type { Harness, StoreKind } from '../test-support/api-harness.ts';

const PG = await postgresAvailable();
if (!PG) console.warn('PostgreSQL is not answering: the PostgreSQL run of the validate_options suite is skipped');
const KINDS: { kind: StoreKind; enabled: boolean }[] = [
  { kind: 'sqlite', enabled: true },
  { kind: 'postgres', enabled: PG },
];

/** The documented examples' options (1m up to 20 VUs, 3m at 20, 30s down), in the given project. */
function documentedOptions(projectID: number) {
  return {
    stages: [{ duration: '1m', target: 20 }, { duration: '3m', target: 20 }, { duration: '30s', target: 0 }],
    cloud: { distribution: { 'amazon:us:ashburn': { loadZone: 'amazon:us:ashburn', percent: 100 } }, projectID },
  };
}

describe.each(KINDS)('validate_options over $kind', ({ kind, enabled }) => {
  let h: Harness;
  beforeAll(async () => {
    if (enabled) h = await createHarness(kind);
  });
  afterAll(async () => {
    if (enabled) await h.close();
  });
  const test = it.skipIf(!enabled);

  // The harness plans options with a stand-in (vus × duration), so the VUh itself is checked end to end elsewhere.
  test('the documented examples are accepted, with or without k6_dependencies', async () => {
    for (const k6_dependencies of [undefined, { k6: '*', 'k6/x/faker': '*' }, { k6: '>=v0.52', 'k6/x/faker': '>=0.4.0' }]) {
      const res = await h.call('POST', '/cloud/v6/validate_options', { body: { options: documentedOptions(h.projectId), ...(k6_dependencies && { k6_dependencies }) } });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ vuh_usage: expect.any(Number), breakdown: { browser_vuh: 0 } });
    }
  });

  test('an unknown project in options.cloud.projectID is a 400 naming options.cloud.projectID', async () => {
    const res = await h.call('POST', '/cloud/v6/validate_options', { body: { options: documentedOptions(123456) } });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_error', target: 'options.cloud.projectID', message: 'Project 123456 does not exist in this stack' });
  });

  test('an unknown project_id is a 400 naming project_id, which wins over options.cloud.projectID', async () => {
    const res = await h.call('POST', '/cloud/v6/validate_options', { body: { project_id: 123456, options: documentedOptions(h.projectId) } });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_error', target: 'project_id' });
  });

  // Scripts written for k6 before v2 name their zones in the legacy options.ext.loadimpact (read when
  // there is no options.cloud, as k6's cloud config did): an unknown zone there is refused too.
  test('a legacy options.ext.loadimpact.distribution is checked like options.cloud.distribution', async () => {
    const legacy = (loadZone: string) => ({ vus: 2, duration: '10s', ext: { loadimpact: { distribution: { a: { loadZone: 'amazon:us:ashburn', percent: 50 }, b: { loadZone, percent: 50 } } } } });
    const bad = await h.call('POST', '/cloud/v6/validate_options', { body: { project_id: h.projectId, options: legacy('amazon:xx:nowhere') } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([expect.objectContaining({ target: 'options.ext.loadimpact.distribution.b.loadZone', message: expect.stringContaining('unknown load zone "amazon:xx:nowhere"') })]);
    const good = await h.call('POST', '/cloud/v6/validate_options', { body: { project_id: h.projectId, options: legacy('amazon:us:ashburn') } });
    expect(good.status).toBe(200);
  });
});
