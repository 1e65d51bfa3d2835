// Everything the engine touches outside itself (docs/architecture.md): injected, never global.
import type { LogLevel } from '../vu/log-sink.ts';

/** One line of the engine log as a host that stores logs receives it (EngineIo.logEntries). */
export interface EngineLogEntry {
  /** Epoch milliseconds. */
  time: number;
  level: LogLevel;
  msg: string;
  fields: Readonly<Record<string, string>>;
}

export interface EngineIo {
  cwd: string;
  /** The system environment, used only as documented (the K6_* tier, --include-system-env-vars, SSLKEYLOGFILE, …). */
  env: Record<string, string>;
  readFile(path: string): Promise<Uint8Array>;
  writeFile(path: string, data: string | Uint8Array): Promise<void>;
  stdout: { write(s: string): void; isTTY: boolean; columns?: number };
  stderr: { write(s: string): void; isTTY: boolean };
  /** Where the engine log goes (`--log-output`); stderr when absent. */
  log?: { write(s: string): void; isTTY: boolean };
  /**
   * A host that keeps log lines itself (a server's runner) gets each one here, with its time, instead
   * of a formatted line in `log`/`stderr`: the level, the message (secrets redacted, stack positions
   * mapped to the script's files) and the fields (`source=console`, `error`, …). With `tee`, the
   * formatted lines are written as well, as a logrus hook of k6's sees every entry (`cloud run
   * --local-execution` shows the log and pushes it to the server).
   */
  logEntries?: { write(entry: EngineLogEntry): void; tee?: boolean };
  /**
   * Opens a file for appending, created with `mode` (default 0644) when missing (`--console-output`,
   * SSLKEYLOGFILE); without it those are not honoured (console lines stay in the log).
   */
  openAppend?(path: string, mode?: number): Promise<{ write(s: string): void }>;
  /**
   * Creates (or truncates) a file that `--out json`/`--out csv` stream their points to during the run;
   * without it those outputs are kept in memory and written with `writeFile` at the end.
   */
  openOutput?(path: string): Promise<OutputFile>;
}

/** A file being written in order; close() resolves once everything written is on disk (or rejects). */
export interface OutputFile {
  write(data: string | Uint8Array): void;
  close(): Promise<void>;
}
