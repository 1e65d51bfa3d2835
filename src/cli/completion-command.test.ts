import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { completionOutput, completions } from './completion-command.ts';

function tree(): Command {
  const program = new Command('stampede').configureHelp({ showGlobalOptions: true });
  program.option('-c, --config <file>', 'config').option('-q, --quiet', 'quiet');
  program.command('run').argument('<script>').option('-u, --vus <n>', 'vus').option('--no-thresholds', 'off').option('--secret-flag', 'x');
  program.commands.at(-1)?.options.at(-1)?.hideHelp();
  const cloud = program.command('cloud');
  cloud.command('run').argument('<script>');
  cloud.command('login');
  program.command('stats', { hidden: true });
  return program;
}

describe('completions (stampede __complete)', () => {
  it('offers the visible commands at each level, without file names', () => {
    expect(completions(tree(), [''])).toEqual({ items: ['run', 'cloud', 'help'], files: false });
    expect(completions(tree(), ['cl'])).toEqual({ items: ['cloud'], files: false });
    expect(completions(tree(), ['-q', 'cloud', ''])).toEqual({ items: ['run', 'login', 'help'], files: false });
  });

  it("a command's flags and the global ones, hidden ones left out; file names for a script or a flag's value", () => {
    expect(completions(tree(), ['run', '--'])).toEqual({ items: ['--config', '--help', '--no-thresholds', '--quiet', '--vus'], files: false });
    expect(completions(tree(), ['run', '--v'])).toEqual({ items: ['--vus'], files: false });
    expect(completions(tree(), ['run', ''])).toEqual({ items: [], files: true });
    // -c takes a value, so `run` after it is that value, not the command.
    expect(completions(tree(), ['-c', ''])).toEqual({ items: [], files: true });
    expect(completions(tree(), ['-c', 'run', ''])).toEqual({ items: ['run', 'cloud', 'help'], files: false });
    expect(completions(tree(), ['run', '-u', '2', '-q', ''])).toEqual({ items: [], files: true });
    expect(completions(tree(), ['run', '--config=x.json', ''])).toEqual({ items: [], files: true });
  });

  it("prints one candidate a line and cobra's directive last", () => {
    expect(completionOutput({ items: ['run', 'cloud'], files: false })).toBe('run\ncloud\n:4\n');
    expect(completionOutput({ items: [], files: true })).toBe(':0\n');
  });
});
