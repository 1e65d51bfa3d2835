// What every route handler works with: the injected store and run control, the frozen configuration,
// the spec validator, the clock; and the authentication that turns headers into a caller.
import type { FastifyRequest } from 'fastify';
import { StampedeError } from '../core/index.ts';
import { STACK_TOKEN_ROLE, can } from '../domain/index.ts';
import type { Action, Role } from '../domain/index.ts';
import type { Store } from '../store/index.ts';
import type { ServerConfig } from './config.ts';
import type { RunControl } from './run-control.ts';
import type { SpecValidator } from './openapi/schema-validator.ts';
import { validationError } from './validation-error.ts';

export interface ApiContext {
  store: Store;
  runs: RunControl;
  config: ServerConfig;
  validator: SpecValidator;
  now: () => Date;
}

/** The stack of the resource an operation's path names (`what` words its 404), for `authenticate`. */
export interface ResourceStack {
  what: string;
  lookup: () => Promise<number | null>;
}

/** The authenticated caller of a v6 operation, scoped to one stack. */
export interface Caller {
  stackId: number;
  role: Role;
  /** The user's email for a personal token; null for a stack token. */
  email: string | null;
  userId: number | null;
}

/** The bearer secret, or a 401. `Token <t>` (k6's v1 scheme) is accepted as well. */
export function bearerToken(req: Pick<FastifyRequest, 'headers'>): string {
  const header = req.headers.authorization;
  const m = typeof header === 'string' ? /^(?:Bearer|Token)\s+(\S+)\s*$/i.exec(header) : null;
  if (!m?.[1]) throw new StampedeError('STAMPEDE_ERR_UNAUTHENTICATED', 'Missing or malformed Authorization header; use "Bearer <token>"');
  return m[1];
}

export function headerValue(req: Pick<FastifyRequest, 'headers'>, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function parseStackIdHeader(raw: string | undefined): number {
  const text = raw?.trim();
  if (!text || !/^[1-9]\d{0,15}$/.test(text) || !Number.isSafeInteger(Number(text))) {
    const message = text ? 'X-Stack-Id must be a positive integer' : 'The X-Stack-Id header is required';
    throw validationError('X-Stack-Id', message);
  }
  return Number(text);
}

/**
 * Authenticates a v6 call. Order matters for what callers learn: a bad token is 401 before anything
 * else is looked at; then the stack header must be well-formed (400); then the caller must belong to
 * that stack (403). `action` is checked last (403, e.g. a viewer changing something).
 * With `optionalStack`, a missing X-Stack-Id means `impliedStack` when given (e.g. named by X-Stack-Url),
 * else the token's stack or the user's first one.
 * With `resourceStack` (operations whose spec has no X-Stack-Id, the provisioning API), a missing
 * X-Stack-Id means the stack of the resource the path names; a resource that does not exist, or is
 * of a stack the caller does not belong to, is a 404 (`<what> not found`), as it would be with the header.
 */
export async function authenticate(ctx: ApiContext, req: Pick<FastifyRequest, 'headers'>, action: Action, opts: { optionalStack?: boolean; impliedStack?: number; resourceStack?: ResourceStack } = {}): Promise<Caller> {
  const principal = await ctx.store.tokens.authenticate(bearerToken(req));
  if (!principal) throw new StampedeError('STAMPEDE_ERR_UNAUTHENTICATED', 'Invalid or revoked token');
  const rawStack = headerValue(req, 'x-stack-id');
  const byResource = rawStack === undefined ? opts.resourceStack : undefined;
  let stackId: number;
  if (byResource) {
    stackId = found(await byResource.lookup(), byResource.what);
  } else if (rawStack === undefined && opts.optionalStack && opts.impliedStack !== undefined) {
    stackId = opts.impliedStack;
  } else if (rawStack === undefined && opts.optionalStack) {
    if (principal.kind === 'stack') stackId = principal.stackId;
    else {
      const memberships = await ctx.store.stacks.listMemberships(principal.userId);
      const first = [...memberships].sort((a, b) => a.stackId - b.stackId)[0];
      if (!first) throw new StampedeError('STAMPEDE_ERR_PERMISSION_DENIED', 'The user is not a member of any stack');
      stackId = first.stackId;
    }
  } else {
    stackId = parseStackIdHeader(rawStack);
  }

  let caller: Caller;
  if (principal.kind === 'stack') {
    if (principal.stackId !== stackId) {
      if (byResource) throw new StampedeError('STAMPEDE_ERR_NOT_FOUND', `${byResource.what} not found`);
      throw new StampedeError('STAMPEDE_ERR_PERMISSION_DENIED', 'This stack token does not belong to the requested stack');
    }
    caller = { stackId, role: STACK_TOKEN_ROLE, email: null, userId: null };
  } else {
    const role = await ctx.store.stacks.getRole(stackId, principal.userId);
    if (!role && byResource) throw new StampedeError('STAMPEDE_ERR_NOT_FOUND', `${byResource.what} not found`);
    if (!role) throw new StampedeError('STAMPEDE_ERR_PERMISSION_DENIED', 'The user is not a member of the requested stack');
    caller = { stackId, role, email: principal.email, userId: principal.userId };
  }
  if (!can(caller.role, action)) {
    throw new StampedeError('STAMPEDE_ERR_PERMISSION_DENIED', `The ${caller.role} role may not perform this action`);
  }
  return caller;
}

/** Resolves a store lookup or answers 404 with the same message whether absent or another stack's. */
export function found<T>(value: T | null, what: string): T {
  if (value === null) throw new StampedeError('STAMPEDE_ERR_NOT_FOUND', `${what} not found`);
  return value;
}
