import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StampedeError } from '../core/index.ts';
import type { ApiExtension } from './app.ts';
import { createHarness } from './test-support/api-harness.ts';
import type { Harness } from './test-support/api-harness.ts';

// An extension as the CLI would compose one in: it reads a run of the caller's stack.
const runNote: ApiExtension = (app, tools) => {
  app.get('/cloud/v6/test_runs/:id/note-extension', async (req) => {
    const caller = await tools.authenticate(req, 'read');
    const id = Number((req.params as { id: string }).id);
    if (id === 42) throw new StampedeError('STAMPEDE_ERR_CONFLICT', 'not today');
    return { stack: caller.stackId, id, link: `${tools.origin(req)}/x` };
  });
};

describe('API extensions', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness('sqlite', { publicUrl: 'https://stampede.example' }, undefined, [runNote]);
  });
  afterAll(async () => h.close());

  it('get the built-in authentication, stack scoping and error mapping', async () => {
    const ok = await h.app.inject({ method: 'GET', url: '/cloud/v6/test_runs/7/note-extension', headers: { authorization: `Bearer ${h.token}`, 'x-stack-id': String(h.stackId) } });
    expect(ok.json()).toEqual({ stack: h.stackId, id: 7, link: 'https://stampede.example/x' });
    const anonymous = await h.app.inject({ method: 'GET', url: '/cloud/v6/test_runs/7/note-extension' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toMatchObject({ error: { code: 'unauthenticated' } });
    const conflict = await h.app.inject({ method: 'GET', url: '/cloud/v6/test_runs/42/note-extension', headers: { authorization: `Bearer ${h.token}`, 'x-stack-id': String(h.stackId) } });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json()).toMatchObject({ error: { code: 'conflict', message: 'not today' } });
  });
});
