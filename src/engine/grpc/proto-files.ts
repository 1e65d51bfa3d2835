// client.load(importPaths, ...files) and client.loadProtoset(file): .proto sources (and their imports)
// or a serialized FileDescriptorSet read through the VU's file source, like open() (VU 0 reads
// them in its init, the others and archives get what it read), compiled with protobufjs into one
// Root. As in k6 (protocompile with standard imports), google/protobuf/*.proto imports are built in
// and each import is looked up in the import paths in order; with no import paths, the script's
// directory.
import * as posix from 'node:path/posix';
import type * as Protobuf from 'protobufjs';
import { isThenable } from '../vu/blocking.ts';
import { resolveOpenPath } from '../vu/open-file.ts';
import { descriptorLib, protobufLib } from './grpc-packages.ts';

type Maybe<T> = T | Promise<T>;

/** Reads a file by absolute path (throws or rejects when it is missing). */
export type ReadFile = (absolutePath: string) => Maybe<Uint8Array>;

function then<T, U>(v: Maybe<T>, f: (t: T) => Maybe<U>): Maybe<U> {
  return isThenable(v) ? Promise.resolve(v).then(f) : f(v);
}

/**
 * protocompile's errFailedToResolve: the last candidate's error (`open /abs/x.proto: no such file or
 * directory`), prefixed with `could not resolve path "x.proto": ` unless it already names the file.
 */
function notResolved(name: string, lastPath: string | undefined, last: unknown): Error {
  const code = (last as { code?: unknown } | undefined)?.code;
  const inner =
    code === 'ENOENT' && lastPath !== undefined ? `open ${lastPath}: no such file or directory` : last instanceof Error ? last.message : 'file does not exist';
  return new Error(inner.includes(name) ? inner : `could not resolve path ${JSON.stringify(name)}: ${inner}`);
}

/** `read` of the first candidate that exists. */
function readFirst(read: ReadFile, candidates: readonly string[], name: string, i = 0, last?: unknown): Maybe<{ path: string; bytes: Uint8Array }> {
  const path = candidates[i];
  if (path === undefined) throw notResolved(name, candidates[i - 1], last);
  const next = (e: unknown): Maybe<{ path: string; bytes: Uint8Array }> => readFirst(read, candidates, name, i + 1, e);
  let r: Maybe<Uint8Array>;
  try {
    r = read(path);
  } catch (e) {
    return next(e);
  }
  if (isThenable(r)) return Promise.resolve(r).then((bytes) => ({ path, bytes }), next);
  return { path, bytes: r };
}

function candidates(importPaths: readonly string[], name: string, baseDir: string): string[] {
  if (importPaths.length === 0) return [resolveOpenPath(baseDir, name)];
  return importPaths.map((p) => resolveOpenPath(baseDir, posix.join(p.replace(/^file:\/\//, ''), name)));
}

/** Parses the files and their imports into one resolved Root (a promise only while files are read asynchronously). */
export function loadProtoFiles(read: ReadFile, baseDir: string, importPaths: readonly string[], files: readonly string[]): Maybe<Protobuf.Root> {
  const pb = protobufLib();
  const root = new pb.Root();
  const done = new Set<string>();
  const queue = [...files];
  const step = (): Maybe<Protobuf.Root> => {
    for (;;) {
      const name = queue.shift();
      if (name === undefined) {
        root.resolveAll();
        return root;
      }
      if (done.has(name)) continue;
      done.add(name);
      const common = name.startsWith('google/protobuf/') ? pb.common.get(name) : null;
      if (common !== null) {
        if (common.nested !== undefined) root.addJSON(common.nested);
        continue;
      }
      const found = readFirst(read, candidates(importPaths, name, baseDir), name);
      const parse = ({ bytes }: { path: string; bytes: Uint8Array }): Maybe<Protobuf.Root> => {
        let parsed: Protobuf.IParserResult;
        try {
          parsed = pb.parse(new TextDecoder().decode(bytes), root, { keepCase: true, alternateCommentMode: true });
        } catch (e) {
          throw new Error(`${name}: ${(e as Error).message}`);
        }
        for (const imp of [...(parsed.imports ?? []), ...(parsed.weakImports ?? [])]) queue.push(imp);
        return step();
      };
      return then(found, parse);
    }
  };
  return step();
}

/** A serialized FileDescriptorSet (a protoset, or what reflection returned) as a resolved Root. */
export function rootFromDescriptorSet(bytes: Uint8Array | Record<string, unknown>): Protobuf.Root {
  descriptorLib();
  const Root = protobufLib().Root as unknown as { fromDescriptor(d: unknown): Protobuf.Root };
  const root = Root.fromDescriptor(bytes);
  root.resolveAll();
  return root;
}

export interface MethodDef {
  /** `/package.Service/Method` */
  readonly path: string;
  readonly packageName: string;
  readonly service: string;
  readonly requestType: Protobuf.Type;
  readonly responseType: Protobuf.Type;
  readonly clientStreaming: boolean;
  readonly serverStreaming: boolean;
}

/** Every service method of the root, as k6 lists them (`{ package, service, full_method }` per method). */
export function methodsOf(root: Protobuf.Root): MethodDef[] {
  const out: MethodDef[] = [];
  const visit = (ns: Protobuf.NamespaceBase): void => {
    for (const child of ns.nestedArray) {
      if ('methodsArray' in child) {
        const svc = child as Protobuf.Service;
        const pkg = svc.parent !== null && svc.parent !== root ? svc.parent.fullName.slice(1) : '';
        for (const m of svc.methodsArray) {
          m.resolve();
          if (m.resolvedRequestType === null || m.resolvedResponseType === null) continue;
          out.push({
            path: `/${svc.fullName.slice(1)}/${m.name}`,
            packageName: pkg,
            service: svc.name,
            requestType: m.resolvedRequestType,
            responseType: m.resolvedResponseType,
            clientStreaming: m.requestStream === true,
            serverStreaming: m.responseStream === true,
          });
        }
      }
      if ('nestedArray' in child) visit(child as Protobuf.NamespaceBase);
    }
  };
  visit(root);
  return out;
}
