// GET /auth: validates a token (and stack access) and names the stack and its default project. The
// X-Stack-Id header is optional here: without it a stack token answers for its own stack and a
// personal token for the user's first stack.
import type { FastifyInstance } from 'fastify';
import { authenticate, found } from '../api-context.ts';
import type { ApiContext } from '../api-context.ts';

export function registerAuthRoute(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/auth', async (req) => {
    const caller = await authenticate(ctx, req, 'read', { optionalStack: true });
    const stack = found(await ctx.store.stacks.get(caller.stackId), 'Stack');
    return { stack_id: stack.id, default_project_id: stack.defaultProjectId };
  });
}
