import { describe, expect, it } from 'vitest';
import { optionalModulesIn } from './vu-modules.ts';

describe('optionalModulesIn: the protocol modules, extensions and jslib a thread loads before its VUs', () => {
  it('a plain HTTP script needs none of them', () => {
    expect(optionalModulesIn('const __m0 = __rt.require("k6/http"); const __m1 = __rt.require("k6");')).toEqual([]);
  });

  it('the modules the code names, however it names them (import, require, a string); a jslib URL loads the jslib modules', () => {
    const code = [
      'const grpc = __rt.require("k6/net/grpc");',
      "const ws = require('k6/websockets');",
      "const drivers = { pg: 'k6/x/sql/driver/postgres' };",
      'const utils = __rt.require("https://jslib.k6.io/k6-utils/1.4.0/index.js");',
    ].join('\n');
    expect(optionalModulesIn(code).sort()).toEqual(['jslib', 'k6/net/grpc', 'k6/websockets', 'k6/x/sql', 'k6/x/sql/driver/postgres']);
  });
});
