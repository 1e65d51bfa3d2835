import type { Command } from 'commander';

// Placeholder registration; the owner of this command replaces it with the real one.
export function registerRunCommand(program: Command): void {
  program.command('run').description('(not available yet)').action(() => {
    throw new Error('the run command is not available in this build yet');
  });
}
