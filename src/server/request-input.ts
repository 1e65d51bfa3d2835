// Reading path parameters and JSON bodies of a request; each malformed value is a 400 naming it.
import type { FastifyRequest } from 'fastify';
import { parseId } from '../domain/index.ts';
import type { ApiContext } from './api-context.ts';

/** A positive integer path parameter (`:id` by default). */
export function pathId(req: FastifyRequest, name = 'id'): number {
  return parseId((req.params as Record<string, string | undefined>)[name], name);
}

/** The request body checked against a spec component schema; all problems reported at once. */
export function specBody<T>(ctx: ApiContext, req: FastifyRequest, component: string): T {
  ctx.validator.assertComponent(component, req.body ?? null);
  return req.body as T;
}

export function queryOf(req: FastifyRequest): Record<string, unknown> {
  return (req.query ?? {}) as Record<string, unknown>;
}
