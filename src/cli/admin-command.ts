import type { Command } from 'commander';

// Placeholder registration; the owner of this command replaces it with the real one.
export function registerAdminCommand(program: Command): void {
  program.command('admin').description('(not available yet)').action(() => {
    throw new Error('the admin command is not available in this build yet');
  });
}
