// What `stampede cloud run` sends, decided the way `k6 cloud run` decides it: the script is loaded here
// (its init code runs on this machine) for its consolidated options, and a script that needs anything
// besides itself — local modules, files its init code open()s — goes up as a k6 archive, since the
// server has nothing but the uploaded bytes. A self-contained script goes up as it is (so `runs script`
// shows it), and a `.tar` given by the user goes up untouched.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadTest } from '../../engine/index.ts';
import { processIo } from '../process-io.ts';

export interface PreparedScript {
  /** The consolidated options (script < K6_* env), for the VUh estimate and the load test's name. */
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

export async function prepareScript(path: string): Promise<PreparedScript> {
  const file = new Uint8Array(await readFile(path));
  const quiet = { write: () => {}, isTTY: false };
  const loaded = await loadTest({ path: resolve(path) }, {}, processIo({ stdout: quiet, stderr: quiet }));
  const options = JSON.parse(JSON.stringify(loaded.options)) as Record<string, unknown>;
  if (isUstar(file)) return { options, upload: file, isTar: true, packed: [] };
  const archive = await loaded.makeArchive();
  if (archive.files.length === 0) return { options, upload: file, isTar: false, packed: [] };
  return { options, upload: archive.data, isTar: true, packed: archive.files };
}
