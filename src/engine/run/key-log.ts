// `SSLKEYLOGFILE=path` (k6 internal/cmd/runtime_options.go, test_load.go): the TLS session keys of
// the run's connections (k6/http) are appended to that file in NSS key log format, for Wireshark and
// the like. The variable comes from EngineIo.env; set at all (even empty) it counts, as in k6. The file
// is opened (created with mode 0600, appended to) before the script is read, with k6's warning; a file
// that cannot be opened is k6's error without an exit code (255). Without the variable nothing is
// opened and connections register no listener.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { EngineIo } from './engine-io.ts';
import { EngineError, EXIT_CODES } from './exit-codes.ts';
import { goErrnoText } from './go-errno.ts';

export interface KeyLog {
  /** Appends NSS key log lines (each already newline-terminated). */
  readonly write: (lines: string) => void;
  /** k6's warning, logged once the log exists. */
  readonly warning: { readonly msg: string; readonly fields: Readonly<Record<string, string>> };
}

/**
 * Opens the key log when SSLKEYLOGFILE is set. `scriptName` is the script as given (`-` for stdin),
 * `scriptPath` its absolute path (undefined for stdin).
 */
export async function openKeyLog(io: EngineIo, scriptName: string, scriptPath: string | undefined): Promise<KeyLog | undefined> {
  const file = io.env.SSLKEYLOGFILE;
  if (file === undefined || io.openAppend === undefined) return undefined;
  const abs = path.resolve(io.cwd, file);
  let out: { write(s: string): void };
  try {
    out = await io.openAppend(abs, 0o600);
  } catch (e) {
    throw new EngineError(EXIT_CODES.noExitCode, `could not initialize '${scriptName}': couldn't get absolute path for keylog file: open ${abs}: ${goErrnoText(e)}`);
  }
  const testPath = scriptPath === undefined ? 'file:///-' : pathToFileURL(scriptPath).href;
  return {
    write: (lines) => out.write(lines),
    warning: { msg: `SSLKEYLOGFILE was specified, logging TLS connection keys to '${file}'...`, fields: { test_path: testPath } },
  };
}
