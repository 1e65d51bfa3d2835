// The engine's script compiler: a script (JS, TS, or a k6 archive) in, a per-VU factory out.
// See docs/engine.md, "Synchronous semantics: the script transform", for what the factory expects
// of the VU runtime (`__rt`) and what the transform guarantees.
import * as path from 'node:path/posix';
import { isTarArchive, readArchive, type ArchiveContents } from './archive-reader.ts';
import { bundleScript, type ModuleSource } from './bundle-script.ts';
import { CompileError } from './compile-error.ts';
import { buildFactory, type FactoryBuild, type Position } from './factory-source.ts';
import { usesPromises } from './promise-usage.ts';

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
  archive?: { options: Record<string, unknown>; env: Record<string, string>; metadata: Record<string, unknown> };
  /** The exact input bytes (the control plane stores them). */
  sourceBytes: Uint8Array;
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

function stackMapperFor(filename: string, factory: FactoryBuild): (text: string) => string {
  const escaped = filename.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const position = new RegExp(`${escaped}:(\\d+):(\\d+)`, 'g');
  const internalFrame = new RegExp(`^\\s*at (?:(?:[\\w$]+\\.)?(?:next|throw) \\(<anonymous>\\)|.*${escaped}:1:(\\d+)\\)?)$`);
  return (text) =>
    text
      .split('\n')
      .filter((line) => {
        const m = internalFrame.exec(line);
        if (m === null) return true;
        return m[1] !== undefined && !factory.isInternal(1, Number(m[1]));
      })
      .map((line) =>
        line.replace(position, (whole, l: string, c: string) => {
          const pos = factory.mapPosition(Number(l), Number(c));
          return pos === undefined ? whole : `${pos.file}:${pos.line}:${pos.column}`;
        }),
      )
      .join('\n');
}

function ioSource(io: CompileIo): ModuleSource {
  return {
    async readLocal(absPath) {
      try {
        return await io.readFile(absPath);
      } catch {
        return undefined;
      }
    },
    async readRemote() {
      return undefined;
    },
  };
}

function archiveSource(arc: ArchiveContents): ModuleSource {
  return {
    async readLocal(absPath) {
      return arc.localFiles.get(absPath);
    },
    async readRemote(url) {
      return arc.remoteFiles.get(url);
    },
  };
}

export async function compileScript(input: ScriptInput, io: CompileIo): Promise<CompiledScript> {
  const cwd = toPosix(io.cwd);
  let sourceBytes: Uint8Array;
  let displayName: string;
  if ('path' in input) {
    displayName = input.path;
    try {
      sourceBytes = await io.readFile(path.resolve(cwd, toPosix(input.path)));
    } catch (e) {
      throw new CompileError(`cannot read script ${input.path}: ${(e as Error).message}`, undefined, { cause: e });
    }
  } else {
    displayName = input.name;
    sourceBytes = input.data;
  }

  if (isTarArchive(sourceBytes)) {
    const arc = await readArchive(sourceBytes, displayName);
    const bundle = await bundleScript(arc.mainPath, arc.mainData, archiveSource(arc));
    const factory = buildFactory(bundle.code, bundle.map, arc.mainPath, bundle.mainIsCommonJs);
    const files = new Map<string, Uint8Array>([...arc.localFiles, ...arc.remoteFiles]);
    return {
      factorySource: factory.source,
      filename: arc.mainPath,
      mainPath: arc.mainPath,
      files,
      archive: { options: arc.options, env: arc.env, metadata: arc.metadata },
      sourceBytes,
      kind: 'archive',
      usesPromises: usesPromises(bundle.code),
      mapPosition: factory.mapPosition,
      mapStack: stackMapperFor(arc.mainPath, factory),
    };
  }

  const mainPath = path.resolve(cwd, toPosix('path' in input ? input.path : input.name));
  const bundle = await bundleScript(mainPath, sourceBytes, ioSource(io));
  const factory = buildFactory(bundle.code, bundle.map, mainPath, bundle.mainIsCommonJs);
  return {
    factorySource: factory.source,
    filename: mainPath,
    mainPath,
    files: new Map([[mainPath, sourceBytes]]),
    sourceBytes,
    kind: TS_EXTENSIONS.has(path.extname(mainPath).toLowerCase()) ? 'ts' : 'js',
    usesPromises: usesPromises(bundle.code),
    mapPosition: factory.mapPosition,
    mapStack: stackMapperFor(mainPath, factory),
  };
}
