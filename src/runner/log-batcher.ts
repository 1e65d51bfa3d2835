// The script's console and the engine's own output, forwarded as a few messages instead of one per
// write, every flush interval:
// - text written to stdout/stderr (the end-of-test summary, anything not logged) is gathered per
//   stream, at most `maxBytes` per interval (the rest is counted and dropped);
// - engine log lines (console.log, warnings, errors) go as entries, at most `maxLines` per interval
//   and no message longer than `maxLineBytes`; the rest are counted as dropped,
// so a script logging every iteration cannot flood the protocol, the server's log or its store.
import type { FromRunner, RunnerLogLine } from './protocol.ts';

type Stream = 'stdout' | 'stderr';

const LEVEL_NAME: Record<'debug' | 'info' | 'warn' | 'error', RunnerLogLine['level']> = { debug: 'debug', info: 'info', warn: 'warning', error: 'error' };

export class LogBatcher {
  private readonly pending: Record<Stream, string> = { stdout: '', stderr: '' };
  private readonly dropped: Record<Stream, number> = { stdout: 0, stderr: 0 };
  private lines: RunnerLogLine[] = [];
  private droppedLines = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly send: (m: FromRunner) => void;
  private readonly intervalMs: number;
  private readonly maxBytes: number;
  private readonly maxLines: number;
  private readonly maxLineBytes: number;

  constructor(send: (m: FromRunner) => void, opts: { intervalMs?: number; maxBytes?: number; maxLines?: number; maxLineBytes?: number } = {}) {
    this.send = send;
    this.intervalMs = opts.intervalMs ?? 250;
    this.maxBytes = opts.maxBytes ?? 64 * 1024;
    this.maxLines = opts.maxLines ?? 250;
    this.maxLineBytes = opts.maxLineBytes ?? 8 * 1024;
  }

  write(stream: Stream, text: string): void {
    const room = this.maxBytes - this.pending[stream].length;
    if (text.length <= room) this.pending[stream] += text;
    else {
      this.pending[stream] += text.slice(0, Math.max(0, room));
      this.dropped[stream] += text.length - Math.max(0, room);
    }
    this.schedule();
  }

  /** One engine log line (EngineIo.logEntries). */
  entry(e: { time: number; level: keyof typeof LEVEL_NAME; msg: string; fields: Readonly<Record<string, string>> }): void {
    if (this.lines.length >= this.maxLines) this.droppedLines++;
    else {
      const msg = e.msg.length > this.maxLineBytes ? `${e.msg.slice(0, this.maxLineBytes)}… [${e.msg.length - this.maxLineBytes} characters cut]` : e.msg;
      this.lines.push({ time: e.time, level: LEVEL_NAME[e.level], msg, fields: { ...e.fields } });
    }
    this.schedule();
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
    if (this.lines.length > 0 || this.droppedLines > 0) {
      this.send({ type: 'logLines', lines: this.lines, dropped: this.droppedLines });
      this.lines = [];
      this.droppedLines = 0;
    }
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }
}
