// Validates JSON values against the spec's component schemas with ajv (draft 2020-12, which OpenAPI
// 3.1 uses). All problems are reported at once, each naming the field it concerns.
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { StampedeError } from '../../core/index.ts';
import { loadSpec } from './spec.ts';

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
const SPEC_ID = 'k6-cloud-v6';

export interface SpecValidator {
  /** Compiles (once) the schema at a JSON pointer inside the spec, e.g. `#/components/schemas/X`. */
  compile(pointer: string): ValidateFunction;
  /** Throws a validation error listing every problem when `value` does not match component `name`. */
  assertComponent(name: string, value: unknown, target?: string): void;
}

export function createSpecValidator(): SpecValidator {
  // The spec's label patterns (`^[^\s'\";\\%]+$`) escape a quote, which a regular expression in
  // unicode mode refuses; without the u flag they mean what their authors (Python) meant.
  const ajv = new Ajv2020({ strict: false, strictNumbers: true, allErrors: true, validateFormats: true, unicodeRegExp: false });
  addFormats(ajv);
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => isInt32(n) });
  ajv.addFormat('binary', true);
  ajv.addSchema(withSafeIntegers(loadSpec().document), SPEC_ID);
  const compiled = new Map<string, ValidateFunction>();

  const compile = (pointer: string): ValidateFunction => {
    let fn = compiled.get(pointer);
    if (!fn) {
      fn = ajv.compile({ $ref: `${SPEC_ID}${pointer}` });
      compiled.set(pointer, fn);
    }
    return fn;
  };

  return {
    compile,
    assertComponent(name, value, target = 'body') {
      const fn = compile(`#/components/schemas/${name}`);
      if (!fn(value)) {
        const details = (fn.errors ?? []).map((e) => describeAjvError(e, target));
        throw new StampedeError('STAMPEDE_ERR_VALIDATION', details[0]?.message ?? 'Invalid request body', {
          target: details.length === 1 ? details[0]?.target : target,
          details,
        });
      }
    },
  };
}

/** Whether `n` is an integer within a signed 32-bit range. */
export function isInt32(n: number): boolean {
  return Number.isInteger(n) && n >= -(2 ** 31) && n <= 2 ** 31 - 1;
}

/**
 * A copy of the spec in which every `integer` without a format is `int32`. `int64` we define as a
 * JavaScript safe integer (beyond ±(2^53−1) a JSON integer cannot be read exactly and the stores'
 * bigint columns would reject or round it). A formatless integer is narrower still: OpenAPI
 * generators map it to a 32-bit type (Grafana's own Go client, under the Terraform provider, reads
 * limits, k6_version and durations as int32), so a larger value stored here would make the resource
 * unreadable to them. Either way it is a 400 naming the field (in requests) and a contract failure
 * (in responses), never a silently different number or a 500.
 */
function withSafeIntegers(document: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(document);
  const pending: unknown[] = [copy];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    if (typeof node !== 'object' || node === null) continue;
    if (!Array.isArray(node)) {
      const schema = node as Record<string, unknown>;
      const type = schema['type'];
      const integer = type === 'integer' || (Array.isArray(type) && type.includes('integer'));
      if (integer && schema['format'] === undefined) schema['format'] = 'int32';
    }
    pending.push(...Object.values(node));
  }
  return copy;
}

function describeAjvError(e: ErrorObject, root: string): { message: string; target: string } {
  const path = e.instancePath.split('/').filter(Boolean).join('.');
  if (e.keyword === 'additionalProperties') {
    const extra = String((e.params as { additionalProperty?: unknown }).additionalProperty);
    return { target: path ? `${path}.${extra}` : extra, message: `Unknown field "${extra}".` };
  }
  if (e.keyword === 'required') {
    const missing = String((e.params as { missingProperty?: unknown }).missingProperty);
    return { target: path ? `${path}.${missing}` : missing, message: `Field "${missing}" is required.` };
  }
  const target = path || root;
  const format = e.keyword === 'format' ? (e.params as { format?: unknown }).format : undefined;
  if (format === 'int64') return { target, message: `${target} must be an integer between -${Number.MAX_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}.` };
  if (format === 'int32') return { target, message: `${target} must be an integer between -${2 ** 31} and ${2 ** 31 - 1}.` };
  return { target, message: `${target} ${e.message ?? 'is invalid'}.` };
}
