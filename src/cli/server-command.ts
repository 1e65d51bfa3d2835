import type { Command } from 'commander';

// Placeholder registration; the owner of this command replaces it with the real one.
export function registerServerCommand(program: Command): void {
  program.command('server').description('(not available yet)').action(() => {
    throw new Error('the server command is not available in this build yet');
  });
}
