// Found by the dependency-failure QA pass (test/dependency-failure-qa.md): with PostgreSQL out of
// connections, POST /load_tests/{id}/start created the run, failed reading it back, and answered 500
// while the run went on, so a client would start it again.
import { afterEach, describe, expect, it } from 'vitest';
import { retryWhileStoreUnavailable } from './store-retry.ts';
import { createHarness, multipartBody, script, type Harness } from './test-support/api-harness.ts';

const tooMany = (): Error => Object.assign(new Error('sorry, too many clients already'), { code: '53300' });

describe('retryWhileStoreUnavailable', () => {
  it('tries again while the store is unavailable and answers once it is back', async () => {
    let calls = 0;
    const value = await retryWhileStoreUnavailable(async () => {
      calls++;
      if (calls < 3) throw tooMany();
      return 'run 7';
    }, 5, 1);
    expect(value).toBe('run 7');
    expect(calls).toBe(3);
  });

  it('gives up after its attempts, with the store error', async () => {
    let calls = 0;
    await expect(retryWhileStoreUnavailable(async () => {
      calls++;
      throw tooMany();
    }, 3, 1)).rejects.toThrow('too many clients');
    expect(calls).toBe(3);
  });

  it('does not retry other errors', async () => {
    let calls = 0;
    await expect(retryWhileStoreUnavailable(async () => {
      calls++;
      throw new Error('a bug');
    }, 5, 1)).rejects.toThrow('a bug');
    expect(calls).toBe(1);
  });
});

describe('POST /load_tests/{id}/start while the store is briefly out of connections', () => {
  let h: Harness | null = null;
  afterEach(async () => {
    await h?.close();
    h = null;
  });

  it('answers the run it created (200, queued) rather than a 500 for a run that goes on', async () => {
    h = await createHarness('sqlite');
    const form = multipartBody({ name: 'outage', script: { filename: 'test.js', data: Buffer.from(script('outage')) } });
    const created = await h.call('POST', `/cloud/v6/projects/${h.projectId}/load_tests`, { payload: form.payload, headers: { 'content-type': form.contentType } });
    expect(created.status).toBe(201);
    // Queueing the run and reading it back each meet the store out of connections once.
    const { testRuns } = h.store;
    const transition = testRuns.transition.bind(testRuns);
    const get = testRuns.get.bind(testRuns);
    const failures = { transition: 1, get: 1 };
    testRuns.transition = async (...args) => {
      if (failures.transition-- > 0) throw tooMany();
      return transition(...args);
    };
    testRuns.get = async (...args) => {
      if (failures.get-- > 0) throw tooMany();
      return get(...args);
    };
    const res = await h.call('POST', `/cloud/v6/load_tests/${created.body.id}/start`);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('queued');
    expect(h.runs.started).toEqual([res.body.id, res.body.id]);
  });
});
