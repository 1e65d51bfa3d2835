// The script's console and the engine's own output, forwarded as a few `log` messages instead of one
// per write: text is gathered per stream and sent every flush interval, at most `maxBytes` per
// interval (the rest is counted and dropped), so a script logging every iteration cannot flood the
// protocol or the server's log.
import type { FromRunner } from './protocol.ts';

type Stream = 'stdout' | 'stderr';

export class LogBatcher {
  private readonly pending: Record<Stream, string> = { stdout: '', stderr: '' };
  private readonly dropped: Record<Stream, number> = { stdout: 0, stderr: 0 };
  private timer: NodeJS.Timeout | null = null;
  private readonly send: (m: FromRunner) => void;
  private readonly intervalMs: number;
  private readonly maxBytes: number;

  constructor(send: (m: FromRunner) => void, opts: { intervalMs?: number; maxBytes?: number } = {}) {
    this.send = send;
    this.intervalMs = opts.intervalMs ?? 250;
    this.maxBytes = opts.maxBytes ?? 64 * 1024;
  }

  write(stream: Stream, text: string): void {
    const room = this.maxBytes - this.pending[stream].length;
    if (text.length <= room) this.pending[stream] += text;
    else {
      this.pending[stream] += text.slice(0, Math.max(0, room));
      this.dropped[stream] += text.length - Math.max(0, room);
    }
    this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    for (const stream of ['stdout', 'stderr'] as const) {
      const dropped = this.dropped[stream];
      const text = this.pending[stream] + (dropped > 0 ? `\n[${dropped} characters of output dropped]\n` : '');
      this.pending[stream] = '';
      this.dropped[stream] = 0;
      if (text.length > 0) this.send({ type: 'log', stream, text });
    }
  }
}
