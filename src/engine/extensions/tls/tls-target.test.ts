import { describe, expect, it } from 'vitest';
import { parseTarget } from './tls-target.ts';

const failure = (target: string): string => {
  try {
    parseTarget(target);
    return 'parsed';
  } catch (e) {
    return (e as Error).message;
  }
};

describe('xk6-tls target addresses', () => {
  it('a bare host, and a host with an empty port, dial 443', () => {
    expect(parseTarget('example.com')).toEqual({ host: 'example.com', port: 443 });
    expect(parseTarget('example.com:')).toEqual({ host: 'example.com', port: 443 });
    expect(parseTarget('[::1]:')).toEqual({ host: '::1', port: 443 });
  });

  it('host:port and [ipv6]:port as net.SplitHostPort splits them', () => {
    expect(parseTarget('127.0.0.1:8443')).toEqual({ host: '127.0.0.1', port: 8443 });
    expect(parseTarget('[::1]:0010')).toEqual({ host: '::1', port: 10 });
  });

  it('refuses what the extension and Go refuse, in their words', () => {
    expect(failure('')).toBe('target address was not provided');
    expect(failure(':443')).toBe('the provided target does not contain a valid address in the host:[port] format');
    expect(failure('a.test:65536')).toBe('the provided target does not contain a valid port "65536"');
    expect(failure('a.test:+1')).toBe('the provided target does not contain a valid port "+1"');
    expect(failure('a.test:https')).toBe('the provided target does not contain a valid port "https"');
    expect(failure('::1')).toBe('address ::1: too many colons in address');
    expect(failure('[::1]')).toBe('address [::1]: missing port in address');
    expect(failure('[::1')).toBe("address [::1: missing ']' in address");
    expect(failure('[::1]x:1')).toBe('address [::1]x:1: missing port in address');
    expect(failure('a]:1')).toBe("address a]:1: unexpected ']' in address");
  });
});
