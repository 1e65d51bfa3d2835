// `stampede`: the composition root. Each command lives in its own file and registers itself here.
import { Command, CommanderError } from 'commander';
import { registerRunCommand } from './run-command.ts';
import { registerArchiveCommand } from './archive-command.ts';
import { registerServerCommand } from './server-command.ts';
import { registerAdminCommand } from './admin-command.ts';
import { registerCloudCommands } from './cloud-commands.ts';
import { registerStatsCommand } from './stats-command.ts';

const program = new Command();
program
  .name('stampede')
  .description('Self-hosted load testing: a k6-compatible engine and a Grafana Cloud k6 v6 API server')
  .version('0.1.0')
  .showHelpAfterError();

registerRunCommand(program);
registerArchiveCommand(program);
registerServerCommand(program);
registerAdminCommand(program);
registerCloudCommands(program);
registerStatsCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  // Only `run` and `archive` throw these (their exitOverride): commander already printed the problem,
  // and k6 exits 255 for a flag or argument it cannot parse (0 after --help).
  if (err instanceof CommanderError) process.exit(err.exitCode === 0 ? 0 : 255);
  process.stderr.write(`stampede: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = process.exitCode || 1;
}
