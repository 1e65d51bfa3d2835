import { describe, expect, it } from 'vitest';
import { detectScriptType, readableProblems } from './run-control.ts';

describe('detectScriptType', () => {
  it('recognises a POSIX tar by its ustar magic and takes anything else as JavaScript', () => {
    const tar = Buffer.alloc(1024);
    tar.write('ustar', 257);
    expect(detectScriptType(tar)).toBe('application/x-tar');
    expect(detectScriptType(Buffer.from('export default function () {}'))).toBe('text/javascript');
    const padded = Buffer.alloc(1024, 0x20);
    expect(detectScriptType(padded)).toBe('text/javascript');
  });
});

describe('readableProblems', () => {
  it('keeps the problems and drops stack frames and list headers', () => {
    expect(readableProblems('invalid options', ['invalid options (2 problems):', '- duration: invalid duration "zz"', '- vus must be positive', '    at resolve (x.js:1:1)']))
      .toEqual(['duration: invalid duration "zz"', 'vus must be positive']);
    expect(readableProblems('boom', [])).toEqual(['boom']);
  });
});
