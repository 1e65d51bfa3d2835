// Bundles the main script and everything it imports into one ES module with esbuild. Every module is
// read through `ModuleSource` (never esbuild's own file-system access), so plain scripts, archives and
// the runner's permission model all take the same path. What stays unresolved: `k6` and `k6/*`
// (external; the VU runtime provides them). `https://` modules come from the source (an archive) or
// fail naming the URL: there is no network access at compile time, except the jslib.k6.io modules the
// engine has built in (jslib/jslib-urls.ts), which stay external too. Other bare specifiers fail.
import * as path from 'node:path/posix';
import { pathToFileURL } from 'node:url';
import { build, transform, type Message, type Plugin, type Loader } from 'esbuild';
import { CompileError } from './compile-error.ts';
import { builtinJslib, builtinJslibList, isJslibUrl } from '../jslib/jslib-urls.ts';

export interface ModuleSource {
  /** Contents of a local file by absolute posix path, or undefined when there is none. */
  readLocal(absPath: string): Promise<Uint8Array | undefined>;
  /** Contents of a remote module by `https://host/path`, or undefined when it is not available. */
  readRemote(url: string): Promise<Uint8Array | undefined>;
}

export interface Bundle {
  code: string;
  /** esbuild's source map (v3) of `code`; `sources` are original paths or https URLs. */
  map: RawSourceMap;
  /** True when the main module is CommonJS: its `module.exports` is the script's namespace. */
  mainIsCommonJs: boolean;
  /** jslib.k6.io modules left to the engine's built-in copies (the source did not carry them). */
  builtinRemotes: string[];
  /**
   * The k6 modules (`k6`, `k6/…`) named by an import statement of any module of the script, each
   * once: what k6 resolves before it runs anything (a `require` is resolved only when it runs).
   */
  importedK6Modules: string[];
  /**
   * What k6's module resolver loads before anything runs (its `Imported()`): the main script and every
   * module reached from it by import statements (not `require`, not `import()`), local ones by absolute
   * path, remote ones by URL, k6 modules by name.
   */
  staticImports: string[];
}

export interface RawSourceMap {
  version: number;
  sources: string[];
  mappings: string;
  names: string[];
}

const NS_FILE = 'stampede-file';
const NS_HTTPS = 'stampede-https';
const OUTFILE = '/__stampede_bundle.js';

export function isK6Module(spec: string): boolean {
  return spec === 'k6' || spec.startsWith('k6/');
}

/**
 * JavaScript, or TypeScript when the source does not parse as JavaScript: k6's compiler
 * (internal/js/compiler) parses every module as JavaScript first and strips types with esbuild only
 * after that parse failed, and only for a name ending in `.ts` or a script from stdin (`file:///-`).
 * A `.ts` module that is valid JavaScript therefore keeps JavaScript's semantics: an import whose
 * names no value uses still loads its module (`import { Options } from 'k6/options'` fails as an
 * unknown module), where TypeScript would elide it.
 */
async function jsUnlessUnparsable(data: Uint8Array): Promise<Loader> {
  return (await parseError(data, 'js', 'esm')) === undefined ? 'js' : 'ts';
}

/** esbuild's first error for the source read with `loader`, or undefined when it parses. */
async function parseError(data: Uint8Array, loader: Loader, format?: 'esm'): Promise<Message | undefined> {
  try {
    await transform(data, { loader, logLevel: 'silent', ...(format === undefined ? {} : { format }) });
    return undefined;
  } catch (e) {
    return (e as { errors?: Message[] }).errors?.[0] ?? { id: '', pluginName: '', text: (e as Error).message, location: null, notes: [], detail: undefined };
  }
}

/**
 * The names k6 strips types from: the module's path or URL ends in `.ts` (case-sensitive, as k6's
 * `strings.HasSuffix`). `.mts`, `.cts` and `.tsx` files are parsed as JavaScript there, so their types
 * are syntax errors, and JSX is none of k6's syntax either.
 */
function isTsName(p: string): boolean {
  return p.endsWith('.ts');
}

function loaderFor(p: string): Loader {
  return path.extname(new URL(p, 'file:///').pathname).toLowerCase() === '.json' ? 'json' : 'js';
}

/** A module name that is no path and no URL (`stream`, `lodash`). */
function isBareName(spec: string): boolean {
  return !/^(\.{1,2}(\/|$)|\/|[a-z][a-z0-9+.-]*:)/i.test(spec);
}

/** k6's words for the `cdnjs.com/…` and `github.com/…` import shorthands it dropped (internal/loader/loader.go). */
const SPECIAL_URL_ERRORS = {
  cdnjs:
    "cdnjs.com 'special' urls are no longer supported - please use real ones. You can get yours by going to cdnjs and copy-pasting the full url to the actual JavaScript file",
  github:
    "github.com 'special' urls are no longer supported - please use real ones. You can get yours by going to github and copy-pasting the full url to the actual raw JavaScript file",
} as const;

function resolveSpecifier(spec: string, importer: { namespace: string; path: string }): { namespace: string; path: string } | { error: string } {
  if (spec === '') return { error: 'local or remote path required' };
  if (/^https:\/\//i.test(spec)) return { namespace: NS_HTTPS, path: new URL(spec).href };
  // k6's loader.Resolve: any other scheme is refused by name, and a remote module may not reach local files.
  const scheme = isBareName(spec) || !spec.includes('://') ? undefined : /^([a-z][a-z0-9+.-]*):/i.exec(spec)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== 'file') return { error: `only supported schemes for imports are file and https, ${spec} has \`${scheme}\`` };
  if (spec.startsWith('file://')) {
    if (importer.namespace === NS_HTTPS) return { error: `origin (${new URL('./', importer.path).href}) not allowed to load local file: ${spec}` };
    return { namespace: NS_FILE, path: decodeURIComponent(new URL(spec).pathname) };
  }
  const relative = spec.startsWith('./') || spec.startsWith('../') || spec.startsWith('/') || spec === '.' || spec === '..';
  if (!relative) {
    // k6's loader.Resolve names the old shorthands and what to write instead.
    const special = /^(cdnjs|github)\.com/.exec(spec)?.[1];
    if (special !== undefined) return { error: SPECIAL_URL_ERRORS[special as keyof typeof SPECIAL_URL_ERRORS] };
    return { error: `unknown module "${spec}": only k6 modules (k6, k6/…), relative paths and https:// URLs can be imported` };
  }
  if (importer.namespace === NS_HTTPS) return { namespace: NS_HTTPS, path: new URL(spec, importer.path).href };
  return { namespace: NS_FILE, path: path.resolve(path.dirname(importer.path), spec) };
}

/** `require(import.meta.resolve('<literal>'))`, the form k6's docs suggest for paths relative to the module. */
const IMPORT_META_REQUIRE = /\brequire\([ \t]*import\.meta\.resolve\([ \t]*(['"])((?:(?!\1)[^\\\n])*)\1[ \t]*\)[ \t]*\)/g;

/**
 * k6 resolves `require(import.meta.resolve('./x.js'))` when the call runs, relative to the module it is
 * written in. A string literal there names the same module as `require('./x.js')`, which esbuild
 * bundles, so the call is rewritten to that, padded with spaces to keep every column in place.
 * A specifier computed at run time stays a runtime require (a Known difference).
 */
function literalImportMetaRequires(data: Uint8Array): Uint8Array {
  const decoded = new TextDecoder().decode(data);
  const text = concatRequires(decoded);
  if (!text.includes('import.meta.resolve')) return text === decoded ? data : new TextEncoder().encode(text);
  const out = text.replace(IMPORT_META_REQUIRE, (call: string, quote: string, spec: string) => {
    // The literal keeps its column, so a not-found error points at it as it would at `require('./x.js')`.
    const head = `require(${' '.repeat(call.indexOf(quote) - 'require('.length)}${quote}${spec}${quote})`;
    return head + ' '.repeat(call.length - head.length);
  });
  return out === decoded ? data : new TextEncoder().encode(out);
}

/** A string literal, or a name or member chain (`__ENV.LOADER`): the parts of TypeScript's ES5 template emit. */
const CONCAT_PART = String.raw`(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)`;
/** `require("./modules/".concat(__ENV.LOADER, ".js"))`: TypeScript's `target: ES5` emit of ``require(`./modules/${name}.js`)``. */
const CONCAT_REQUIRE = new RegExp(String.raw`\brequire\([ \t]*("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')\.concat\(((?:[ \t]*${CONCAT_PART}[ \t]*,)*[ \t]*${CONCAT_PART}[ \t]*)\)[ \t]*\)`, 'g');

/**
 * k6 runs a `require()` when it is called, so a path built at run time names the file then. Bundled,
 * such a call loads a file only when esbuild can read the path as a pattern: a template literal or
 * `'./a/' + x + '.js'`. TypeScript compiling for ES5 (`"target": "ES5"`, a `tsc`-built project run with
 * `--compatibility-mode=base`) writes the template as `"./a/".concat(x, ".js")`, which esbuild leaves
 * as a runtime require of nothing it bundled. Where every part is a string literal or a name, the call
 * is rewritten to the `+` form, padded with spaces to keep every column in place.
 */
function concatRequires(text: string): string {
  if (!text.includes('.concat(')) return text;
  return text.replace(CONCAT_REQUIRE, (call: string, head: string, args: string) => {
    let plus = '';
    let quote = '';
    for (let i = 0; i < args.length; i++) {
      const c = args[i] ?? '';
      if (quote !== '') {
        if (c === '\\') { plus += c + (args[i + 1] ?? ''); i++; continue; }
        if (c === quote) quote = '';
        plus += c;
      } else {
        if (c === '"' || c === "'") quote = c;
        plus += c === ',' ? '+' : c;
      }
    }
    const start = call.indexOf(head) + head.length;
    const out = `${call.slice(0, start)}+${' '.repeat('.concat('.length - 1)}${plus} `;
    return out + call.slice(out.length);
  });
}

/** k6's error for an import of a local file that does not exist (internal/loader/loader.go), naming the specifier as written. */
function notOnDisk(file: string, specifier: string | undefined): string {
  if (specifier === undefined) return `cannot read module ${file}: no such file`;
  return `The moduleSpecifier "${specifier}" couldn't be found on local disk. Make sure that you've specified the right path to the file. `
    + "If you're running k6 using the Docker image make sure you have mounted the local directory (-v /local/path/:/inside/docker/path) "
    + "containing your script and modules so that they're accessible by k6 from inside of the container, "
    + 'see https://grafana.com/docs/k6/latest/using-k6/modules/#use-modules-with-docker.';
}

function sourcePlugin(
  source: ModuleSource, mainPath: string, mainContents: Uint8Array | undefined, builtins: Set<string>, typeScript: Map<string, Uint8Array>,
): Plugin {
  return {
    name: 'stampede-sources',
    setup(b) {
      b.onResolve({ filter: /.*/ }, async (args) => {
        if (args.kind === 'entry-point') {
          return /^https:\/\//i.test(args.path) ? { namespace: NS_HTTPS, path: args.path } : { namespace: NS_FILE, path: args.path };
        }
        if (isK6Module(args.path)) return { path: args.path, external: true };
        const r = resolveSpecifier(args.path, { namespace: args.namespace, path: args.importer });
        // k6 resolves a require() when it is called: a library's Node-only branch (papaparse's
        // `require('stream')`) loads as long as it never runs; the call fails then, at run time.
        if ('error' in r && args.kind === 'require-call' && isBareName(args.path)) return { path: args.path, external: true };
        if ('error' in r) return { errors: [{ text: r.error }] };
        // A jslib.k6.io module the engine has built in stays external unless the archive carries it.
        if (r.namespace === NS_HTTPS && builtinJslib(r.path) !== undefined && (await source.readRemote(r.path)) === undefined) {
          builtins.add(r.path);
          return { path: r.path, external: true };
        }
        // The specifier as written, for k6's not-found message.
        return { ...r, pluginData: { specifier: args.path } };
      });
      b.onLoad({ filter: /.*/ }, async (args) => {
        // A glob-style require (`require('./data/' + name + '.js')`): esbuild lists the directory itself
        // and hands every file that matches over in its own `file` namespace; k6 loads only the file the
        // call names, when it runs.
        const globbed = args.namespace === 'file';
        let data: Uint8Array | undefined;
        if (args.namespace === NS_FILE && args.path === mainPath && mainContents !== undefined) data = mainContents;
        else if (args.namespace === NS_FILE || globbed) data = await source.readLocal(args.path);
        else data = await source.readRemote(args.path);
        if (data === undefined) {
          const text = args.namespace === NS_HTTPS
            ? `cannot load remote module ${args.path}: Stampede never downloads modules, so only a k6 archive that carries it (made by \`k6 archive\` where the network is reachable) can use it${
              isJslibUrl(args.path) ? `; the jslib modules built in are ${builtinJslibList()}` : ''}`
            : notOnDisk(args.path, (args.pluginData as { specifier?: string } | undefined)?.specifier);
          return { errors: [{ text }] };
        }
        const resolveDir = args.namespace === NS_FILE || globbed ? path.dirname(args.path) : undefined;
        const isStdin = args.namespace === NS_FILE && args.path === mainPath && mainContents !== undefined && path.extname(mainPath) === '';
        const loader = isStdin || isTsName(args.path) ? await jsUnlessUnparsable(data) : loaderFor(args.path);
        if (globbed) {
          // A matching file that is no module (a README, a dotfile) fails only if a call requires it.
          const unparsable = await parseError(data, loader);
          if (unparsable !== undefined) {
            return { contents: `throw new SyntaxError(${JSON.stringify(`${args.path}: ${unparsable.text}`)});\n`, loader: 'js', resolveDir: path.dirname(args.path) };
          }
        } else if (loader === 'ts') typeScript.set(args.path, data);
        const contents = loader === 'json' ? data : literalImportMetaRequires(data);
        return { contents, loader, ...(resolveDir === undefined ? {} : { resolveDir }) };
      });
    },
  };
}

/** esbuild names modules of plugin namespaces `namespace:path`; we report the original path or URL. */
export function originalName(file: string): string {
  for (const ns of [NS_FILE, NS_HTTPS]) if (file.startsWith(`${ns}:`)) return file.slice(ns.length + 1);
  return file;
}

/**
 * The module a message or a source map names: esbuild names the files of its own `file` namespace (a
 * glob-style require's) relative to the working directory, `/`.
 */
function moduleFile(file: string): string {
  const original = originalName(file);
  return original === file && !file.startsWith('/') ? `/${file}` : original;
}

/** A source map source (relative to the outfile's directory, `/`) as the original path or URL. */
function sourceName(s: string): string {
  return moduleFile(s.replace(/^(\.\.\/)+/, ''));
}

/** esbuild quotes module names with their namespace ("stampede-file:/x.js"): users know them as "/x.js". */
function plainText(text: string): string {
  return text.replaceAll(`${NS_FILE}:`, '').replaceAll(`${NS_HTTPS}:`, '');
}

function describe(m: Message): string {
  const text = plainText(m.text);
  return m.location === null ? text : `${moduleFile(m.location.file)}:${m.location.line}:${m.location.column + 1}: ${text}`;
}

/**
 * A syntax error in a module k6 strips types from (a `.ts` file that is not JavaScript, or stdin): k6
 * reports esbuild's first error as sobek's parser.Error (internal/js/compiler/enhanced.go), `<file URL>:
 * Line <line>:<column> <text>` with esbuild's 0-based column. `detail` is that text; the loader puts k6's
 * `could not initialize …: could not load JS test …:` before it.
 */
export class TypeScriptSyntaxError extends CompileError {
  constructor(readonly detail: string, location: { file: string; line: number; column: number }) {
    super(detail, location, { messageHasLocation: true });
  }
}

/** The URL k6 names a module by: `file:///abs/path` for a local file, the URL of a remote one. */
function moduleUrl(file: string): string {
  return /^https:\/\//i.test(file) ? file : pathToFileURL(file).href;
}

/**
 * The first error carries the location; the others (k6 reports one at a time) follow in the message.
 * An error in a module k6 strips types from whose types do not strip (a syntax error, not a failed
 * import or a missing export) is k6's text: the first error of its StripTypes transform.
 */
async function toCompileError(messages: Message[], typeScript: ReadonlyMap<string, Uint8Array>): Promise<CompileError> {
  const first = messages[0];
  if (first === undefined) return new CompileError('the script could not be compiled');
  for (const m of messages) {
    const file = m.location === null ? undefined : originalName(m.location.file);
    const data = file === undefined ? undefined : typeScript.get(file);
    if (file === undefined || data === undefined) continue;
    const stripError = await parseError(data, 'ts');
    if (stripError?.location == null) continue;
    const { line, column } = stripError.location;
    return new TypeScriptSyntaxError(`${moduleUrl(file)}: Line ${line}:${column} ${stripError.text}`, { file, line, column: column + 1 });
  }
  const more = messages.slice(1, 10).map((m) => `\n  ${describe(m)}`).join('');
  const loc = first.location;
  if (loc === null) return new CompileError(plainText(first.text) + more);
  return new CompileError(plainText(first.text) + more, { file: moduleFile(loc.file), line: loc.line, column: loc.column + 1 });
}

export async function bundleScript(mainPath: string, mainContents: Uint8Array | undefined, source: ModuleSource): Promise<Bundle> {
  const builtins = new Set<string>();
  const typeScript = new Map<string, Uint8Array>();
  let result;
  try {
    result = await build({
      entryPoints: [mainPath],
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      target: 'es2022',
      write: false,
      absWorkingDir: '/',
      outfile: OUTFILE,
      sourcemap: 'external',
      sourcesContent: false,
      metafile: true,
      logLevel: 'silent',
      charset: 'utf8',
      plugins: [sourcePlugin(source, mainPath, mainContents, builtins, typeScript)],
    });
  } catch (e) {
    const errors = (e as { errors?: Message[] }).errors;
    if (Array.isArray(errors)) throw await toCompileError(errors, typeScript);
    throw new CompileError(`the script could not be compiled: ${(e as Error).message}`, undefined, { cause: e });
  }
  const js = result.outputFiles.find((f) => f.path === OUTFILE);
  const mapFile = result.outputFiles.find((f) => f.path === `${OUTFILE}.map`);
  if (js === undefined || mapFile === undefined) throw new CompileError('esbuild produced no output');
  const raw = JSON.parse(mapFile.text) as RawSourceMap;
  // Sources are relative to the outfile's directory ("/"), with the namespace prefixed.
  const map: RawSourceMap = { ...raw, sources: raw.sources.map(sourceName) };
  const mainInput = Object.entries(result.metafile.inputs).find(([name]) => originalName(name) === mainPath);
  // The k6 modules the bundle still imports: a TypeScript import used only as a type (`import { Options }
  // from 'k6/options'`) is dropped by esbuild as by k6's own TypeScript transform, so it is not loaded
  // (the inputs' imports still list it).
  const importedK6Modules = new Set<string>();
  for (const imp of Object.values(result.metafile.outputs).flatMap((o) => o.imports)) {
    if (imp.external === true && imp.kind === 'import-statement' && isK6Module(imp.path)) importedK6Modules.add(imp.path);
  }
  return {
    code: js.text, map, mainIsCommonJs: mainInput?.[1].format === 'cjs', builtinRemotes: [...builtins].sort(),
    importedK6Modules: [...importedK6Modules],
    staticImports: staticClosure(result.metafile.inputs, mainInput?.[0]),
  };
}

type MetaInputs = Record<string, { imports: { path: string; kind: string; external?: boolean }[] }>;

/** The modules reached from `main` by import statements (esbuild's `import-statement` edges). */
function staticClosure(inputs: MetaInputs, main: string | undefined): string[] {
  if (main === undefined) return [];
  const seen = new Set<string>([main]);
  const queue = [main];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    for (const imp of inputs[file]?.imports ?? []) {
      if (imp.kind !== 'import-statement' || seen.has(imp.path)) continue;
      seen.add(imp.path);
      if (imp.external !== true) queue.push(imp.path);
    }
  }
  return [...seen].map(originalName);
}
