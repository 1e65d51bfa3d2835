// `stampede admin …`: manages tenants through the server's admin API over HTTP, so it works against
// any running deployment. Prints each response body as JSON on stdout (load zones: a table, or JSON
// with --json, see admin-load-zones-command.ts).
import type { Command } from 'commander';
import { registerLoadZonesCommand } from './admin-load-zones-command.ts';
import type { AdminRequest } from './admin-load-zones-command.ts';
import { withExamples } from './help-examples.ts';

interface AdminOptions {
  url: string;
  token?: string;
}

export function registerAdminCommand(program: Command): void {
  const admin = program
    .command('admin')
    .description('Manage stacks, users, memberships, tokens and load zones through the admin API')
    .option('--url <url>', 'server base URL (env STAMPEDE_URL)', process.env['STAMPEDE_URL'] ?? 'http://127.0.0.1:8060')
    .option('--token <token>', 'personal token of an admin of the first stack (env STAMPEDE_ADMIN_TOKEN)');

  /** Sends one admin API request; a non-2xx answer throws with the API's message. */
  const request: AdminRequest = async (method, path, body) => {
    const opts = admin.opts<AdminOptions>();
    const token = opts.token ?? process.env['STAMPEDE_ADMIN_TOKEN'];
    if (!token) throw new Error('an admin token is required: pass --token or set STAMPEDE_ADMIN_TOKEN');
    const res = await fetch(new URL(`/admin/v1${path}`, opts.url), {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) {
      let message = text;
      try {
        const parsed = JSON.parse(text) as { error?: { message?: string } };
        message = parsed.error?.message ?? text;
      } catch {
        // not JSON: show the raw body
      }
      throw new Error(`${method} ${path} failed with ${res.status}: ${message}`);
    }
    return { status: res.status, statusText: res.statusText, text };
  };
  const call = async (method: string, path: string, body?: unknown): Promise<void> => {
    const res = await request(method, path, body);
    process.stdout.write(res.text === '' ? `${res.status} ${res.statusText || 'OK'}\n` : `${res.text}\n`);
  };

  const stacks = admin.command('stacks').description('Manage stacks');
  stacks.command('create <name>').description('Create a stack with its default project').action((name: string) => call('POST', '/stacks', { name }));
  stacks
    .command('add-member <stackId> <userId> <role>')
    .description('Add a user to a stack, or change their role (admin, editor or viewer)')
    .action((stackId: string, userId: string, role: string) => call('PUT', `/stacks/${encodeURIComponent(stackId)}/members/${encodeURIComponent(userId)}`, { role }));
  stacks.command('create-token <stackId> <name>').description('Create a stack token (shown once)').action((stackId: string, name: string) => call('POST', `/stacks/${encodeURIComponent(stackId)}/tokens`, { name }));

  const users = admin.command('users').description('Manage users');
  users.command('create <email>').description('Create a user').action((email: string) => call('POST', '/users', { email }));
  users.command('create-token <userId> <name>').description('Create a personal token for a user (shown once)').action((userId: string, name: string) => call('POST', `/users/${encodeURIComponent(userId)}/tokens`, { name }));

  const tokens = admin.command('tokens').description('Manage tokens');
  tokens.command('revoke <tokenId>').description('Revoke a token; it stops working at once').action((tokenId: string) => call('DELETE', `/tokens/${encodeURIComponent(tokenId)}`));

  registerLoadZonesCommand(admin, request);
  withExamples(admin, [
    ['Create a user and a personal token for them (the token is shown once).', 'stampede admin --token $STAMPEDE_ADMIN_TOKEN users create ana@example.com'],
    ['Make user 2 an editor of stack 1.', 'stampede admin stacks add-member 1 2 editor'],
    ['List the load zones.', 'stampede admin load-zones list'],
  ]);
}
