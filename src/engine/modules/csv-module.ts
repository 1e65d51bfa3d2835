// k6/experimental/csv over k6/experimental/fs files: `csv.parse(file, options)` resolves to a
// SharedArray of every record (parsed once per worker, as k6's is once per instance), and
// `new csv.Parser(file, options)` reads one record per `await parser.next()`. Options as k6's:
// delimiter, skipFirstLine, fromLine, toLine (record numbers from 0, toLine included) and asObjects
// (the first record names the fields). Records are read with Go's encoding/csv rules (go-csv.ts).
import { createHash } from 'node:crypto';
import type { VuHost } from '../vu/vu-host.ts';
import { goError } from '../vu/go-error.ts';
import { GoCsvReader } from './go-csv.ts';
import { FsFile } from './fs-module.ts';
import { sharedArrayView, type SharedArrayStore } from './data-module.ts';

interface CsvOptions {
  delimiter: string;
  skipFirstLine: boolean;
  fromLine: number | undefined;
  toLine: number | undefined;
  asObjects: boolean;
}

function parseOptions(raw: unknown): CsvOptions {
  const o: CsvOptions = { delimiter: ',', skipFirstLine: false, fromLine: undefined, toLine: undefined, asObjects: false };
  if (raw === undefined || raw === null) return o;
  const r = Object(raw) as Record<string, unknown>;
  if ('delimiter' in r) {
    const d = String(r.delimiter);
    if (d.length > 1) throw new Error('delimiter must be a single character');
    if (d !== '') o.delimiter = d;
  }
  if ('skipFirstLine' in r) o.skipFirstLine = Boolean(r.skipFirstLine);
  if ('fromLine' in r) o.fromLine = Math.trunc(Number(r.fromLine)) || 0;
  if ('toLine' in r) o.toLine = Math.trunc(Number(r.toLine)) || 0;
  if ('asObjects' in r) o.asObjects = Boolean(r.asObjects);
  if (o.fromLine !== undefined && o.toLine !== undefined && o.fromLine >= o.toLine) {
    throw new Error('fromLine must be less than or equal to toLine');
  }
  return o;
}

/** k6's csv Reader: option checks, the header and skipped lines read up front, then records. */
class RecordReader {
  private line = 0;
  private columns: string[] | undefined;
  private readonly csv: GoCsvReader;

  constructor(text: string, private readonly o: CsvOptions) {
    if (o.asObjects && o.skipFirstLine) throw new Error("the 'header' option cannot be enabled when 'skipFirstLine' is true");
    if (o.asObjects && (o.fromLine ?? 0) > 0) throw new Error("the 'header' option cannot be enabled when 'fromLine' is set to a value greater than 0");
    if ((o.fromLine ?? 0) < 0) throw new Error(`the 'fromLine' option must be greater than or equal to 0; got ${o.fromLine}`);
    if ((o.toLine ?? 0) < 0) throw new Error(`the 'toLine' option must be greater than or equal to 0; got ${o.toLine}`);
    this.csv = new GoCsvReader(text, o.delimiter);
    const must = (what: string): string[] => {
      const r = this.csv.read();
      if (r === undefined) throw new Error(`${what}; reason: EOF`);
      this.line++;
      return r;
    };
    if (o.asObjects) this.columns = must('failed to read the first line');
    if (o.skipFirstLine && (o.fromLine ?? 0) === 0) must('failed to skip the first line');
    while (o.fromLine !== undefined && this.line < o.fromLine) must(`failed to skip lines until line ${o.fromLine}`);
  }

  /** The next record, or undefined at the end (or past toLine). */
  next(): string[] | Record<string, string> | undefined {
    if (this.o.toLine !== undefined && this.o.toLine > 0 && this.line > this.o.toLine) return undefined;
    const record = this.csv.read();
    if (record === undefined) return undefined;
    this.line++;
    const columns = this.columns;
    if (columns === undefined) return record;
    if (record.length !== columns.length) throw new Error(`record length (${record.length}) doesn't match header length (${columns.length})`);
    const obj: Record<string, string> = {};
    columns.forEach((c, i) => {
      obj[c] = record[i] as string;
    });
    return obj;
  }
}

/** The Go type (%T) of the sobek.Value a script value is, as k6's "got %T instead" names it. */
function sobekTypeName(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? 'sobek.valueInt' : 'sobek.valueFloat';
  if (typeof v === 'string') return /^[\x00-\x7f]*$/.test(v) ? 'sobek.asciiString' : 'sobek.unicodeString';
  if (typeof v === 'boolean') return 'sobek.valueBool';
  if (typeof v === 'bigint') return '*sobek.valueBigInt';
  if (typeof v === 'symbol') return '*sobek.Symbol';
  return '*sobek.Object';
}

/**
 * k6 exports the argument into an fs.File struct: an fs File passes; null, undefined and any plain
 * object export into an empty File, whose missing reader fails the parser's creation; other values
 * (numbers, strings, arrays, functions) cannot be exported.
 */
function fileOf(v: unknown): FsFile {
  if (v instanceof FsFile) return v;
  const exportable = v === null || v === undefined || (typeof v === 'object' && !Array.isArray(v));
  if (exportable) throw goError('failed to create a new parser; reason: the reader cannot be nil');
  throw goError(`first argument expected to be a fs.File instance, got ${sobekTypeName(v)} instead`);
}

/** The file's text from its current offset (k6's readers start there). */
function textOf(file: FsFile): string {
  return new TextDecoder().decode(file.unread());
}

export function createCsvModule(host: VuHost, store: SharedArrayStore): Record<string, unknown> {
  function parse(file: unknown, options?: unknown): Promise<unknown> {
    const f = fileOf(file);
    let o: CsvOptions;
    try {
      o = parseOptions(options);
    } catch (e) {
      throw goError(`failed to interpret the provided Parser options; reason: ${(e as Error).message}`);
    }
    let reader: RecordReader;
    try {
      reader = new RecordReader(textOf(f), o);
    } catch (e) {
      throw goError(`failed to create a new parser; reason: ${(e as Error).message}`);
    }
    const key = JSON.stringify({ path: f.path, options: { ...o, fromLine: o.fromLine ?? null, toLine: o.toLine ?? null } });
    const name = `csv.parse.${createHash('sha256').update(key).digest('hex')}`;
    return new Promise((resolve) => {
      const elements = store.getOrCreate(name, () => {
        const records: unknown[] = [];
        try {
          for (let r = reader.next(); r !== undefined; r = reader.next()) records.push(r);
        } catch (e) {
          // k6's data module: the promise rejects with the read error as a GoError.
          throw goError(`failed to read record; reason: ${(e as Error).message}`);
        }
        return records;
      });
      resolve(elements instanceof Promise ? elements.then((e) => sharedArrayView(e, store.realm)) : sharedArrayView(elements, store.realm));
    });
  }

  class Parser {
    readonly #reader: RecordReader;

    constructor(file?: unknown, options?: unknown) {
      if (host.state.phase !== 'init') throw goError('csv Parser constructor must be called in the init context');
      if (file === undefined || file === null) throw goError('csv Parser constructor takes at least one non-nil source argument');
      const f = fileOf(file);
      let o: CsvOptions;
      try {
        o = parseOptions(options);
      } catch (e) {
        throw goError(`encountered an error while interpreting Parser options; reason: ${(e as Error).message}`);
      }
      try {
        this.#reader = new RecordReader(textOf(f), o);
      } catch (e) {
        throw goError(`failed to create a new parser; reason: ${(e as Error).message}`);
      }
    }

    /** The next record: `{ done: false, value }`, then `{ done: true, value: [] }`. */
    next(): Promise<{ done: boolean; value: unknown }> {
      return new Promise((resolve) => {
        let value: ReturnType<RecordReader['next']>;
        try {
          value = this.#reader.next();
        } catch (e) {
          throw goError((e as Error).message);
        }
        resolve(value === undefined ? { done: true, value: [] } : { done: false, value });
      });
    }
  }

  const mod = { parse, Parser };
  return { ...mod, default: mod };
}
