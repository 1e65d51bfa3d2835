// `k6 archive` of a loaded test (k6 internal/js/bundle.go makeArchive): the main script, every module
// the compiler read and every file VU 0's init context opened — so discovery is the init code itself
// running, as in k6, not a guess at `open()` calls — with the consolidated options (shortcuts kept, not
// the derived scenarios) and the run's environment.
import { platform } from 'node:os';
import { writeArchive } from '../compile/archive-writer.ts';
import { K6_COMPAT_VERSION } from '../options/k6-options.ts';
import { optionsToK6Json } from '../options/options-json.ts';
import type { LoadedTestState } from './load-test.ts';

export interface ArchiveRequest {
  /** `--exclude-env-vars`: no environment in the metadata. */
  excludeEnvVars?: boolean;
  /** Entry times (default: now). */
  now?: Date;
}

export interface TestArchive {
  /** The archive's bytes (a plain tar). */
  data: Uint8Array;
  /** What it carries besides the main script: local paths and https URLs, sorted. */
  files: string[];
  /** Things a user should know, e.g. modules left to the engine's built-in copies. */
  warnings: string[];
}

const GOOS: Readonly<Record<string, string>> = { win32: 'windows' };

export async function makeTestArchive(state: LoadedTestState, request: ArchiveRequest = {}): Promise<TestArchive> {
  const { compiled } = state;
  const main = compiled.files.get(compiled.mainPath) ?? compiled.sourceBytes;
  const files = new Map<string, Uint8Array>([...compiled.sources, ...state.mainScript.files.opened]);
  files.delete(compiled.mainPath);
  const data = await writeArchive({
    mainPath: compiled.mainPath,
    data: main,
    files,
    options: optionsToK6Json(state.options),
    env: request.excludeEnvVars === true ? {} : state.env,
    k6version: K6_COMPAT_VERSION,
    goos: GOOS[platform()] ?? platform(),
    compatibilityMode: state.compatibilityMode,
    dependencies: compiled.dependencies,
    ...(request.now === undefined ? {} : { now: request.now }),
  });
  const warnings = compiled.builtinRemotes.map(
    (url) => `${url} is not in the archive: Stampede serves its built-in copy, real k6 downloads it when it runs the archive`,
  );
  return { data, files: [...files.keys()].sort(), warnings };
}
