// The one place where errors become HTTP: every thrown value maps to a status and the v6
// `ErrorResponseApiModel` body. Anything we did not raise on purpose and that is not a client
// error recognised below is a 500 with a generic message (details go to the log, never the client).
import { ERRORS, StampedeError } from '../core/index.ts';
import type { ErrorCode } from '../core/index.ts';
import { isStoreUnavailable } from '../store/index.ts';

/** The 500 of a request the database could not serve now (down, restarting, full, read-only, locked). */
export const STORE_UNAVAILABLE_MESSAGE = 'The database is unavailable right now; try again shortly';

export interface ErrorBody {
  error: {
    code: string;
    message: string;
    target: string | null;
    details: { code: string; message: string; target: string | null }[] | null;
  };
}

export interface MappedError {
  status: number;
  body: ErrorBody;
  /** True when the error is ours to fix (logged at error level). */
  internal: boolean;
}

/** Fastify and plugin error codes for client mistakes, and what each one means for the API. */
const FRAMEWORK_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'STAMPEDE_ERR_PAYLOAD_TOO_LARGE',
  FST_REQ_FILE_TOO_LARGE: 'STAMPEDE_ERR_PAYLOAD_TOO_LARGE',
  FST_PARTS_LIMIT: 'STAMPEDE_ERR_PAYLOAD_TOO_LARGE',
  FST_FILES_LIMIT: 'STAMPEDE_ERR_PAYLOAD_TOO_LARGE',
  FST_FIELDS_LIMIT: 'STAMPEDE_ERR_PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'STAMPEDE_ERR_UNSUPPORTED_MEDIA_TYPE',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'STAMPEDE_ERR_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'STAMPEDE_ERR_VALIDATION',
  FST_ERR_CTP_INVALID_JSON_BODY: 'STAMPEDE_ERR_VALIDATION',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'STAMPEDE_ERR_BAD_REQUEST',
  FST_PROTO_VIOLATION: 'STAMPEDE_ERR_VALIDATION',
  FST_ERR_VALIDATION: 'STAMPEDE_ERR_VALIDATION',
  FST_ERR_BAD_URL: 'STAMPEDE_ERR_BAD_REQUEST',
  FST_ERR_MAX_PARAM_LENGTH: 'STAMPEDE_ERR_BAD_REQUEST',
};

export function mapError(err: unknown): MappedError {
  if (err instanceof StampedeError) return fromStampede(err);
  const e = (typeof err === 'object' && err !== null ? err : {}) as { code?: unknown; statusCode?: unknown; message?: unknown };
  const message = typeof e.message === 'string' ? e.message : undefined;
  const known = typeof e.code === 'string' ? FRAMEWORK_CODES[e.code] : undefined;
  if (known) return fromStampede(new StampedeError(known, clientMessage(known, message)));
  if (err instanceof SyntaxError) {
    return fromStampede(new StampedeError('STAMPEDE_ERR_VALIDATION', `Malformed JSON body: ${err.message}`, { target: 'body' }));
  }
  if (isStoreUnavailable(err)) return { ...fromStampede(new StampedeError('STAMPEDE_ERR_INTERNAL', STORE_UNAVAILABLE_MESSAGE)), internal: true };
  const status = typeof e.statusCode === 'number' ? e.statusCode : 500;
  if (status === 413) return fromStampede(new StampedeError('STAMPEDE_ERR_PAYLOAD_TOO_LARGE'));
  if (status === 415) return fromStampede(new StampedeError('STAMPEDE_ERR_UNSUPPORTED_MEDIA_TYPE'));
  if (status >= 400 && status < 500) return fromStampede(new StampedeError('STAMPEDE_ERR_BAD_REQUEST', message));
  return { ...fromStampede(new StampedeError('STAMPEDE_ERR_INTERNAL')), internal: true };
}

function clientMessage(code: ErrorCode, frameworkMessage: string | undefined): string {
  if (code === 'STAMPEDE_ERR_VALIDATION' && frameworkMessage) return `Malformed request body: ${frameworkMessage}`;
  return ERRORS[code].message;
}

function fromStampede(err: StampedeError): MappedError {
  const apiCode = ERRORS[err.code].apiCode;
  return {
    status: err.status,
    internal: err.status >= 500,
    body: {
      error: {
        code: apiCode,
        message: err.message,
        target: err.target ?? null,
        details: err.details.length === 0 ? null : err.details.map((d) => ({ code: 'invalid', message: d.message, target: d.target ?? null })),
      },
    },
  };
}
