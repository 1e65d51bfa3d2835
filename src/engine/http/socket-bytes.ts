// The bytes a set of sockets moved since the last look: data_sent and data_received of the sockets a
// module dials itself (k6/ws, k6/websockets, k6/net/grpc), taken at each iteration's end. A closed
// socket's last bytes wait for the next look.
import type { Socket } from 'node:net';

interface Seen {
  read: number;
  written: number;
}

export class SocketBytes {
  readonly #live = new Map<Socket, Seen>();
  #pendingRead = 0;
  #pendingWritten = 0;

  track(socket: Socket): void {
    const seen: Seen = { read: 0, written: 0 };
    this.#live.set(socket, seen);
    socket.once('close', () => {
      this.#pendingRead += socket.bytesRead - seen.read;
      this.#pendingWritten += socket.bytesWritten - seen.written;
      this.#live.delete(socket);
    });
  }

  /** Bytes moved since the previous call. */
  takeBytes(): { sent: number; received: number } {
    let received = this.#pendingRead;
    let sent = this.#pendingWritten;
    this.#pendingRead = 0;
    this.#pendingWritten = 0;
    for (const [socket, seen] of this.#live) {
      const read = socket.bytesRead;
      const written = socket.bytesWritten;
      received += read - seen.read;
      sent += written - seen.written;
      seen.read = read;
      seen.written = written;
    }
    return { sent, received };
  }

  /** The sockets not closed yet. */
  open(): IterableIterator<Socket> {
    return this.#live.keys();
  }
}
