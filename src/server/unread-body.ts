// The rest of a request body the server refused before reading it all (a body past
// STAMPEDE_BODY_LIMIT_BYTES is refused on its Content-Length, or as soon as it grows past the limit).
// The answer closes the connection; closed while the client is still sending, it is reset, and a
// client that reads only once it has written its request (Go's net/http, Python's http.client) gets
// a broken pipe instead of the 400. So the rest is read and dropped first, within bounds: past them
// the connection is closed as before.
import type { IncomingMessage } from 'node:http';

/** Most bytes read and dropped after a refusal. */
export const DRAIN_MAX_BYTES = 256 * 1024 * 1024;
/** Longest wait for the rest of a refused body. */
export const DRAIN_MAX_MS = 15_000;

/** Reads and drops what is left of `raw`'s body; resolves when it ended, broke, or went past the bounds. */
export function drainUnreadBody(raw: IncomingMessage, maxBytes = DRAIN_MAX_BYTES, maxMs = DRAIN_MAX_MS): Promise<void> {
  if (raw.complete || raw.readableEnded || raw.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let seen = 0;
    const finish = (): void => {
      clearTimeout(timer);
      raw.off('data', onData);
      raw.off('end', finish);
      raw.off('error', finish);
      raw.off('close', finish);
      resolve();
    };
    const onData = (chunk: Buffer): void => {
      seen += chunk.length;
      if (seen > maxBytes) finish();
    };
    const timer = setTimeout(finish, maxMs);
    raw.on('data', onData);
    raw.once('end', finish);
    raw.once('error', finish);
    raw.once('close', finish);
    raw.resume();
  });
}
