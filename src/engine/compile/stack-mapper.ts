// Script stack traces as k6 prints them. The compiled factory's V8 frames become frames of the
// original files, in sobek's layout: a tab, `at`, the function name and the file URL with line and
// column (`\tat default (file:///home/me/script.js:5:10)`; sobek's bytecode offset in parentheses
// has no V8 equivalent and is left out). The main module's default export is named `default`; the
// compiler's own frames (the generator driver, a wrapped function's shell, `Generator.next`) and
// the engine's are dropped; builtins show as `name (native)`. A frame at a waiting call site's `__RS(`
// is one vu/caller-frames.ts added for a caller that had blocked: it shows at that call, and is dropped
// when V8's frames already had it.
import type { FactoryBuild } from './factory-source.ts';

const FRAME = /^\s+at (.*)$/;
const NAMED = /^(.*?) \((.*)\)$/;
const LOCATION = /^(.*):(\d+):(\d+)$/;
const DRIVER_FRAME = /^(?:[\w$#]+\.)?(?:next|throw|return)$/;
/** The private generator method that runs a class field's initialiser (sync-transform.ts, visitFieldStep). */
const FIELD_STEP = /^#__sf\d+$/;
/**
 * The cache slot of an anonymous function's generator (sync-transform.ts, wrapGenerator): V8 names the
 * generator after it (`__sg0 ??= function* () {}`, also through `(0, …)`); the function has no name.
 */
const GENERATOR_SLOT = /^__sg\d+$/;

/** How k6 names a script file: an absolute path as a file URL, a remote module by its URL. */
export function scriptFileUrl(file: string): string {
  if (file.startsWith('/')) return `file://${encodeURI(file)}`;
  return file;
}

/**
 * A message may name one part of a factory position: `<position>{@file}` becomes the original file's
 * base name, `<position>{@line}` its line (the jslib k6-testing prints them on lines of their own).
 */
export const POSITION_PART_OPEN = '{@';

/** The token for one part of a factory position (`file:line:column` as V8 reports it). */
export function positionPart(position: string, part: 'file' | 'line'): string {
  return `${position}${POSITION_PART_OPEN}${part}}`;
}

/**
 * A V8 frame (the text after `at `) quoted in a message, to be written as k6 writes a frame
 * (`default (file:///home/me/script.js:5:10)`, sobek's StackFrame.Write without the bytecode offset).
 */
export function framePart(frame: string): string {
  return `${FRAME_PART}${frame}`;
}

const FRAME_PART = '{@frame}';

/**
 * A V8 error text that quotes the script's own expression (`TypeError: helpers_default.logout is not a
 * function`, `ReferenceError: run2 is not defined`): its identifiers are the bundle's, named back as written.
 */
const QUOTING_ERROR = /^(?:TypeError|ReferenceError): /;
/** An identifier V8 quotes: the start of a member chain, a callee or an undefined name. */
const QUOTED_IDENTIFIER = /(?<![\w$.'"])[A-Za-z_$][\w$]*(?=\.|\[| is not )/g;

function baseName(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function stackMapperFor(
  filename: string,
  factory: Pick<FactoryBuild, 'mapPosition' | 'isInternal' | 'defaultLocal' | 'originalName' | 'isResumeSite'> &
    Partial<Pick<FactoryBuild, 'referenceName'>>,
): (text: string) => string {
  // A quoted frame (framePart), else a factory position, optionally with a part (positionPart).
  const inline = new RegExp(
    `${escapeRegExp(FRAME_PART)}((?:[^\\n]*? \\()?${escapeRegExp(filename)}:\\d+:\\d+\\)?)` +
    `|${escapeRegExp(filename)}:(\\d+):(\\d+)(?:${escapeRegExp(POSITION_PART_OPEN)}(file|line)\\})?`,
    'g',
  );
  // sobek names a frame by the function's own name: V8's `async `, `new ` and receiver type
  // (`Object.boom`, `Client.get`) are not part of it.
  const frameName = (name: string): string => {
    const own = name.replace(/^(?:async |new )/, '');
    const plain = own.slice(own.lastIndexOf('.') + 1);
    // esbuild names an anonymous default export `<file>_default`; sobek calls it `default`.
    if (plain === factory.defaultLocal && plain.endsWith('_default')) return 'default';
    return factory.originalName(plain);
  };

  /**
   * One V8 frame (the text after `at `) as k6 would write it, and whether it is a caller's frame
   * added after the error was made (vu/caller-frames.ts); undefined to drop it.
   */
  const mapFrame = (frame: string): { text: string; added: boolean } | undefined => {
    const named = NAMED.exec(frame);
    const name = named === null ? '' : (named[1] as string);
    const where = named === null ? frame : (named[2] as string);
    const loc = LOCATION.exec(where);
    if (loc === null) {
      // A builtin (`Array.map (<anonymous>)`), or the generator protocol the compiler drives.
      if (name === '' || DRIVER_FRAME.test(name) || where !== '<anonymous>') return undefined;
      return { text: `${name.slice(name.lastIndexOf('.') + 1)} (native)`, added: false };
    }
    if (loc[1] !== filename) return undefined; // the engine's own code
    const line = Number(loc[2]);
    const column = Number(loc[3]);
    if (factory.isInternal(line, column)) return undefined;
    const pos = factory.mapPosition(line, column);
    if (pos === undefined) return undefined;
    const at = `${scriptFileUrl(pos.file)}:${pos.line}:${pos.column}`;
    // A field initialiser's frame, or an anonymous function's generator, has no function name of its
    // own: its position only, as an anonymous function's (V8's `Object.<anonymous>` with a receiver).
    const own = name === '' ? '' : frameName(name);
    const text = own === '' || own === '<anonymous>' || FIELD_STEP.test(own) || GENERATOR_SLOT.test(own) ? at : `${own} (${at})`;
    return { text, added: factory.isResumeSite(line, column) };
  };

  /**
   * Drops the added callers' frames a stack already had: an error made before its callers blocked
   * (open()'s call-site frames) has the first of them from V8, one after the other, in the same order
   * (followed by callers that wait with `await`, which add none).
   */
  const dropRepeated = (out: string[], own: string[], added: number[]): void => {
    const first = added.map((i) => out[i]);
    for (let k = Math.min(own.length, added.length); k > 0; k--) {
      for (let j = 0; j + k <= own.length; j++) {
        let same = true;
        for (let i = 0; i < k && same; i++) same = first[i] === own[j + i];
        if (same) {
          for (let i = k - 1; i >= 0; i--) out.splice(added[i] as number, 1);
          return;
        }
      }
    }
  };

  return (text) => {
    const out: string[] = [];
    /** Frames of builtins since the last script frame: kept only when a script frame follows. */
    let natives: string[] = [];
    /** The script frames V8 gave, and the indexes in `out` of the frames added for callers that had blocked. */
    const own: string[] = [];
    const added: number[] = [];
    for (const line of text.split('\n')) {
      const frame = FRAME.exec(line);
      if (frame === null) {
        // A message may quote a position of the factory (a thrown SyntaxError from eval, a log line).
        out.push(...natives);
        natives = [];
        const referenceName = factory.referenceName;
        const named = referenceName !== undefined && QUOTING_ERROR.test(line)
          ? line.replace(QUOTED_IDENTIFIER, (id) => referenceName(id))
          : line;
        out.push(named.replace(inline, (whole, frameText: string | undefined, l: string, c: string, part: string | undefined) => {
          if (frameText !== undefined) return mapFrame(frameText)?.text ?? frameText;
          const pos = factory.mapPosition(Number(l), Number(c));
          if (part === 'file') return baseName(pos === undefined ? filename : pos.file);
          if (part === 'line') return pos === undefined ? l : String(pos.line);
          return pos === undefined ? whole : `${pos.file}:${pos.line}:${pos.column}`;
        }));
        continue;
      }
      const mapped = mapFrame(frame[1] as string);
      if (mapped === undefined) continue;
      const at = `\tat ${mapped.text}`;
      if (mapped.text.endsWith(' (native)')) {
        natives.push(at);
        continue;
      }
      if (mapped.added) {
        // Builtins between V8's frames and the added ones were called by the engine.
        natives = [];
        added.push(out.length);
      } else if (added.length === 0) {
        own.push(at);
      }
      out.push(...natives, at);
      natives = [];
    }
    if (added.length !== 0) dropRepeated(out, own, added);
    return out.join('\n');
  };
}
