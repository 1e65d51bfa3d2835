// The admin API (/admin/v1): tenants, users, memberships and tokens; the installation's load zones are
// in admin-load-zone-routes.ts. Callers are users holding the admin role on the first stack (the one
// the first start created). Shapes are fixed (see docs/api.md) so scripts can rely on them.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { StampedeError } from '../../core/index.ts';
import { ROLES, parseId } from '../../domain/index.ts';
import type { Role } from '../../domain/index.ts';
import { found } from '../api-context.ts';
import type { ApiContext } from '../api-context.ts';
import { invalid, objectBody, requireAdmin } from './admin-access.ts';
import type { Problem } from './admin-access.ts';
import { registerAdminLoadZoneRoutes } from './admin-load-zone-routes.ts';

export function registerAdminRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.post('/stacks', async (req, reply) => {
    await requireAdmin(ctx, req);
    const { name } = textBody(req, 'name', 255);
    const stack = await ctx.store.stacks.create(name);
    return reply.code(201).send({ id: stack.id, name: stack.name, default_project_id: stack.defaultProjectId });
  });

  app.post('/users', async (req, reply) => {
    await requireAdmin(ctx, req);
    const { email } = textBody(req, 'email', 320);
    if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw invalid([{ target: 'email', message: 'email must be an email address' }]);
    const user = await ctx.store.users.create(email);
    return reply.code(201).send({ id: user.id, email: user.email });
  });

  app.put('/stacks/:id/members/:user_id', async (req, reply) => {
    await requireAdmin(ctx, req);
    const params = req.params as Record<string, string>;
    const stackId = parseId(params['id'], 'id');
    const userId = parseId(params['user_id'], 'user_id');
    const { role } = textBody(req, 'role', 20);
    if (!(ROLES as readonly string[]).includes(role)) throw invalid([{ target: 'role', message: `role must be one of ${ROLES.join(', ')}` }]);
    found(await ctx.store.stacks.get(stackId), 'Stack');
    found(await ctx.store.users.get(userId), 'User');
    await ctx.store.stacks.setMember(stackId, userId, role as Role);
    return reply.code(204).send();
  });

  app.post('/users/:id/tokens', async (req, reply) => {
    await requireAdmin(ctx, req);
    const userId = parseId((req.params as Record<string, string>)['id'], 'id');
    const { name } = textBody(req, 'name', 255);
    found(await ctx.store.users.get(userId), 'User');
    return reply.code(201).send(await ctx.store.tokens.createPersonal(userId, name));
  });

  app.post('/stacks/:id/tokens', async (req, reply) => {
    await requireAdmin(ctx, req);
    const stackId = parseId((req.params as Record<string, string>)['id'], 'id');
    const { name } = textBody(req, 'name', 255);
    found(await ctx.store.stacks.get(stackId), 'Stack');
    return reply.code(201).send(await ctx.store.tokens.createForStack(stackId, name));
  });

  app.delete('/tokens/:id', async (req, reply) => {
    await requireAdmin(ctx, req);
    const id = parseId((req.params as Record<string, string>)['id'], 'id');
    if (!(await ctx.store.tokens.revoke(id))) throw new StampedeError('STAMPEDE_ERR_NOT_FOUND', 'Token not found');
    return reply.code(204).send();
  });

  registerAdminLoadZoneRoutes(app, ctx);
}

/** A JSON object body with one required, non-blank string field (unknown fields are rejected). */
function textBody<K extends string>(req: FastifyRequest, field: K, maxLength: number): Record<K, string> {
  const body = objectBody(req);
  const problems: Problem[] = [];
  for (const key of Object.keys(body)) if (key !== field) problems.push({ target: key, message: `Unknown field "${key}".` });
  const value = (body as Record<string, unknown>)[field];
  if (typeof value !== 'string' || value.trim() === '') problems.push({ target: field, message: `${field} must be a non-empty string` });
  else if (value.length > maxLength) problems.push({ target: field, message: `${field} must be at most ${maxLength} characters` });
  if (problems.length > 0) throw invalid(problems);
  return { [field]: (value as string).trim() } as Record<K, string>;
}
