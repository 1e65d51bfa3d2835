import { describe, expect, it } from 'vitest';
import { SecretRedactor } from './secret-redactor.ts';
import { EngineLog } from './engine-log.ts';

describe('secret redaction in the log', () => {
  it('replaces revealed secrets in messages and field names and values; blank secrets are ignored', () => {
    const secrets = new SecretRedactor();
    let out = '';
    const log = new EngineLog({ write: (s) => void (out += s) }, { secrets, now: () => 0 });
    log.write('info', 'token is s3cr.t', { source: 'console' });
    expect(out).toContain('msg="token is s3cr.t"');
    secrets.add('s3cr.t');
    secrets.add('  ');
    out = '';
    log.write('info', 'token is s3cr.t, again s3cr.t; not s3crXt', { 's3cr.t': 'v s3cr.t' });
    expect(out).toContain('msg="token is ***SECRET_REDACTED***, again ***SECRET_REDACTED***; not s3crXt"');
    expect(out).toContain('***SECRET_REDACTED***="v ***SECRET_REDACTED***"');
  });

  it('the first revealed secret wins where two match at one position (Go strings.Replacer order)', () => {
    const secrets = new SecretRedactor();
    secrets.add('abc');
    secrets.add('abcdef');
    expect(secrets.redact('xabcdefx')).toBe('x***SECRET_REDACTED***defx');
  });
});
