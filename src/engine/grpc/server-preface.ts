// Why a server that accepts TCP connections is no gRPC server, in grpc-go's words. grpc-go sends the
// HTTP/2 client preface and reads the server's first frame, which must be SETTINGS; when it is not,
// the connection fails with `error reading server preface: …` (a temporary error, so a blocking dial
// retries until its deadline). grpc-js only says the channel failed: this probe makes the same
// exchange once and words the outcome as Go's http2 Framer and grpc-go do.
import * as net from 'node:net';

const CLIENT_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');
/** An empty SETTINGS frame: length 0, type 4, no flags, stream 0. */
const EMPTY_SETTINGS = Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0]);
const FRAME_HEADER_BYTES = 9;
/** Go's http2 Framer reads frames up to 16 KiB until SETTINGS raise the limit. */
const MAX_READ_FRAME = 16_384;
const SETTINGS = 4;

/** x/net/http2's frame type names, as grpc-go prints the first frame's Go type (`%T`). */
const FRAME_TYPES: Readonly<Record<number, string>> = {
  0: '*http2.DataFrame',
  1: '*http2.MetaHeadersFrame',
  2: '*http2.PriorityFrame',
  3: '*http2.RSTStreamFrame',
  5: '*http2.PushPromiseFrame',
  6: '*http2.PingFrame',
  7: '*http2.GoAwayFrame',
  8: '*http2.WindowUpdateFrame',
  9: '*http2.ContinuationFrame',
};

/** The text of grpc-go's failure for the server's first bytes `head` (9, or fewer when it closed). */
export function prefaceFailure(head: Buffer, closedEarly: boolean): string | undefined {
  if (head.length < FRAME_HEADER_BYTES) {
    if (!closedEarly) return undefined;
    return `error reading server preface: ${head.length === 0 ? 'EOF' : 'unexpected EOF'}`;
  }
  const length = head.readUIntBE(0, 3);
  const type = head[3] ?? 0;
  if (length > MAX_READ_FRAME) {
    const looksHttp1 = head.subarray(0, FRAME_HEADER_BYTES).toString('latin1') === 'HTTP/1.1 ';
    return looksHttp1
      ? 'error reading server preface: http2: failed reading the frame payload: http2: frame too large, note that the frame header looked like an HTTP/1.1 header'
      : 'error reading server preface: http2: frame too large';
  }
  if (type === SETTINGS) return undefined;
  return `initial http2 frame from server is not a settings frame: ${FRAME_TYPES[type] ?? '*http2.UnknownFrame'}`;
}

/**
 * Sends the client preface to host:port over plain TCP and reads the first frame header: the reason
 * the server is no HTTP/2 server, or undefined when it answered SETTINGS, could not be reached, or
 * said nothing within `waitMs`.
 */
export function probeServerPreface(host: string, port: string, waitMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    let head = Buffer.alloc(0);
    let settled = false;
    const socket = net.connect({ host, port: Number(port) });
    const finish = (closedEarly: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(prefaceFailure(head, closedEarly));
    };
    const timer = setTimeout(() => finish(false), Math.max(0, waitMs));
    socket.once('connect', () => socket.write(Buffer.concat([CLIENT_PREFACE, EMPTY_SETTINGS])));
    socket.on('data', (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]).subarray(0, FRAME_HEADER_BYTES);
      if (head.length >= FRAME_HEADER_BYTES) finish(false);
    });
    socket.once('end', () => finish(true));
    socket.once('error', (e: NodeJS.ErrnoException) => {
      if (settled) return;
      // A reset after the preface is what Go reads as the error itself.
      if (e.code === 'ECONNRESET' && head.length === 0 && socket.localPort !== undefined) {
        settled = true;
        clearTimeout(timer);
        resolve(`error reading server preface: read tcp ${socket.localAddress ?? ''}:${socket.localPort}->${host}:${port}: read: connection reset by peer`);
        return;
      }
      settled = true;
      clearTimeout(timer);
      resolve(undefined);
    });
  });
}
