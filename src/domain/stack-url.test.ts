import { describe, expect, it } from 'vitest';
import { stackForUrl, stackSlug } from './stack-url.ts';

const stacks = [
  { id: 1, name: 'Default' },
  { id: 2, name: 'Team Blue' },
  { id: 3, name: 'team_blue!' },
  { id: 4, name: 'Ünïcode Ops' },
];

describe('stackForUrl', () => {
  it('reads the first host label as a stack id or a stack name slug', () => {
    expect(stackForUrl('https://2.grafana.net', stacks)).toBe(2);
    expect(stackForUrl('https://default.grafana.net/', stacks)).toBe(1);
    expect(stackForUrl('DEFAULT', stacks)).toBe(1);
    expect(stackForUrl('https://unicode-ops.grafana.net', stacks)).toBe(4);
    expect(stackForUrl('https://ops.grafana.net', stacks)).toBeUndefined();
  });

  it('names nothing for unknown ids, ambiguous names or unreadable URLs', () => {
    expect(stackForUrl('https://9.grafana.net', stacks)).toBeUndefined();
    expect(stackForUrl('https://team-blue.grafana.net', stacks)).toBeUndefined(); // 2 and 3 share the slug
    expect(stackForUrl('', stacks)).toBeUndefined();
    expect(stackForUrl('http://[::1', stacks)).toBeUndefined();
  });

  it('slugs names as host labels', () => {
    expect(stackSlug('  Team  Blue! ')).toBe('team-blue');
    expect(stackSlug('Ünïcode Ops')).toBe('unicode-ops');
  });
});
