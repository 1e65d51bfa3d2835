// Test support: checks a response body against the schema the v6 spec documents for that operation
// and status, so every test that looks at a response also proves the contract.
import type { ValidateFunction } from 'ajv';
import { createSpecValidator } from '../openapi/schema-validator.ts';
import { loadSpec } from '../openapi/spec.ts';

const validator = createSpecValidator();
type Json = Record<string, unknown>;

function responseSchemaPointer(method: string, pathTemplate: string, status: number): string | null {
  const doc = loadSpec().document as { paths: Record<string, Record<string, { responses?: Record<string, Json> }>>; components: { responses: Record<string, Json> } };
  const op = doc.paths[pathTemplate]?.[method.toLowerCase()];
  if (!op) throw new Error(`the spec has no operation ${method} ${pathTemplate}`);
  let response = op.responses?.[String(status)];
  if (!response) throw new Error(`the spec documents no ${status} for ${method} ${pathTemplate}`);
  let pointer = `#/paths/${escape(pathTemplate)}/${method.toLowerCase()}/responses/${status}`;
  const ref = response.$ref;
  if (typeof ref === 'string') {
    pointer = ref;
    response = doc.components.responses[ref.split('/').pop() ?? ''] ?? {};
  }
  const content = response.content as Record<string, unknown> | undefined;
  if (!content) return null;
  if (!content['application/json']) return null;
  return `${pointer}/content/application~1json/schema`;
}

function escape(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Throws (with ajv's messages) unless `body` matches what the spec documents for `method pathTemplate`
 * answering `status`. A status the spec does not document for that operation is itself a failure.
 * `pathTemplate` is the spec's key, e.g. `/cloud/v6/test_runs/{id}`.
 */
export function assertMatchesSpec(method: string, pathTemplate: string, status: number, body: unknown): void {
  const pointer = responseSchemaPointer(method, pathTemplate, status);
  if (pointer === null) {
    if (body !== undefined && body !== '' && body !== null) throw new Error(`${method} ${pathTemplate} ${status} documents no body, got ${JSON.stringify(body).slice(0, 200)}`);
    return;
  }
  const fn: ValidateFunction = validator.compile(pointer);
  if (!fn(body)) {
    throw new Error(`${method} ${pathTemplate} ${status} does not match the spec: ${JSON.stringify(fn.errors, null, 1).slice(0, 2000)}\nbody: ${JSON.stringify(body).slice(0, 1000)}`);
  }
}
