// `stampede`: the composition root. Each command lives in its own file and registers itself here.
import { Command } from 'commander';
import { registerRunCommand } from './run-command.ts';
import { registerArchiveCommand } from './archive-command.ts';
import { registerServerCommand } from './server-command.ts';
import { registerAdminCommand } from './admin-command.ts';
import { registerCloudCommands } from './cloud-commands.ts';

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

try {
  await program.parseAsync(process.argv);
} catch (err) {
  process.stderr.write(`stampede: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = process.exitCode || 1;
}
