import { describe, expect, it } from 'vitest';
import { StampedeError } from '../core/index.ts';
import { parseSeriesSelector, selectorMatches } from './series-selector.ts';

const labels = { __name__: 'http_reqs', name: 'http://x/a?b=1', status: '200', test_run_id: '1' };

function reason(text: string): string {
  try {
    parseSeriesSelector(text);
  } catch (err) {
    expect(err).toBeInstanceOf(StampedeError);
    return (err as StampedeError).message;
  }
  throw new Error(`${text} parsed`);
}

describe('series selectors', () => {
  it('match with =, !=, =~ and !~ (anchored), escapes, trailing commas and a missing label as ""', () => {
    const yes = ['http_reqs', 'http_reqs{}', 'http_reqs{status="200",}', "http_reqs{status='200'}", 'http_reqs{status=~"2\\d\\d"}', 'http_reqs{name=~"http://x/a\\\\?b=1"}', 'http_reqs{status!~"5.."}', 'http_reqs{method=""}', '{__name__="http_reqs"}', '{__name__=~"http_.*"}'];
    for (const s of yes) expect(selectorMatches(parseSeriesSelector(s), labels), s).toBe(true);
    const no = ['vus', 'http_reqs{status="20"}', 'http_reqs{status=~"20"}', 'http_reqs{status!="200"}', 'http_reqs{method!=""}', 'http_reqs{status!~"2.."}'];
    for (const s of no) expect(selectorMatches(parseSeriesSelector(s), labels), s).toBe(false);
  });

  it('explains malformed selectors', () => {
    expect(reason('http_reqs{status=200}')).toMatch(/must be a quoted string/);
    expect(reason('http_reqs{status="200"')).toMatch(/expected a label name|expected "," or "}"/);
    expect(reason('http_reqs{status~"200"}')).toMatch(/expected one of =, !=, =~, !~/);
    expect(reason('http_reqs{status="200}')).toMatch(/unterminated string/);
    expect(reason('{status=~".*"}')).toMatch(/must name a metric or contain a matcher that does not match the empty string/);
    expect(reason('vus{__name__="http_reqs"}')).toMatch(/names two metrics/);
  });

  it('refuses regexes that could backtrack without bound, and constructs RE2 lacks', () => {
    expect(reason('m{a=~"(a+)+b"}')).toMatch(/nests quantifiers/);
    expect(reason('m{a=~"(a|aa)*"}')).toMatch(/nests quantifiers/);
    expect(reason('m{a=~"((ab)*c)+"}')).toMatch(/nests quantifiers/);
    expect(reason('m{a=~"(?=a)a"}')).toMatch(/lookaround or a backreference/);
    expect(reason('m{a=~"(a)\\\\1"}')).toMatch(/lookaround or a backreference/);
    expect(reason('m{a=~"("}')).toMatch(/invalid regular expression/);
    // Ordinary patterns still work, quantified classes and groups without inner repetition included.
    for (const ok of ['(2|3)\\d\\d', '[a-z]+(/[0-9]+)?', '(ab){2,3}', '[(+]*x', 'https?://.*']) {
      expect(() => parseSeriesSelector(`m{a=~"${ok}"}`), ok).not.toThrow();
    }
  });
});
