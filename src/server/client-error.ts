// Requests Node's HTTP parser refuses before any route sees them (a malformed request line or header,
// a bad Content-Length or chunk, headers past the size limit, a request that takes too long) still get
// the API's ErrorResponse body, not Fastify's own error shape. The connection is closed after it, as
// Node does, since the rest of the stream cannot be trusted.
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { StampedeError } from '../core/index.ts';
import { mapError } from './error-response.ts';

export function clientErrorHandler(err: Error & { code?: string }, socket: Duplex): void {
  // A connection reset or an already destroyed socket has no one left to answer.
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const code = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 'STAMPEDE_ERR_REQUEST_TIMEOUT' : err.code === 'HPE_HEADER_OVERFLOW' ? 'STAMPEDE_ERR_HEADERS_TOO_LARGE' : 'STAMPEDE_ERR_BAD_REQUEST';
  const mapped = mapError(new StampedeError(code, code === 'STAMPEDE_ERR_BAD_REQUEST' ? `Malformed HTTP request (${err.code ?? 'parse error'})` : undefined));
  const body = JSON.stringify(mapped.body);
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${mapped.status} ${STATUS_CODES[mapped.status] ?? 'Error'}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(err);
}
