// The consolidated options of a local script, read the way `k6 cloud run` reads them: by loading
// the script (its init code runs here, on the user's machine) without starting it.
import { resolve } from 'node:path';
import { loadTest } from '../engine/index.ts';
import { processIo } from './process-io.ts';

export async function readScriptOptions(path: string): Promise<Record<string, unknown>> {
  const quiet = { write: () => {}, isTTY: false };
  const loaded = await loadTest({ path: resolve(path) }, {}, processIo({ stdout: quiet, stderr: quiet }));
  return JSON.parse(JSON.stringify(loaded.options)) as Record<string, unknown>;
}
