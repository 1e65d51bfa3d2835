import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERRORS, StampedeError } from '../core/index.ts';
import type { ErrorCode } from '../core/index.ts';
import { mapError, STORE_UNAVAILABLE_MESSAGE } from './error-response.ts';
import { createSpecValidator } from './openapi/schema-validator.ts';

const errorShape = createSpecValidator().compile('#/components/schemas/ErrorResponseApiModel');

describe('mapError', () => {
  it('maps every catalogue code to its status and a spec-valid ErrorResponse', () => {
    for (const code of Object.keys(ERRORS) as ErrorCode[]) {
      const mapped = mapError(new StampedeError(code, undefined, { target: 'x', details: [{ target: 'x', message: 'bad' }] }));
      expect(mapped.status, code).toBe(ERRORS[code].status);
      expect(mapped.body.error.code, code).toBe(ERRORS[code].apiCode);
      expect(errorShape(mapped.body), code).toBe(true);
    }
  });

  it('every API error code is documented in docs/api.md', () => {
    const doc = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');
    for (const { apiCode } of Object.values(ERRORS)) expect(doc, apiCode).toContain(`\`${apiCode}\``);
  });

  it('turns framework client errors into 4xx and anything unknown into a bare 500', () => {
    expect(mapError(Object.assign(new Error('too big'), { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 })).status).toBe(413);
    expect(mapError(Object.assign(new Error('x'), { code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', statusCode: 415 })).status).toBe(415);
    expect(mapError(new SyntaxError('Unexpected end of JSON input')).status).toBe(400);
    const internal = mapError(new Error('connection refused to db at 10.0.0.1'));
    expect(internal.status).toBe(500);
    expect(internal.internal).toBe(true);
    expect(internal.body.error.message).not.toContain('10.0.0.1');
  });

  it('says so when the database cannot serve the request now (dependency-failure QA: was a bare "Internal server error")', () => {
    for (const err of [
      new Error('Connection terminated unexpectedly'),
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      Object.assign(new Error('cannot execute INSERT in a read-only transaction'), { code: '25006' }),
      Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }),
      Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }),
    ]) {
      const mapped = mapError(err);
      expect(mapped.status, err.message).toBe(500);
      expect(mapped.internal).toBe(true);
      expect(mapped.body.error).toEqual({ code: 'error', message: STORE_UNAVAILABLE_MESSAGE, target: null, details: null });
      expect(errorShape(mapped.body)).toBe(true);
    }
  });
});
