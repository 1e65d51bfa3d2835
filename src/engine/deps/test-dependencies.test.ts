// k6's TestGetCmdDeps cases (internal/cmd/deps_test.go) and Stampede's answer to "custom build required".
import { describe, expect, it } from 'vitest';
import { testDependencies } from './test-dependencies.ts';
import type { CompileIo } from '../compile/compile-script.ts';

function memoryIo(files: Record<string, string>): CompileIo {
  return {
    cwd: '/work',
    readFile: async (p) => {
      const text = files[p.replace(/^\/work/, '')];
      if (text === undefined) throw Object.assign(new Error(`open ${p}: no such file or directory`), { code: 'ENOENT' });
      return Buffer.from(text);
    },
  };
}

const deps = (files: Record<string, string>, env: Record<string, string> = {}) =>
  testDependencies({ path: 'main.js' }, memoryIo(files), { env });

describe('test dependencies as k6 deps works them out', () => {
  it('an external dependency: k6 and the extension, imports sorted, a custom build required', async () => {
    const d = await deps({ '/main.js': 'import http from "k6/http";\nimport foo from "k6/x/foo";\nexport default function () { http.get("x"); foo(); }\n' });
    expect(d.dependencies).toEqual({ k6: '*', 'k6/x/foo': '*' });
    expect(d.imports).toEqual(['file:///work/main.js', 'k6/http', 'k6/x/foo']);
    expect(d.customBuildRequired).toBe(true);
  });

  it('no external dependency, or only extensions Stampede builds in: no custom build', async () => {
    expect(await deps({ '/main.js': 'import http from "k6/http";\nexport default function () {}\n' }))
      .toMatchObject({ dependencies: { k6: '*' }, customBuildRequired: false });
    const builtIn = await deps({ '/main.js': '"use k6 with k6/x/tls > 0.1";\nimport tls from "k6/x/tls";\nimport sql from "k6/x/sql";\nexport default function () {}\n' });
    expect(builtIn).toMatchObject({ dependencies: { k6: '*', 'k6/x/sql': '*', 'k6/x/tls': '>0.1' }, customBuildRequired: false });
  });

  it('nested local imports and a directive in an imported file; require() and import() are not imports', async () => {
    const d = await deps({
      '/main.js': 'import directive from "./modules/with-directive.js";\nexport default function () { directive(); require("./lazy.js"); import("k6/x/later"); }\n',
      '/modules/with-directive.js': '"use k6 with k6/x/alpha >= 1.2.3";\nimport beta from "k6/x/beta";\nimport util from "./util.js";\nexport default function () { util(); beta(); }\n',
      '/modules/util.js': 'export default function () { return "util"; }\n',
      '/lazy.js': 'import x from "k6/x/lazy";\nexport default x;\n',
    });
    expect(d.dependencies).toEqual({ k6: '*', 'k6/x/alpha': '>=1.2.3', 'k6/x/beta': '*' });
    expect(d.imports).toEqual(['file:///work/main.js', 'file:///work/modules/util.js', 'file:///work/modules/with-directive.js', 'k6/x/beta']);
  });

  it('a directive constraint wins over a bare import of the same extension', async () => {
    const d = await deps({ '/main.js': '"use k6 with k6/x/foo >= 1.2.3";\nimport foo from "k6/x/foo";\nexport default function () { foo(); }\n' });
    expect(d.dependencies).toEqual({ k6: '*', 'k6/x/foo': '>=1.2.3' });
  });

  it('the manifest fills in what is unconstrained; the declared dependencies are those before it', async () => {
    const d = await deps({ '/main.js': 'import http from "k6/http";\nexport default function () {}\n' }, { K6_DEPENDENCIES_MANIFEST: '{"k6": ">=2.0.0-0", "k6/x/other": "1.0"}' });
    expect(d.dependencies).toEqual({ k6: '>=2.0.0-0' });
    expect(d.declared).toEqual({ k6: '*' });
    expect(d.customBuildRequired).toBe(false);
  });

  it("a k6 constraint Stampede's k6 version does not meet requires a custom build", async () => {
    expect(await deps({ '/main.js': '"use k6 >= 2.2";\nexport default function () {}\n' })).toMatchObject({ dependencies: { k6: '>=2.2' }, customBuildRequired: false });
    expect(await deps({ '/main.js': '"use k6 > 2.2.0";\nexport default function () {}\n' })).toMatchObject({ dependencies: { k6: '>2.2.0' }, customBuildRequired: true });
  });

  it('fails on a bad directive as k6 does, and on unknown modules when auto extension resolution is off', async () => {
    await expect(deps({ '/main.js': '"use k6 with something";\nexport default function () {}\n' })).rejects.toThrow(
      "could not initialize 'main.js': could not load JS test 'file:///work/main.js': error while parsing use directives constraint \"with something\" for \"k6\" in \"file:///work/main.js\": improper constraint: \"with something\"",
    );
    const unknown = { '/main.js': 'import foo from "k6/x/foo";\nexport default function () {}\n' };
    await expect(deps(unknown, { K6_AUTO_EXTENSION_RESOLUTION: 'false' })).rejects.toThrow('unknown modules ["k6/x/foo"] were tried to be loaded');
    expect((await deps(unknown, { K6_AUTO_EXTENSION_RESOLUTION: 'true' })).customBuildRequired).toBe(true);
  });

  it('stdin is file:///-', async () => {
    const d = await testDependencies({ name: '-', data: Buffer.from('import "./util.js";\nexport default function () {}\n') }, memoryIo({ '/util.js': '' }), { env: {} });
    expect(d.imports).toEqual(['file:///-', 'file:///work/util.js']);
  });
});
