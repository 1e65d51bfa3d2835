// Wraps a transformed bundle into the per-VU factory expression:
//
//   (async function __stampede_factory(__rt) { "use strict"; <globals prelude>
//     return (async () => { let __t; <import bindings> <bundle, transformed> <return namespace> })(); })
//
// Everything before the bundle sits on its first line and everything after it follows its last
// line, so line N of the factory is line N of the bundle. The bundle lives in an inner function so
// a script may declare its own `open`, `console`… without clashing with the prelude's bindings.
import * as path from 'node:path/posix';
import { Parser } from 'acorn';
import MagicString from 'magic-string';
import { anonymousDefaults, importedDefaultNames, renamedIdentifiers, RESTORE_NAME_PRELUDE, restoreRenamedNames } from './bundle-renames.ts';
import { CompileError } from './compile-error.ts';
import { lineStarts, offsetToPosition } from './line-starts.ts';
import { SourceMapLookup } from './source-map-lookup.ts';
import type { RawSourceMap } from './bundle-script.ts';
import { rewriteModuleSyntax } from './module-syntax.ts';
import { RESUMED, RUN, RUN_CLOSURE, RUN_CONSTRUCT, SyncTransform } from './sync-transform.ts';

// `__stampede_run(gen)` drives a wrapped function's generator: synchronously while its calls return
// plain values, so a function that did not block returns its value like an untransformed one; from
// the first blocking promise it yields on, `__rt.drive(g, promise)` runs the rest, and its marked
// promise is what the caller's call site then waits for. `__stampede_run_closure(G, this, args)` does the same
// for a generator function created per call; giving it the shared generator prototype avoids V8
// materialising a fresh prototype object per call. A function called with `new` passes its instance
// (`nt`): when its body blocks, it is kept under construction and `new` returns it, so the `new` call
// site waits for the body. `__stampede_run_construct` runs a class constructor's body and `__PC` holds
// the instances whose body blocked (vu/constructing.ts). `__DF` defines a class field that runs as a
// constructor step (sync-transform.ts, visitFieldStep). `__RS` (`__rt.resumed`) is what a generator's
// waiting call site resumes through (vu/caller-frames.ts).
export const GLOBALS_PRELUDE =
  `"use strict"; const __S = __rt.S, __P = __rt.P, __UB = __rt.unbox, ${RESUMED} = __rt.resumed; ` +
  'const { __VU, open, console, require, setTimeout, clearTimeout, setInterval, clearInterval } = __rt.globals; ' +
  'let __ITER, __ENV = __rt.globals.__ENV; __rt.bindIter((v) => { __ITER = v; }, (e) => { __ENV = e; }); ' +
  'const globalThis = __rt.globalView({ __VU, open, console, require, setTimeout, clearTimeout, setInterval, clearInterval, get __ITER() { return __ITER; }, get __ENV() { return __ENV; } }), global = __rt.globalAlias ? globalThis : undefined; ' +
  'const __GP = Object.getPrototypeOf(function* () {}).prototype, __GN = __GP.next, __GT = __GP.throw; ' +
  `const ${RUN} = (g, nt) => { const r = __GN.call(g); return r.done ? r.value : nt === undefined ? __rt.drive(g, r.value) : __rt.constructLater(nt, __rt.drive(g, r.value)); }; ` +
  `const ${RUN_CLOSURE} = (G, self, args, nt) => { G.prototype = __GP; return ${RUN}(G.apply(self, args), nt); }; ` +
  `const __PC = __rt.constructing, ${RUN_CONSTRUCT} = __rt.construct; ` +
  'const __DF = (o, k, v) => { Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true }); }; ';

export interface Position {
  file: string;
  line: number;
  column: number;
}

export interface FactoryBuild {
  source: string;
  /** Factory position (1-based line and column, as in V8 stack traces) → original source position. */
  mapPosition(line: number, column: number): Position | undefined;
  /**
   * Whether a factory position is in the compiler's own code: the prelude and the generator driver on
   * line 1, and the call that runs a wrapped function's generator (the frame of the function's shell,
   * which would repeat the function's name at its header).
   */
  isInternal(line: number, column: number): boolean;
  /** The local name of the main module's default export, shown as `default` in stack traces (as k6 does). */
  readonly defaultLocal: string | undefined;
  /** The name written in the source for a top-level name the bundler renamed (`run2` → `run`), else the name. */
  originalName(name: string): string;
  /**
   * The name the code at hand wrote for a top-level binding the bundler renamed, as a reference:
   * an importer's local name for a default import (`helpers_default` → `helpers`), `run2` → `run`;
   * else the name. For the expressions V8 quotes in its TypeErrors (`helpers.logout is not a function`).
   */
  referenceName(name: string): string;
  /**
   * Whether a factory position is a waiting call site's `__RS(`: a frame there is one that
   * vu/caller-frames.ts added to an error for a caller that had blocked; mapPosition gives the call's position.
   */
  isResumeSite(line: number, column: number): boolean;
}

/**
 * A waiting call site (sync-transform.ts, suspendOn): a generator's `__RS(yield VALUE, SITE)` or an
 * async function's `await VALUE/*@SITE*\/`, SITE being the bundle offset of the call.
 */
const WAIT_SITE = new RegExp(
  `(?:${RESUMED}\\(yield (?:__t|__rt\\.constructed\\([^()\\n]*\\)), (\\d+)\\))|(?:await (?:__t|__rt\\.constructed\\([^()\\n]*\\))\\/\\*@(\\d+)\\*\\/)`,
  'g',
);

interface WaitSite {
  /** The bundle offset of the call waited for. */
  readonly call: number;
  /** A generator's `__RS`: a frame there was added by vu/caller-frames.ts (an `await`'s is V8's async frame). */
  readonly resumed: boolean;
}

/** 1-based `line:column` of each waiting call site's `__RS` or `await` (where V8 places a frame there). */
function waitSitePositions(source: string): Map<string, WaitSite> {
  const out = new Map<string, WaitSite>();
  source.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(WAIT_SITE)) {
      const resumed = m[1] !== undefined;
      out.set(`${i + 1}:${(m.index ?? 0) + 1}`, { call: Number(resumed ? m[1] : m[2]), resumed });
    }
  });
  return out;
}

/** 1-based `line:column` of each call that runs a wrapped function's generator, as V8 reports its frame. */
function runnerCallPositions(source: string): Set<string> {
  const out = new Set<string>();
  const lines = source.split('\n');
  const token = /__stampede_run(?:_closure|_construct)?\(/g;
  for (let i = 1; i < lines.length; i++) {
    for (const m of (lines[i] as string).matchAll(token)) out.add(`${i + 1}:${(m.index ?? 0) + 1}`);
  }
  return out;
}

function dirOf(file: string): string {
  if (/^https?:\/\//i.test(file)) return new URL('.', file).href;
  return path.dirname(file);
}

/**
 * `sourceText`: an original file's text (by its name in the bundle's source map), to tell the names
 * esbuild made up for anonymous default exports (bundle-renames.ts, anonymousDefaults).
 */
export function buildFactory(
  bundleCode: string, bundleMap: RawSourceMap, mainPath: string, mainIsCommonJs: boolean,
  sourceText: (file: string) => string | undefined = () => undefined,
): FactoryBuild {
  let program;
  try {
    program = Parser.parse(bundleCode, { ecmaVersion: 'latest', sourceType: 'module', allowAwaitOutsideFunction: true });
  } catch (e) {
    // esbuild has already accepted the code: this would be a gap between esbuild's and acorn's grammar.
    throw new CompileError(`internal: could not parse the bundled script: ${(e as Error).message}`, undefined, { cause: e });
  }
  const bundleLookup = new SourceMapLookup(bundleMap.mappings);
  const bundleStarts = lineStarts(bundleCode);
  const moduleFileAt = (offset: number): string => {
    const pos = offsetToPosition(bundleStarts, offset);
    const hit = bundleLookup.find(pos.line, pos.column);
    return (hit === undefined ? undefined : bundleMap.sources[hit.source]) ?? mainPath;
  };

  const s = new MagicString(bundleCode);
  const transform = new SyncTransform(bundleCode, s, {
    moduleDirAt(offset) {
      return dirOf(moduleFileAt(offset));
    },
    moduleFileAt,
  });
  transform.run(program);
  const renamed = renamedIdentifiers(bundleCode, bundleStarts, bundleMap.names ?? [], bundleLookup);
  const references = new Map([...importedDefaultNames(bundleCode, bundleStarts, bundleLookup, bundleMap.sources, sourceText), ...renamed]);
  const renames = new Map([
    ...renamed,
    ...anonymousDefaults(program, bundleCode, bundleStarts, bundleLookup, bundleMap.sources, sourceText),
  ]);
  restoreRenamedNames(program, s, renames);
  const slots = transform.moduleSlots.length === 0 ? '' : `let ${transform.moduleSlots.join(', ')}; `;
  const { prelude, epilogue, defaultLocal } = rewriteModuleSyntax(program, bundleCode, s, mainIsCommonJs);

  const head = `(async function __stampede_factory(__rt) { ${GLOBALS_PRELUDE}${RESTORE_NAME_PRELUDE}return (async () => { let __t; ${slots}${prelude} `;
  s.prepend(head);
  s.append(`${bundleCode.endsWith('\n') ? '' : '\n'}${epilogue} })(); })`);
  const source = s.toString();

  let edits: ReturnType<MagicString['generateDecodedMap']> | undefined;
  const mapPosition = (line: number, column: number): Position | undefined => {
    edits ??= s.generateDecodedMap({ hires: 'boundary' });
    const segments = edits.mappings[line - 1];
    if (segments === undefined || segments.length === 0) return undefined;
    const col0 = column - 1;
    let best = segments[0];
    for (const seg of segments) {
      if (seg[0] <= col0) best = seg;
      else break;
    }
    if (best === undefined || best.length < 4) return undefined;
    const bundleLine = (best[2] ?? 0) + 1;
    const bundleColumn = (best[3] ?? 0) + Math.max(0, col0 - best[0]);
    const hit = bundleLookup.find(bundleLine, bundleColumn);
    const file = hit === undefined ? undefined : bundleMap.sources[hit.source];
    if (hit === undefined || file === undefined) return undefined;
    return { file, line: hit.line, column: hit.column + 1 };
  };
  let runnerCalls: Set<string> | undefined;
  const isInternal = (line: number, column: number): boolean => {
    if (line === 1) return column <= head.length;
    runnerCalls ??= runnerCallPositions(source);
    return runnerCalls.has(`${line}:${column}`);
  };
  let waitSites: Map<string, WaitSite> | undefined;
  const waitSite = (line: number, column: number): WaitSite | undefined => {
    waitSites ??= waitSitePositions(source);
    return waitSites.get(`${line}:${column}`);
  };
  /** The original position of a bundle offset (a waiting call site's call). */
  const mapBundleOffset = (offset: number): Position | undefined => {
    const pos = offsetToPosition(bundleStarts, offset);
    const hit = bundleLookup.find(pos.line, pos.column);
    const file = hit === undefined ? undefined : bundleMap.sources[hit.source];
    if (hit === undefined || file === undefined) return undefined;
    return { file, line: hit.line, column: hit.column + 1 };
  };
  return {
    source,
    mapPosition: (line, column) => {
      if (isInternal(line, column)) return undefined;
      const site = waitSite(line, column);
      return site === undefined ? mapPosition(line, column) : mapBundleOffset(site.call);
    },
    isInternal,
    defaultLocal,
    originalName: (name) => renames.get(name) ?? name,
    referenceName: (name) => references.get(name) ?? name,
    isResumeSite: (line, column) => waitSite(line, column)?.resumed === true,
  };
}
