import { describe, expect, it } from 'vitest';
import { createHarness, multipartBody } from './test-support/api-harness.ts';
import { startRetentionSweeper } from './retention-sweeper.ts';

describe('retention sweeper', () => {
  it('deletes expired results so saving answers 409 "Test run has been deleted"', async () => {
    const h = await createHarness('sqlite', { retentionDays: 1 });
    try {
      const form = multipartBody({ name: 'Old', script: 'export default function () {}' });
      const lt = await h.call('POST', `/cloud/v6/projects/${h.projectId}/load_tests`, { payload: form.payload, headers: { 'content-type': form.contentType } });
      const run = await h.call('POST', `/cloud/v6/load_tests/${lt.body.id}/start`);
      await h.call('POST', `/cloud/v6/test_runs/${run.body.id}/abort`);
      const logs: object[] = [];
      const log = { info: (o: object) => logs.push(o), error: (o: object) => logs.push(o) };
      const sweeper = startRetentionSweeper(h.store, log, { now: () => new Date(Date.now() + 2 * 86_400_000), intervalMs: 3_600_000 });
      await sweeper.sweep();
      sweeper.stop();
      expect(logs).toContainEqual({ deleted: 1 });
      const saved = await h.call('POST', `/cloud/v6/test_runs/${run.body.id}/save`);
      expect(saved.status).toBe(409);
      expect(saved.body.error.message).toBe('Test run has been deleted');
      expect((await h.call('GET', `/cloud/v6/test_runs/${run.body.id}`)).status).toBe(200);
    } finally {
      await h.close();
    }
  });
});
