// `--out json` and `--out csv` while the run goes, as k6's outputs write them (internal/output/json
// and csv flush their buffers every second): NDJSON chunks from every thread are written as they
// arrive, so a long run's points never pile up in memory. "-" is stdout and a name ending in .gz is
// gzipped. Each thread announces its metrics itself: a Metric line already written is dropped.
// The network outputs (influxdb, …) get the same lines as samples, buffered and pushed on their own
// intervals; they are started when the run opens the outputs and flushed when it closes them.
// Without `EngineIo.openOutput` (an embedding that only writes whole files) the text is kept and
// written with `writeFile` when the run ends.
import * as path from 'node:path';
import { createGzip, gzipSync, type Gzip } from 'node:zlib';
import type { EngineIo, OutputFile } from './engine-io.ts';
import { csvHeader, csvRows, type CsvOutputConfig } from './csv-output.ts';
import { goErrnoText } from './go-errno.ts';
import { samplesFromLines, type MetricKind, type SampleOutput } from '../outputs/sample-output.ts';

type Log = { write(level: 'error', msg: string): void };

/** One destination: a file (plain or gzipped), stdout, or kept text when files cannot be streamed. */
class Destination {
  readonly #kind: string;
  readonly #file: string;
  readonly #io: EngineIo;
  readonly #log: Log;
  #kept: string[] | undefined = [];
  #out: OutputFile | undefined;
  #gzip: Gzip | undefined;
  #failed = false;

  constructor(kind: string, file: string, io: EngineIo, log: Log) {
    this.#kind = kind;
    this.#file = file;
    this.#io = io;
    this.#log = log;
  }

  /**
   * Starts streaming: what was written before goes out first. A file that cannot be created gives
   * Go's error text (`open out/x.json: no such file or directory`) and is not written.
   */
  async open(): Promise<string | undefined> {
    const kept = this.#kept ?? [];
    if (this.#file === '-') {
      this.#kept = undefined;
      for (const text of kept) this.#io.stdout.write(text);
      return undefined;
    }
    if (this.#io.openOutput === undefined) return undefined;
    try {
      this.#out = await this.#io.openOutput(this.#resolved());
    } catch (e) {
      this.#failed = true;
      this.#kept = undefined;
      return `open ${this.#file}: ${goErrnoText(e)}`;
    }
    if (this.#file.endsWith('.gz')) {
      const out = this.#out;
      this.#gzip = createGzip();
      this.#gzip.on('data', (chunk: Buffer) => out.write(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
    }
    this.#kept = undefined;
    for (const text of kept) this.write(text);
    return undefined;
  }

  write(text: string): void {
    if (this.#failed || text === '') return;
    if (this.#kept !== undefined) this.#kept.push(text);
    else if (this.#file === '-') this.#io.stdout.write(text);
    else if (this.#gzip !== undefined) this.#gzip.write(text);
    else this.#out?.write(text);
  }

  async close(): Promise<void> {
    if (this.#failed || this.#file === '-') return;
    try {
      if (this.#kept !== undefined) {
        const text = this.#kept.join('');
        this.#kept = undefined;
        await this.#io.writeFile(this.#resolved(), this.#file.endsWith('.gz') ? new Uint8Array(gzipSync(text)) : text);
        return;
      }
      const gzip = this.#gzip;
      if (gzip !== undefined) await new Promise<void>((resolve, reject) => gzip.once('end', resolve).once('error', reject).end());
      await this.#out?.close();
    } catch (e) {
      this.#fail(e);
    }
  }

  #resolved(): string {
    return path.resolve(this.#io.cwd, this.#file);
  }

  #fail(e: unknown): void {
    this.#failed = true;
    this.#kept = undefined;
    this.#log.write('error', `could not write the ${this.#kind} output ${this.#file}: ${(e as Error).message}`);
  }
}

export interface PointOutputsConfig {
  readonly jsonOut: string | undefined;
  readonly csv: CsvOutputConfig | undefined;
  readonly systemTags: readonly string[];
  /** The network outputs (`--out influxdb`, …), made at load. */
  readonly sampleOutputs?: readonly SampleOutput[];
}

export class PointOutputs {
  readonly #io: EngineIo;
  readonly #log: Log;
  readonly #seen = new Set<string>();
  /** Lines pushed before open(): the CSV columns come from options known only then. */
  #early: string[] | undefined = [];
  #json: Destination | undefined;
  #csv: { dest: Destination; systemTags: readonly string[]; config: CsvOutputConfig } | undefined;
  #sampleOutputs: readonly SampleOutput[] = [];
  readonly #metricTypes = new Map<string, MetricKind>();

  constructor(io: EngineIo, log: Log) {
    this.#io = io;
    this.#log = log;
  }

  /** An NDJSON chunk of whole lines from any thread. */
  push(chunk: string): void {
    const lines: string[] = [];
    for (const line of chunk.split('\n')) {
      if (line === '') continue;
      if (line.startsWith('{"type":"Metric"')) {
        if (this.#seen.has(line)) continue;
        this.#seen.add(line);
      }
      lines.push(line);
    }
    if (lines.length === 0) return;
    if (this.#early !== undefined) {
      for (const l of lines) this.#early.push(l);
      return;
    }
    this.#write(lines);
  }

  /**
   * Opens the destinations (the run begins); lines pushed so far are written first. Returns k6's error
   * when a file cannot be created (the CSV output's, which k6 creates with the output, first): k6 then
   * stops before the test starts.
   */
  async open(config: PointOutputsConfig): Promise<string | undefined> {
    if (config.jsonOut !== undefined) this.#json = new Destination('JSON', config.jsonOut, this.#io, this.#log);
    if (config.csv !== undefined) {
      const dest = new Destination('CSV', config.csv.file, this.#io, this.#log);
      this.#csv = { dest, systemTags: config.systemTags, config: config.csv };
      dest.write(csvHeader(config.systemTags));
    }
    const [json, csv] = await Promise.all([this.#json?.open(), this.#csv?.dest.open()]);
    if (csv !== undefined) return `could not create the 'csv' output: ${csv}`;
    if (json !== undefined) return json;
    this.#sampleOutputs = config.sampleOutputs ?? [];
    await Promise.all(this.#sampleOutputs.map((o) => o.start()));
    const early = this.#early ?? [];
    this.#early = undefined;
    if (early.length > 0) this.#write(early);
    return undefined;
  }

  /** Flushes and closes every destination; a failure is logged, never thrown. */
  async close(): Promise<void> {
    const outputs = this.#sampleOutputs;
    this.#sampleOutputs = [];
    await Promise.all([this.#json?.close(), this.#csv?.dest.close(), ...outputs.map((o) => o.stop())]);
  }

  #write(lines: string[]): void {
    this.#json?.write(`${lines.join('\n')}\n`);
    const csv = this.#csv;
    if (csv !== undefined) csv.dest.write(csvRows(lines, csv.systemTags, csv.config.timeFormat));
    if (this.#sampleOutputs.length > 0) {
      const samples = samplesFromLines(lines, this.#metricTypes);
      if (samples.length > 0) for (const o of this.#sampleOutputs) o.add(samples);
    }
  }
}
