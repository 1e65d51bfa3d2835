// Reading path parameters and JSON bodies of a request; each malformed value is a 400 naming it.
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { StampedeError } from '../core/index.ts';
import { parseId } from '../domain/index.ts';
import type { ApiContext } from './api-context.ts';

/** A positive integer path parameter (`:id` by default). */
export function pathId(req: FastifyRequest, name = 'id'): number {
  return parseId((req.params as Record<string, string | undefined>)[name], name);
}

/**
 * What the app's catch-all parser makes of a body that is not JSON. Operations without a request body
 * never look at it (so `curl -X POST -d ''`, which labels its empty body as a form, can start a test);
 * those that read JSON answer 415 through `jsonBody`.
 */
export class NonJsonBody {
  constructor(readonly contentType: string) {}
}

/** The parsed JSON body (undefined when empty), or a 415 when the request sent another type. */
export function jsonBody(req: FastifyRequest): unknown {
  if (req.body instanceof NonJsonBody) {
    throw new StampedeError('STAMPEDE_ERR_UNSUPPORTED_MEDIA_TYPE', `Send the body as application/json, not ${req.body.contentType || 'without a type'}`);
  }
  return req.body;
}

/** The request body checked against a spec component schema; all problems reported at once. */
export function specBody<T>(ctx: ApiContext, req: FastifyRequest, component: string): T {
  const body = jsonBody(req);
  ctx.validator.assertComponent(component, body ?? null);
  return body as T;
}

export function queryOf(req: FastifyRequest): Record<string, unknown> {
  return (req.query ?? {}) as Record<string, unknown>;
}

const IDEMPOTENCY_HEADER = 'k6-idempotency-key';
const MAX_IDEMPOTENCY_KEY = 36;

/**
 * The K6-Idempotency-Key, if any (start, start_local_execution). The spec gives it 1–36 characters but documents no 400 for start, so
 * no key is refused: an empty one is no key, and a longer one is still honoured (kept as its SHA-256,
 * so the store's key stays short); the same long key then answers the same run, as a client expects.
 */
export function readIdempotencyKey(req: FastifyRequest): string | undefined {
  const raw = req.headers[IDEMPOTENCY_HEADER];
  const key = Array.isArray(raw) ? raw.join(', ') : raw;
  if (key === undefined || key === '') return undefined;
  if (key.length <= MAX_IDEMPOTENCY_KEY) return key;
  return `sha256:${createHash('sha256').update(key).digest('hex')}`;
}
