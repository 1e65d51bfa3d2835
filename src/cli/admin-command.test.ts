// `stampede admin` against a real server listening on 127.0.0.1: the commands reach the admin API and
// print its answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAdminCommand } from './admin-command.ts';
import { runCommand, startCliTestServer, type CliTestServer } from './cli-server.test-helper.ts';

let server: CliTestServer;
let url: string;
let adminToken: string;

beforeAll(async () => {
  server = await startCliTestServer();
  url = server.url;
  adminToken = server.token;
});
afterAll(async () => {
  await server.close();
});

async function authStatus(token: string, stackId: number): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${url}/cloud/v6/auth`, { headers: { authorization: `Bearer ${token}`, 'x-stack-id': String(stackId) } });
  return { status: res.status, body: await res.json() };
}

async function admin(...args: string[]): Promise<string> {
  return runCommand(registerAdminCommand, ['admin', '--url', url, '--token', adminToken, ...args]);
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
