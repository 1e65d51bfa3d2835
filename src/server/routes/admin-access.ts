// What every admin operation shares: the caller must hold a personal token of an admin of the first
// stack, and bad bodies are one validation error listing every problem.
import type { FastifyRequest } from 'fastify';
import { StampedeError } from '../../core/index.ts';
import { bearerToken } from '../api-context.ts';
import type { ApiContext } from '../api-context.ts';
import { jsonBody } from '../request-input.ts';

export type Problem = { target: string; message: string };

export async function requireAdmin(ctx: ApiContext, req: FastifyRequest): Promise<void> {
  const principal = await ctx.store.tokens.authenticate(bearerToken(req));
  if (!principal) throw new StampedeError('STAMPEDE_ERR_UNAUTHENTICATED', 'Invalid or revoked token');
  const denied = new StampedeError('STAMPEDE_ERR_PERMISSION_DENIED', 'The admin API needs a personal token of an admin of the first stack');
  if (principal.kind !== 'user') throw denied;
  const first = (await ctx.store.stacks.list()).reduce<number | null>((min, s) => (min === null || s.id < min ? s.id : min), null);
  if (first === null || (await ctx.store.stacks.getRole(first, principal.userId)) !== 'admin') throw denied;
}

export function invalid(problems: Problem[]): StampedeError {
  return new StampedeError('STAMPEDE_ERR_VALIDATION', problems[0]?.message, { target: problems.length === 1 ? problems[0]?.target : 'body', details: problems });
}

/** The body as a JSON object, or a 400 (a 415 when it was not sent as JSON). */
export function objectBody(req: FastifyRequest): Record<string, unknown> {
  const body = jsonBody(req);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid([{ target: 'body', message: 'The body must be a JSON object' }]);
  return body as Record<string, unknown>;
}
