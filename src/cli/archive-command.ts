// `stampede archive script.js`: `k6 archive` — load the test as `run` would (its init code runs here,
// which is how the files it open()s are found), then write the script, its local modules, those files
// and the consolidated options (config file < script < K6_* env < these flags) into a k6 `.tar` that `stampede run`,
// `stampede cloud run`, the server and real k6 all accept. Exit codes are k6's (104 invalid options,
// 107 script error); a file that cannot be written exits 1.
import type { Command } from 'commander';
import type { EngineIo } from '../engine/index.ts';
import { addOptionFlags, optionFlagsFrom, type OptionFlagValues } from './option-flags.ts';
import { processIo } from './process-io.ts';
import { withLoadedTest } from './command-load.ts';
import { secretSourceFlags } from './secret-source-flag.ts';
import { withExamples } from './help-examples.ts';

interface ArchiveCliOptions extends OptionFlagValues {
  archiveOut: string;
  excludeEnvVars?: boolean;
}

export function registerArchiveCommand(program: Command): void {
  const archive = program
    .command('archive')
    .description('Bundle a script, its local modules and the files it opens into a k6 archive (.tar), like `k6 archive`')
    .argument('<script>', 'script file (.js, .ts) or k6 archive (.tar)');
  addOptionFlags(archive)
    .option('-O, --archive-out <file>', 'archive file to write; - writes it to stdout', 'archive.tar')
    .option('--exclude-env-vars', 'leave the environment variables (-e, --include-system-env-vars) out of the archive')
    .action(async (script: string, _opts: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<ArchiveCliOptions>();
      const toStdout = (data: Uint8Array): Promise<void> =>
        new Promise((resolve, reject) => void process.stdout.write(data, (e) => (e ? reject(e) : resolve())));
      process.exitCode = await archiveCommand(script, opts, processIo(), toStdout);
      // VU 0's module resources (HTTP clients) must not hold the process open.
      process.exit(process.exitCode);
    });
  // k6 archive's examples (internal/cmd/archive.go).
  withExamples(archive, [
    ['Archive a test run.', 'stampede archive -u 10 -d 10s -O myarchive.tar script.js'],
    ['Run the resulting archive.', 'stampede run myarchive.tar'],
  ]);
}

/** `toStdout` carries the archive's bytes for `-O -` (EngineIo's stdout takes text). */
export async function archiveCommand(
  script: string, o: ArchiveCliOptions, given: EngineIo, toStdout: (data: Uint8Array) => Promise<void>,
): Promise<number> {
  const loaded = await withLoadedTest(script, o, given,
    // k6's global flags apply to archive too: -v (debug lines), --no-color, --secret-source.
    (io) => ({ ...optionFlagsFrom(o, io.env, false), ...secretSourceFlags(o, io.env) }),
    (test) => test.makeArchive({ excludeEnvVars: o.excludeEnvVars === true }));
  if (typeof loaded === 'number') return loaded;
  const { value: archive, io, log } = loaded;
  for (const w of archive.warnings) log('warn', w);
  try {
    if (o.archiveOut === '-') {
      await toStdout(archive.data);
      return 0;
    }
    await io.writeFile(o.archiveOut, archive.data);
  } catch (e) {
    log('error', `cannot write the archive to ${o.archiveOut}: ${(e as Error).message}`);
    return 1;
  }
  const count = archive.files.length;
  const needs = count === 0 ? ', which needs no other file' : ` and ${count} file${count === 1 ? '' : 's'} it needs`;
  io.stdout.write(`${o.archiveOut}: ${script}${needs}\n`);
  return 0;
}
