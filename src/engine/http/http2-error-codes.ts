// k6's HTTP/2 error codes (lib/netext/httpext/error_codes.go): a GOAWAY from the server is 1610, a
// stream reset 1630, a connection error 1650, each plus 1 + the frame's error code for the 14 codes
// RFC 9113 defines (an unknown code stays on the base); the message names the code as Go's
// http2.ErrCode prints it (`INTERNAL_ERROR`, `unknown error code 0xe`). undici and node:http2 give
// the code only in their messages, so it is read from those, as k6 reads it from Go's.
import type { HttpFailure } from './error-codes.ts';

const GO_NAMES = [
  'NO_ERROR', 'PROTOCOL_ERROR', 'INTERNAL_ERROR', 'FLOW_CONTROL_ERROR', 'SETTINGS_TIMEOUT', 'STREAM_CLOSED', 'FRAME_SIZE_ERROR',
  'REFUSED_STREAM', 'CANCEL', 'COMPRESSION_ERROR', 'CONNECT_ERROR', 'ENHANCE_YOUR_CALM', 'INADEQUATE_SECURITY', 'HTTP_1_1_REQUIRED',
] as const;

type Kind = 'goaway' | 'stream' | 'connection';
const BASE: Record<Kind, number> = { goaway: 1610, stream: 1630, connection: 1650 };
const WHAT: Record<Kind, string> = { goaway: 'received GoAway', stream: 'stream error', connection: 'connection error' };

/** k6's code and message for an HTTP/2 error of `kind` with the frame's error code. */
export function http2Failure(kind: Kind, frameCode: number): HttpFailure {
  const name = GO_NAMES[frameCode];
  const shown = name ?? `unknown error code 0x${frameCode.toString(16)}`;
  return { code: BASE[kind] + (name === undefined ? 0 : 1 + frameCode), message: `http2: ${WHAT[kind]} with http2 ErrCode ${shown}` };
}

/** A node:http2 name (`NGHTTP2_INTERNAL_ERROR`) or a number, as the frame's error code. */
function frameCodeOf(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  const i = (GO_NAMES as readonly string[]).indexOf(text.replace(/^NGHTTP2_/, ''));
  return i < 0 ? undefined : i;
}

/**
 * The HTTP/2 failure an undici or node:http2 error message tells of: undici's `HTTP/2: "GOAWAY" frame
 * received with code N` and `HTTP/2: "stream error" received - code N`, node:http2's `Stream closed
 * with error code NGHTTP2_X` (a reset stream) and `Session closed with error code N` (a connection
 * error). Undefined for any other message.
 */
export function http2FailureOf(message: string): HttpFailure | undefined {
  const patterns: readonly [RegExp, Kind][] = [
    [/^HTTP\/2: "GOAWAY" frame received with code (\w+)$/, 'goaway'],
    [/^HTTP\/2: "stream error" received - code (\w+)$/, 'stream'],
    [/^Stream closed with error code (\w+)$/, 'stream'],
    [/^Session closed with error code (\w+)$/, 'connection'],
  ];
  for (const [re, kind] of patterns) {
    const m = re.exec(message);
    const code = m?.[1] === undefined ? undefined : frameCodeOf(m[1]);
    if (code !== undefined) return http2Failure(kind, code);
  }
  return undefined;
}
