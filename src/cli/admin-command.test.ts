// `stampede admin` against a real server listening on 127.0.0.1: the commands reach the admin API and
// print its answers.
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp, serverConfig } from '../server/index.ts';
import type { RunControl } from '../server/index.ts';
import { openStore } from '../store/index.ts';
import type { Store } from '../store/index.ts';
import { registerAdminCommand } from './admin-command.ts';

// The admin API never touches runs.
const noRuns: RunControl = {
  start: () => Promise.reject(new Error('unused')),
  abort: () => Promise.reject(new Error('unused')),
  inspectScript: () => Promise.reject(new Error('unused')),
  planOptions: () => Promise.reject(new Error('unused')),
};

let dir: string;
let store: Store;
let app: FastifyInstance;
let url: string;
let adminToken: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'stampede-admin-cli-'));
  store = await openStore({ dataDir: dir });
  adminToken = (await store.seedFirstStart()).token ?? '';
  app = await buildApp({ store, runs: noRuns, config: serverConfig(), logger: false });
  url = await app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function authStatus(token: string, stackId: number): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${url}/cloud/v6/auth`, { headers: { authorization: `Bearer ${token}`, 'x-stack-id': String(stackId) } });
  return { status: res.status, body: await res.json() };
}

async function admin(...args: string[]): Promise<string> {
  const program = new Command().exitOverride();
  registerAdminCommand(program);
  const out: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  });
  try {
    await program.parseAsync(['node', 'stampede', 'admin', '--url', url, '--token', adminToken, ...args]);
  } finally {
    spy.mockRestore();
  }
  return out.join('');
}

describe('stampede admin', () => {
  it('creates a stack, a user, a membership and a token that then works on the v6 API', async () => {
    const stack = JSON.parse(await admin('stacks', 'create', 'Team B')) as { id: number; default_project_id: number };
    expect(stack.default_project_id).toBeGreaterThan(0);
    const user = JSON.parse(await admin('users', 'create', 'dev@example.com')) as { id: number };
    await admin('stacks', 'add-member', String(stack.id), String(user.id), 'editor');
    const token = JSON.parse(await admin('users', 'create-token', String(user.id), 'laptop')) as { id: number; token: string };
    expect((await authStatus(token.token, stack.id)).body).toEqual({ stack_id: stack.id, default_project_id: stack.default_project_id });
    await admin('tokens', 'revoke', String(token.id));
    expect((await authStatus(token.token, stack.id)).status).toBe(401);
  });

  it('fails with the API’s message', async () => {
    await expect(admin('tokens', 'revoke', '424242')).rejects.toThrow(/404: Token not found/);
    await expect(admin('stacks', 'add-member', '1', '1', 'owner')).rejects.toThrow(/400: role must be one of/);
  });
});
