// The catalogue of Stampede error codes. Every error a part raises on purpose is one of these: code,
// HTTP status and the v6 ErrorResponse `code` it maps to. Match errors by `code`, never by message.

export const ERRORS = {
  STAMPEDE_ERR_VALIDATION: { status: 400, apiCode: 'validation_error', message: 'Request validation failed' },
  STAMPEDE_ERR_BAD_REQUEST: { status: 400, apiCode: 'error', message: 'Bad request' },
  STAMPEDE_ERR_UNAUTHENTICATED: { status: 401, apiCode: 'unauthenticated', message: 'Authentication credentials were missing or invalid' },
  STAMPEDE_ERR_PERMISSION_DENIED: { status: 403, apiCode: 'permission_denied', message: 'You do not have permission to perform this action' },
  STAMPEDE_ERR_NOT_FOUND: { status: 404, apiCode: 'not_found', message: 'Not found' },
  STAMPEDE_ERR_METHOD_NOT_ALLOWED: { status: 405, apiCode: 'error', message: 'Method not allowed' },
  STAMPEDE_ERR_NOT_ACCEPTABLE: { status: 406, apiCode: 'error', message: 'Could not satisfy the Accept header' },
  STAMPEDE_ERR_REQUEST_TIMEOUT: { status: 408, apiCode: 'error', message: 'The request did not arrive in time' },
  STAMPEDE_ERR_CONFLICT: { status: 409, apiCode: 'conflict', message: 'Conflict' },
  STAMPEDE_ERR_PAYLOAD_TOO_LARGE: { status: 413, apiCode: 'error', message: 'Request body too large' },
  STAMPEDE_ERR_UNSUPPORTED_MEDIA_TYPE: { status: 415, apiCode: 'error', message: 'Unsupported media type' },
  STAMPEDE_ERR_HEADERS_TOO_LARGE: { status: 431, apiCode: 'error', message: 'The request headers are larger than the server accepts' },
  STAMPEDE_ERR_INTERNAL: { status: 500, apiCode: 'error', message: 'Internal server error' },
} as const;

export type ErrorCode = keyof typeof ERRORS;

export interface ErrorDetail {
  message: string;
  target?: string;
}

export class StampedeError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly target: string | undefined;
  readonly details: ErrorDetail[];

  constructor(code: ErrorCode, message?: string, opts: { target?: string; details?: ErrorDetail[]; cause?: unknown } = {}) {
    super(message ?? ERRORS[code].message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'StampedeError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.target = opts.target;
    this.details = opts.details ?? [];
  }
}
