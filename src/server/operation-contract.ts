// What the spec promises per v6 operation, read once from the spec: the response statuses it
// documents and whether it takes a request body. Clients generated from the spec (and CI scripts
// written against Grafana Cloud k6) branch on those statuses, so an error is answered with a status
// its operation lists: a request problem the operation has no 400 for is told the way the spec
// does tell it there. An id that is not a positive integer names nothing (404, which every
// operation with an id lists, whether or not it also lists 400); a missing or malformed X-Stack-Id leaves the token unverifiable
// against a stack (401, listed everywhere). A body of an unsupported type or size is a 400 where the
// operation lists 400 and not 415 or 413 (none does), with the reason in the message as before.
import type { MappedError } from './error-response.ts';
import { parseId } from '../domain/index.ts';
import { loadSpec } from './openapi/spec.ts';

export interface OperationContract {
  statuses: ReadonlySet<number>;
  hasRequestBody: boolean;
}

type Operations = Map<string, OperationContract>;

let operations: Operations | undefined;

function key(method: string, routeUrl: string): string {
  return `${method.toUpperCase()} ${routeUrl}`;
}

function load(): Operations {
  if (operations) return operations;
  const doc = loadSpec().document as { paths: Record<string, Record<string, { responses?: Record<string, unknown>; requestBody?: unknown }>> };
  operations = new Map();
  for (const [template, ops] of Object.entries(doc.paths)) {
    // The spec's `/x/{id}` is Fastify's `/x/:id`.
    const routeUrl = template.replace(/\{([^}]+)\}/g, ':$1');
    for (const [method, op] of Object.entries(ops)) {
      if (typeof op !== 'object' || op === null || op.responses === undefined) continue;
      const statuses = new Set(Object.keys(op.responses).map(Number).filter(Number.isInteger));
      operations.set(key(method, routeUrl), { statuses, hasRequestBody: op.requestBody !== undefined });
    }
  }
  return operations;
}

/** The spec's promise for a route (its Fastify URL, e.g. `/cloud/v6/test_runs/:id`), if it is a v6 operation. */
export function operationContract(method: string, routeUrl: string | undefined): OperationContract | undefined {
  if (routeUrl === undefined) return undefined;
  return load().get(key(method, routeUrl));
}

/**
 * `mapped` answered with a status the operation documents. `pathParams` are the route's path
 * parameters as received. Errors with a documented status, and routes outside the spec, are kept.
 */
export function fitToOperation(mapped: MappedError, contract: OperationContract | undefined, pathParams: Record<string, string | undefined>): MappedError {
  if (contract === undefined || mapped.status >= 500) return mapped;
  const target = mapped.body.error.target;
  // Whether or not the operation lists a 400, a path id that is no id names nothing, so GET, PATCH
  // and DELETE of `/projects/abc` all answer the same 404 (as Grafana Cloud k6's URL routing does).
  if (mapped.status === 400 && target !== null && target in pathParams && !isId(pathParams[target]) && contract.statuses.has(404)) {
    const message = `Not found: ${target} "${pathParams[target] ?? ''}" is not an id (${mapped.body.error.message})`;
    return { status: 404, internal: false, body: { error: { code: 'not_found', message, target, details: null } } };
  }
  if (contract.statuses.has(mapped.status)) return mapped;
  if (mapped.status === 400 && target === 'X-Stack-Id' && contract.statuses.has(401)) {
    return { status: 401, internal: false, body: { error: { ...mapped.body.error, code: 'unauthenticated' } } };
  }
  if ((mapped.status === 413 || mapped.status === 415) && contract.statuses.has(400)) {
    const fieldTarget = mapped.status === 415 ? 'Content-Type' : 'body';
    return { status: 400, internal: false, body: { error: { ...mapped.body.error, target: target ?? fieldTarget } } };
  }
  return mapped;
}

/** Whether a path parameter reads as an id (a body field of the same name may be what was at fault). */
function isId(raw: string | undefined): boolean {
  try {
    parseId(raw, 'id');
    return true;
  } catch {
    return false;
  }
}
