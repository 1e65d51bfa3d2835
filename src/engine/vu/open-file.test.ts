import { describe, expect, it } from 'vitest';
import { resolveOpenPath } from './open-file.ts';

describe('open() paths', () => {
  it('resolve relative paths from the module directory, with . and ..', () => {
    expect(resolveOpenPath('/scripts/lib', './data.json')).toBe('/scripts/lib/data.json');
    expect(resolveOpenPath('/scripts/lib', '../data/users.csv')).toBe('/scripts/data/users.csv');
  });

  it('keep absolute paths, normalised', () => {
    expect(resolveOpenPath('/scripts', '/etc/./x/../hosts')).toBe('/etc/hosts');
  });

  it('resolve from a remote module directory as a URL', () => {
    expect(resolveOpenPath('https://example.com/lib', 'data.txt')).toBe('https://example.com/lib/data.txt');
  });
});
