import { describe, expect, it } from 'vitest';
import { findDirectives, processUseDirectives, type Dependencies } from './use-directives.ts';

const strings = (deps: Dependencies): Record<string, string> => Object.fromEntries([...deps].map(([k, c]) => [k, c?.toString() ?? '*']));

describe('"use k6" directives', () => {
  it('are the leading string literals, past a #! line, comments, spaces and semicolons', () => {
    expect(findDirectives('#!/usr/bin/env k6\n"use k6 > 1.0"; // c\n/* block */ \'use strict\'\n"use k6 with k6/x/a"\nimport x from "y";\n"not me"'))
      .toEqual(['use k6 > 1.0', 'use strict', 'use k6 with k6/x/a']);
    expect(findDirectives('"unterminated')).toEqual([]);
  });

  it('constrain k6 or a k6/x extension; other literals are ignored', () => {
    const deps: Dependencies = new Map([['k6', null], ['k6/x/foo', null]]);
    processUseDirectives('file:///m.js', '"use strict";\n"use k6  >= 2.0";\n"use k6 with k6/x/foo ~1.2";\n"use k6 with k6/x/bar";\n', deps);
    expect(strings(deps)).toEqual({ k6: '>=2.0', 'k6/x/foo': '~1.2', 'k6/x/bar': '*' });
  });

  it('fail in k6\'s words on a bad constraint and on a second constraint for the same dependency', () => {
    expect(() => processUseDirectives('file:///m.js', '"use k6 with x/y 1.0"', new Map()))
      .toThrow('error while parsing use directives constraint "with x/y 1.0" for "k6" in "file:///m.js": improper constraint: "with x/y 1.0"');
    expect(() => processUseDirectives('file:///m.js', '"use k6 > 1.0"\n"use k6 < 3.0"', new Map()))
      .toThrow('error while parsing use directives in "file:///m.js": already have constraint for "k6", when parsing "<3.0"');
  });
});
