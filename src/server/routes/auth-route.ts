// GET /auth: validates a token (and stack access) and names the stack and its default project. The
// X-Stack-Id header is optional here. The spec's header is X-Stack-Url (what `k6 cloud login` sends):
// a URL naming one of our stacks (see stackForUrl) picks it. Without either, a stack token answers for
// its own stack and a personal token for the user's first stack.
import type { FastifyInstance } from 'fastify';
import { stackForUrl } from '../../domain/index.ts';
import { authenticate, found, headerValue } from '../api-context.ts';
import type { ApiContext } from '../api-context.ts';

export function registerAuthRoute(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/auth', async (req) => {
    const stackUrl = headerValue(req, 'x-stack-url');
    const impliedStack = stackUrl === undefined ? undefined : stackForUrl(stackUrl, await ctx.store.stacks.list());
    const caller = await authenticate(ctx, req, 'read', { optionalStack: true, ...(impliedStack !== undefined && { impliedStack }) });
    const stack = found(await ctx.store.stacks.get(caller.stackId), 'Stack');
    return { stack_id: stack.id, default_project_id: stack.defaultProjectId };
  });
}
