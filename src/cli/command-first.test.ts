import { describe, expect, it } from 'vitest';
import { commandFirst } from './command-first.ts';

const COMMANDS = new Set(['run', 'archive', 'inspect']);

describe('commandFirst (cobra finds the command past the flags in front of it)', () => {
  it('moves a command\'s flags after its name: `--env X=1 archive x.js` (k6 archive_test.go TestArchiveContainsEnv)', () => {
    expect(commandFirst(['--env', 'ENV1=lorem', '--env', 'ENV2=ipsum', 'archive', 'x.js'], COMMANDS))
      .toEqual(['archive', '--env', 'ENV1=lorem', '--env', 'ENV2=ipsum', 'x.js']);
    expect(commandFirst(['-q', '-u', '2', 'run', 'x.js'], COMMANDS)).toEqual(['run', '-q', '-u', '2', 'x.js']);
    expect(commandFirst(['--vus=2', '--no-color', 'run', 'x.js'], COMMANDS)).toEqual(['run', '--vus=2', '--no-color', 'x.js']);
  });
  it('leaves the arguments alone when no known command follows the flags', () => {
    expect(commandFirst(['run', '-u', '2', 'x.js'], COMMANDS)).toEqual(['run', '-u', '2', 'x.js']);
    expect(commandFirst(['--version'], COMMANDS)).toEqual(['--version']);
    expect(commandFirst(['--env', 'X=1', 'nosuch'], COMMANDS)).toEqual(['--env', 'X=1', 'nosuch']);
    // As cobra: a command's boolean flag in front takes the command name as its value.
    expect(commandFirst(['--throw', 'run', 'x.js'], COMMANDS)).toEqual(['--throw', 'run', 'x.js']);
  });
});
