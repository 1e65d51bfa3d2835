// The engine's script compiler: a script (JS, TS, or a k6 archive) in, a per-VU factory out.
// See docs/engine.md, "Synchronous semantics: the script transform", for what the factory expects
// of the VU runtime (`__rt`) and what the transform guarantees.
import * as path from 'node:path/posix';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isTarArchive, readArchive, type ArchiveContents } from './archive-reader.ts';
import { normalizeAndAnonymizePath } from './archive-writer.ts';
import { bundleScript, TypeScriptSyntaxError, type Bundle, type ModuleSource } from './bundle-script.ts';
import { CompileError } from './compile-error.ts';
import { stackMapperFor } from './stack-mapper.ts';
import { buildFactory, type Position } from './factory-source.ts';
import { usesPromises } from './promise-usage.ts';
import { unknownModulesError } from './unknown-modules.ts';
import { declaredDependencies, toStringMap } from '../deps/declared-dependencies.ts';
import { DependencyError } from '../deps/use-directives.ts';

export { CompileError } from './compile-error.ts';

export type ScriptInput = { path: string } | { name: string; data: Uint8Array };

export interface CompileIo {
  cwd: string;
  readFile(path: string): Promise<Uint8Array>;
}

export interface CompiledScript {
  /** `(async function __stampede_factory(__rt) { … return namespace; })`, for vm.runInThisContext. */
  factorySource: string;
  /** For stack traces of the factory code. */
  filename: string;
  /** Absolute (or archive) path of the main script; an https URL for an archive with a remote main. */
  mainPath: string;
  /** Files known at compile time: an archive's local files by absolute path and remote modules by URL. */
  files: ReadonlyMap<string, Uint8Array>;
  /**
   * What the script is made of, for `k6 archive`: every module the bundle read, the main script
   * included, by absolute path or https URL; for an archive, every file it carries.
   */
  sources: ReadonlyMap<string, Uint8Array>;
  /** jslib.k6.io modules served by the engine's built-in copies (not part of `sources`). */
  builtinRemotes: readonly string[];
  archive?: { options: Record<string, unknown>; env: Record<string, string>; metadata: Record<string, unknown> };
  /**
   * The dependencies the test declares, as k6 v2 writes them into an archive's metadata.json: k6,
   * the `k6/x/…` modules it imports, with the constraints of its `"use k6 …"` directives.
   */
  dependencies: Readonly<Record<string, string>>;
  /** The exact input bytes (the control plane stores them). */
  sourceBytes: Uint8Array;
  /**
   * What k6's test_load.go puts before an error of the runner's creation (js.New: the exports'
   * checks): `could not initialize '<name>': could not load JS test '<file URL>': ` (for an archive,
   * `… could not load JS from test archive bundle '<file URL>': `).
   */
  loadErrorPrefix: string;
  kind: 'js' | 'ts' | 'archive';
  /** The script may create promises (compile/promise-usage.ts): its unhandled rejections are tracked per VU. */
  usesPromises: boolean;
  /** Factory position (1-based line and column, as V8 reports them) → original file, line, column (1-based). */
  mapPosition(line: number, column: number): Position | undefined;
  /**
   * A stack trace (or any text) with factory positions rewritten to original ones, and the frames of
   * the compiler's own machinery (the generator driver, `Generator.next`) removed.
   */
  mapStack(text: string): string;
}

const TS_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.tsx']);

function toPosix(p: string): string {
  return p.replace(/\\/g, '/');
}

/** An archive's files, also found by the path k6 wrote for them (`/home/alice/x` is stored as `/home/nobody/x`). */
class ArchiveFiles extends Map<string, Uint8Array> {
  override get(key: string): Uint8Array | undefined {
    return super.get(key) ?? super.get(normalizeAndAnonymizePath(key));
  }

  override has(key: string): boolean {
    return this.get(key) !== undefined;
  }
}

/** The file URL k6 names the test by: the script's or the archive's own. */
function inputUrl(cwd: string, input: ScriptInput): string {
  return pathToFileURL(path.resolve(cwd, toPosix('path' in input ? input.path : input.name))).href;
}

/** Reads modules from disk, keeping what it read (the script's sources). */
function ioSource(io: CompileIo, read: Map<string, Uint8Array>): ModuleSource {
  return {
    async readLocal(absPath) {
      try {
        const data = await io.readFile(absPath);
        read.set(absPath, data);
        return data;
      } catch {
        return undefined;
      }
    },
    async readRemote() {
      return undefined;
    },
  };
}

function archiveSource(arc: ArchiveContents, localFiles: ReadonlyMap<string, Uint8Array>): ModuleSource {
  return {
    async readLocal(absPath) {
      return localFiles.get(absPath);
    },
    async readRemote(url) {
      return arc.remoteFiles.get(url);
    },
  };
}

/** A test's modules loaded and bundled, before anything checks them (compileScript, testDependencies). */
export interface LoadedModules {
  readonly bundle: Bundle;
  /** The test as the command named it, and the file URL k6 loaded it from. */
  readonly displayName: string;
  readonly testUrl: string;
  readonly sourceBytes: Uint8Array;
  readonly mainPath: string;
  /** Every module the bundle read, by absolute path or https URL (an archive: every file it carries). */
  readonly sources: ReadonlyMap<string, Uint8Array>;
  readonly archive?: { readonly contents: ArchiveContents; readonly files: ReadonlyMap<string, Uint8Array> };
}

/**
 * Reads the input (a script or an archive) and bundles it with every module it imports. `type` (k6
 * `--type`/K6_TYPE): read the input as a script or as an archive whatever it looks like; detected from
 * the bytes when absent (a tar header means an archive).
 */
export async function loadModules(input: ScriptInput, io: CompileIo, type?: 'js' | 'archive'): Promise<LoadedModules> {
  const cwd = toPosix(io.cwd);
  let sourceBytes: Uint8Array;
  let displayName: string;
  if ('path' in input) {
    // k6's ReadSource resolves a name that is no local file as a URL: a file:// one names a local file.
    if (/^file:\/\//i.test(input.path)) input = { ...input, path: fileURLToPath(input.path) };
    displayName = input.path;
    try {
      sourceBytes = await io.readFile(path.resolve(cwd, toPosix(input.path)));
    } catch (e) {
      // k6's loader: the same words for a missing file, and no exit code attached (255).
      const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
      // k6's ReadSource resolves a name that is no local file as an import: another scheme is refused by name.
      const scheme = missing && input.path.includes('://') ? /^([a-z][a-z0-9+.-]*):\/\//i.exec(input.path)?.[1]?.toLowerCase() : undefined;
      throw new CompileError(
        scheme !== undefined && scheme !== 'file' && scheme !== 'https'
          ? `only supported schemes for imports are file and https, ${input.path} has \`${scheme}\``
          : scheme === 'https'
          ? // k6 downloads it; Stampede reads nothing from the network before a test.
            `The script "${input.path}" is a remote URL, which k6 would download: Stampede runs local files only. Download it and run the file, or run a k6 archive of it (k6 archive / stampede archive).`
          : missing
          ? `The moduleSpecifier "${input.path}" couldn't be found on local disk. Make sure that you've specified the right path to the file.`
          : `cannot read script ${input.path}: ${(e as Error).message}`,
        undefined,
        { cause: e, exitCode: 255 },
      );
    }
  } else {
    displayName = input.name;
    sourceBytes = input.data;
  }
  const testUrl = inputUrl(cwd, input);

  const isArchive = isTarArchive(sourceBytes);
  if (type === 'archive' && !isArchive) {
    // k6 lib.ReadArchive fails; test_load.go attaches no exit code.
    throw new CompileError(`could not load test archive bundle '${displayName}': not a tar archive`, undefined, { exitCode: 255 });
  }
  if (isArchive && type !== 'js') {
    const arc = await readArchive(sourceBytes, displayName);
    const files = new ArchiveFiles([...arc.localFiles, ...arc.remoteFiles]);
    const bundle = await k6Framed(bundleScript(arc.mainPath, arc.mainData, archiveSource(arc, files)), displayName, testUrl);
    return { bundle, displayName, testUrl, sourceBytes, mainPath: arc.mainPath, sources: files, archive: { contents: arc, files } };
  }
  const mainPath = path.resolve(cwd, toPosix('path' in input ? input.path : input.name));
  const sources = new Map<string, Uint8Array>([[mainPath, sourceBytes]]);
  const bundle = await k6Framed(bundleScript(mainPath, sourceBytes, ioSource(io, sources)), displayName, testUrl);
  return { bundle, displayName, testUrl, sourceBytes, mainPath, sources };
}

/** A TypeScript syntax error in k6's words: test_load.go puts the test's name and URL before the parser's text. */
async function k6Framed(bundling: Promise<Bundle>, displayName: string, testUrl: string): Promise<Bundle> {
  try {
    return await bundling;
  } catch (e) {
    if (!(e instanceof TypeScriptSyntaxError)) throw e;
    const at = { file: e.file ?? '', line: e.line ?? 0, column: e.column ?? 0 };
    throw new CompileError(`could not initialize '${displayName}': could not load JS test '${testUrl}': ${e.detail}`, at, { cause: e, messageHasLocation: true });
  }
}

/** The text of a module the bundle read. */
function sourceTextOf(files: ReadonlyMap<string, Uint8Array>): (file: string) => string | undefined {
  return (file) => {
    const bytes = files.get(file);
    return bytes === undefined ? undefined : new TextDecoder().decode(bytes);
  };
}

export async function compileScript(input: ScriptInput, io: CompileIo, type?: 'js' | 'archive'): Promise<CompiledScript> {
  const loaded = await loadModules(input, io, type);
  const { bundle, displayName, testUrl, sourceBytes, mainPath } = loaded;
  const unknown = unknownModulesError(bundle.importedK6Modules, displayName, testUrl);
  if (unknown !== undefined) throw unknown;
  let dependencies: Record<string, string>;
  try {
    const nameOf = (m: string): string => (/^https:\/\//i.test(m) ? m : pathToFileURL(m).href);
    dependencies = toStringMap(declaredDependencies(bundle.staticImports, loaded.sources, nameOf));
  } catch (e) {
    if (!(e instanceof DependencyError)) throw e;
    // k6 fails the load on a directive it cannot read (test_load.go; no exit code attached).
    throw new CompileError(`could not initialize '${displayName}': could not load JS test '${testUrl}': ${e.message}`, undefined, { exitCode: 255 });
  }
  if (loaded.archive !== undefined) {
    const { contents: arc, files } = loaded.archive;
    const factory = buildFactory(bundle.code, bundle.map, arc.mainPath, bundle.mainIsCommonJs, sourceTextOf(files));
    return {
      factorySource: factory.source,
      filename: arc.mainPath,
      mainPath: arc.mainPath,
      files,
      sources: files,
      builtinRemotes: bundle.builtinRemotes,
      archive: { options: arc.options, env: arc.env, metadata: arc.metadata },
      dependencies,
      sourceBytes,
      loadErrorPrefix: `could not initialize '${displayName}': could not load JS from test archive bundle '${testUrl}': `,
      kind: 'archive',
      usesPromises: usesPromises(bundle.code),
      mapPosition: factory.mapPosition,
      mapStack: stackMapperFor(arc.mainPath, factory),
    };
  }
  const sources = loaded.sources;
  const factory = buildFactory(bundle.code, bundle.map, mainPath, bundle.mainIsCommonJs, sourceTextOf(sources));
  return {
    factorySource: factory.source,
    filename: mainPath,
    mainPath,
    files: new Map([[mainPath, sourceBytes]]),
    sources,
    builtinRemotes: bundle.builtinRemotes,
    dependencies,
    sourceBytes,
    loadErrorPrefix: `could not initialize '${displayName}': could not load JS test '${testUrl}': `,
    kind: TS_EXTENSIONS.has(path.extname(mainPath).toLowerCase()) ? 'ts' : 'js',
    usesPromises: usesPromises(bundle.code),
    mapPosition: factory.mapPosition,
    mapStack: stackMapperFor(mainPath, factory),
  };
}
