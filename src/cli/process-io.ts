// The engine's EngineIo over this process: its files, environment and terminal.
import { createWriteStream, openSync, writeSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import type { EngineIo, OutputFile } from '../engine/index.ts';

export function processIo(overrides: Partial<EngineIo> = {}): EngineIo {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  return {
    cwd: process.cwd(),
    env,
    readFile: (p) => readFile(p),
    writeFile: (p, data) => writeFile(p, data),
    stdout: { write: (s) => void process.stdout.write(s), isTTY: process.stdout.isTTY === true, columns: process.stdout.columns },
    stderr: { write: (s) => void process.stderr.write(s), isTTY: process.stderr.isTTY === true },
    openAppend: (p, mode) => Promise.resolve(appendingFile(p, mode ?? 0o644)),
    openOutput: (p) => outputFile(p),
    ...overrides,
  };
}

/**
 * A file opened for appending (created with `mode` when missing), written synchronously so that
 * nothing is lost when the process exits right after the summary.
 */
export function appendingFile(path: string, mode: number): { write(s: string): void } {
  const fd = openSync(path, 'a', mode);
  return { write: (s) => void writeSync(fd, s) };
}

/**
 * A file created or truncated for a streamed output. Writes queue in the stream (the run never waits
 * on the disk); a write error is kept and reported by close().
 */
export function outputFile(path: string): Promise<OutputFile> {
  return new Promise((resolve, reject) => {
    const stream = createWriteStream(path);
    let failure: Error | undefined;
    stream.on('error', (e) => {
      failure ??= e;
      reject(e);
    });
    stream.once('open', () => resolve({
      write(data) {
        if (failure === undefined) stream.write(data);
      },
      close: () => new Promise<void>((done, fail) => {
        if (failure !== undefined) {
          fail(failure);
          return;
        }
        stream.end(() => (failure === undefined ? done() : fail(failure)));
      }),
    }));
  });
}
