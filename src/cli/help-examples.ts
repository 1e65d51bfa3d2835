// Usage examples at the end of a command's help, as k6's commands show them (cobra's `Example`).
import type { Command } from 'commander';

/** Adds an "Examples:" section to `command --help`: pairs of a comment and the command line. */
export function withExamples(command: Command, examples: ReadonlyArray<readonly [comment: string, line: string]>): Command {
  const text = examples.map(([comment, line]) => `  # ${comment}\n  $ ${line}`).join('\n\n');
  return command.addHelpText('after', `\nExamples:\n${text}\n`);
}
