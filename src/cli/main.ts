// `stampede`: the composition root. Each command lives in its own file and registers itself here.
import { Command, CommanderError } from 'commander';
import { rewriteGoBoolFlags } from './go-bool-flags.ts';
import { commandFirst } from './command-first.ts';
import { registerRunCommand } from './run-command.ts';
import { registerArchiveCommand } from './archive-command.ts';
import { registerServerCommand } from './server-command.ts';
import { registerAdminCommand } from './admin-command.ts';
import { registerCloudCommands } from './cloud-commands.ts';
import { legacyCloudArgs } from './cloud-k6-commands.ts';
import { logLine } from '../engine/index.ts';
import { registerStatsCommand } from './stats-command.ts';
import { registerVersionCommand, versionText } from './version-command.ts';
import { addGlobalFlags } from './global-flags.ts';
import { registerFeaturesCommand } from './features-command.ts';
import { withExamples } from './help-examples.ts';
import { registerInspectCommand } from './inspect-command.ts';
import { registerDepsCommand } from './deps-command.ts';
import { registerNewCommand } from './new-command.ts';
import { registerStatusCommands } from './status-commands.ts';
import { completionOutput, completions, registerCompletionCommand } from './completion-command.ts';

const program = new Command();
program
  .name('stampede')
  .description('Self-hosted load testing: a k6-compatible engine and a Grafana Cloud k6 v6 API server')
  .version(versionText(), '-V, --version', 'Show version information')
  .showHelpAfterError()
  // Every command's help lists k6's global flags too (cobra's "Global Flags"); set before the commands
  // are added, which copy it.
  .configureHelp({ showGlobalOptions: true });
addGlobalFlags(program);
withExamples(program, [
  ['Create a test', 'stampede new test.js'],
  ['Run a test', 'stampede run test.js'],
  ['Run a test on a Stampede server', 'stampede cloud run test.js'],
  ['Start the server', 'stampede server'],
]).addHelpText('after', 'Use "stampede [command] --help" for more information about a command.\n');

registerNewCommand(program);
registerRunCommand(program);
registerArchiveCommand(program);
registerServerCommand(program);
registerAdminCommand(program);
registerCloudCommands(program);
registerStatsCommand(program);
registerVersionCommand(program);
registerFeaturesCommand(program);
registerInspectCommand(program);
registerDepsCommand(program);
registerStatusCommands(program);
registerCompletionCommand(program);
// k6's root help (root.go getRootUsageTemplate): `new`, `run` and `cloud` under "Core Commands:", in that
// order (the order they are registered in), the others under "Additional Commands:".
for (const c of program.commands) c.helpGroup(['new', 'run', 'cloud'].includes(c.name()) ? 'Core Commands:' : 'Additional Commands:');
program.commandsGroup('Additional Commands:');
// A flag or command the root cannot parse (`stampede -a`, `stampede nosuch`) exits 255 as in k6;
// set after the commands, so that of them only those that set exitOverride themselves (run, archive, deps,
// inspect, new) throw too. Without a command (`stampede`, `stampede -q`) the help goes to stdout with
// exit code 0, as k6's root command does.
program
  .exitOverride()
  .allowExcessArguments()
  // An action would otherwise drop the implicit `help` command.
  .helpCommand(true)
  .action((_opts: unknown, cmd: Command) => {
    if (cmd.args.length > 0) cmd.error(`error: unknown command '${cmd.args[0] ?? ''}'`);
    else cmd.outputHelp();
  });

// The shells' completion scripts call `stampede __complete <words…>` on TAB (completion-command.ts): answered
// before any parsing, which would act on the words.
if (process.argv[2] === '__complete') {
  process.stdout.write(completionOutput(completions(program, process.argv.slice(3))));
  process.exit(0);
}

try {
  // `--include-system-env-vars=false`, `--throw=1`: pflag's boolean values, which commander lacks;
  // `stampede --env X=1 archive x.js`: a command's flags in front of its name, as cobra takes them.
  const commands = new Set(program.commands.flatMap((c) => [c.name(), ...c.aliases()]));
  // `stampede cloud script.js`: k6 v1's deprecated form of `cloud run` (cloud-k6-commands.ts).
  const args = legacyCloudArgs(commandFirst(rewriteGoBoolFlags(process.argv.slice(2)), commands), (msg) => {
    process.stderr.write(logLine('warn', msg, process.stderr.isTTY === true));
  });
  await program.parseAsync([...process.argv.slice(0, 2), ...args]);
} catch (err) {
  // The root, `run`, `archive`, `inspect` and `new` throw these (their exitOverride): commander already printed the problem,
  // and k6 exits 255 for a flag or argument it cannot parse (0 after --help).
  if (err instanceof CommanderError) process.exit(err.exitCode === 0 ? 0 : 255);
  process.stderr.write(`stampede: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = process.exitCode || 1;
}
