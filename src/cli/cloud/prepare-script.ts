// What `stampede cloud run`/`upload` send, decided the way `k6 cloud run` decides it: the script is
// loaded here (its init code runs on this machine) and its options consolidated with the config file,
// the K6_* environment and the command's flags; k6 then uploads a k6 archive carrying those options
// and every local file the test needs, since the server has nothing but the uploaded bytes. Stampede
// does the same, except when nothing but the file decides the test: a self-contained script with no
// option flags, config file or K6_* option variables goes up as it is (so `runs script` shows it), and
// a `.tar` given as it is goes up untouched.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadTest, type LoadedTest } from '../../engine/index.ts';
import { processIo } from '../process-io.ts';

export interface PreparedScript {
  /** The consolidated options, for the VUh estimate, the project and the load test's name. */
  options: Record<string, unknown>;
  /** The bytes to upload. */
  upload: Uint8Array;
  isTar: boolean;
  /** Files packed into the archive besides the main script; empty when the upload is the user's file. */
  packed: string[];
}

/** A k6 archive is a POSIX tar: "ustar" at offset 257 (the server tells them apart the same way). */
export function isUstar(bytes: Uint8Array): boolean {
  return bytes.length > 262 && new TextDecoder().decode(bytes.subarray(257, 262)) === 'ustar';
}

/**
 * The upload for a loaded test (`path`: its file, or the bytes read from stdin). `onlyTheFile`: no flag, config file or K6_* option variable took part
 * in the options, so the file itself says everything the archive would.
 */
export async function prepareUpload(path: string | Uint8Array, test: LoadedTest, onlyTheFile: boolean): Promise<PreparedScript> {
  const file = typeof path === 'string' ? new Uint8Array(await readFile(path)) : path;
  const options = JSON.parse(JSON.stringify(test.options)) as Record<string, unknown>;
  if (isUstar(file) && onlyTheFile) return { options, upload: file, isTar: true, packed: [] };
  const archive = await test.makeArchive();
  if (!isUstar(file) && archive.files.length === 0 && onlyTheFile) return { options, upload: file, isTar: false, packed: [] };
  return { options, upload: archive.data, isTar: true, packed: archive.files };
}

/** The upload for a script given alone, with no flags (options: script < K6_* env). */
export async function prepareScript(path: string): Promise<PreparedScript> {
  const quiet = { write: () => {}, isTTY: false };
  const loaded = await loadTest({ path: resolve(path) }, {}, processIo({ stdout: quiet, stderr: quiet }));
  return prepareUpload(path, loaded, true);
}
