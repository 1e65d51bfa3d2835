// `--out influxdb`: k6's InfluxDB v1 output (internal/output/influxdb/output.go). On start it sends
// `CREATE DATABASE <db>` (a failure is only a debug line: the user may lack the right, or the
// database exists); every push interval the buffered samples go out as one line-protocol POST to
// `<addr>/write`, at most `concurrentWrites` at once (a further flush waits for a slot); on stop the
// rest is flushed and every write awaited. A failing write is logged as k6 logs it and the run goes
// on. `udp://host:port` sends the lines as datagrams of at most payloadSize bytes (512 by default).
import { createSocket } from 'node:dgram';
import type { InfluxdbConfig } from './influxdb-config.ts';
import { batchPrecision, influxLines } from './influxdb-line.ts';
import { OutputHttp } from './output-http.ts';
import { BatchedWrites, warnIfSlowWrite } from './batched-writes.ts';
import type { OutputLog, PointSample, SampleOutput } from './sample-output.ts';

const FIELDS = { output: 'InfluxDBv1' } as const;
const V2_HINT = ', InfluxDB v2.x isn\'t supported by this output, if you are using it you may consider to use the extension https://github.com/grafana/xk6-output-influxdb';

export class InfluxdbOutput implements SampleOutput {
  readonly #config: InfluxdbConfig;
  readonly #log: OutputLog;
  readonly #http: OutputHttp;
  readonly #writes: BatchedWrites;

  constructor(config: InfluxdbConfig, log: OutputLog) {
    this.#config = config;
    this.#log = log;
    this.#http = new OutputHttp({ insecure: config.insecure, ...(config.proxy === undefined ? {} : { proxy: config.proxy }) });
    this.#writes = new BatchedWrites(config.pushIntervalMs, config.concurrentWrites, (samples) => this.#write(samples));
  }

  get description(): string {
    return `InfluxDBv1 (${this.#config.addr})`;
  }

  async start(): Promise<void> {
    const c = this.#config;
    try {
      if (this.#udp() !== undefined) throw new Error('Querying via UDP is not supported');
      const query = new URLSearchParams({ db: '', params: 'null', q: `CREATE DATABASE ${c.db}` });
      const res = await this.#http.send('POST', `${this.#url('query')}?${query}`, this.#headers());
      if (res.status < 200 || res.status >= 300) throw new Error(errorText(res.body, res.status));
    } catch (e) {
      this.#log.write('debug', 'Couldn\'t create database; most likely harmless', { ...FIELDS, error: (e as Error).message });
    }
    this.#writes.start();
  }

  add(samples: readonly PointSample[]): void {
    this.#writes.add(samples);
  }

  async stop(): Promise<void> {
    await this.#writes.stop();
    await this.#http.close();
  }

  async #write(samples: readonly PointSample[]): Promise<void> {
    const c = this.#config;
    let body: string;
    let precision: string;
    try {
      precision = batchPrecision(c.precision);
      body = influxLines(samples, c.fieldKinds, precision);
    } catch (e) {
      this.#log.write('error', 'Couldn\'t create batch from samples', { ...FIELDS, error: `couldn't make a batch: ${(e as Error).message}` });
      return;
    }
    const started = Date.now();
    try {
      const udp = this.#udp();
      if (udp !== undefined) await sendDatagrams(udp, body, c.payloadSize);
      else {
        const query = new URLSearchParams({ consistency: c.consistency, db: c.db, precision, rp: c.retention });
        const res = await this.#http.send('POST', `${this.#url('write')}?${query}`, this.#headers(), body);
        if (res.status !== 204 && res.status !== 200) throw new Error(errorText(res.body, res.status));
      }
    } catch (e) {
      const text = (e as Error).message;
      this.#log.write('error', `Couldn't write stats${text.includes('unauthorized access') ? V2_HINT : ''}`, { ...FIELDS, error: text });
      return;
    }
    warnIfSlowWrite(this.#log, FIELDS, started, c.pushIntervalMs);
  }

  #udp(): { host: string; port: number } | undefined {
    const m = /^udp:\/\/(.*):(\d+)$/.exec(this.#config.addr);
    if (m === null) return undefined;
    return { host: (m[1] ?? '').replace(/^\[|\]$/g, ''), port: Number(m[2]) };
  }

  #url(endpoint: 'write' | 'query'): string {
    return `${this.#config.addr.replace(/\/+$/, '')}/${endpoint}`;
  }

  #headers(): Record<string, string> {
    const h: Record<string, string> = { 'user-agent': 'k6', 'content-type': '' };
    const c = this.#config;
    if (c.username !== '') h.authorization = `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;
    return h;
  }
}

/** influxdb1-client's error for a response that is not a success: the server's `error`, else the body. */
function errorText(body: string, status: number): string {
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    if (typeof parsed.error === 'string') return parsed.error;
  } catch {
    // not JSON
  }
  return body === '' ? `${status}` : body.trim();
}

/** The lines as UDP datagrams of at most `payloadSize` bytes (influxdb1-client's UDP client; 512 when unset). */
async function sendDatagrams(to: { host: string; port: number }, body: string, payloadSize: number): Promise<void> {
  const limit = payloadSize > 0 ? payloadSize : 512;
  const socket = createSocket(to.host.includes(':') ? 'udp6' : 'udp4');
  try {
    let packet = '';
    const send = (text: string): Promise<void> => new Promise((resolve, reject) => {
      socket.send(text, to.port, to.host, (err) => (err ? reject(err) : resolve()));
    });
    for (const line of body.split(/(?<=\n)/)) {
      if (packet !== '' && Buffer.byteLength(packet) + Buffer.byteLength(line) > limit) {
        await send(packet);
        packet = '';
      }
      packet += line;
    }
    if (packet !== '') await send(packet);
  } finally {
    socket.close();
  }
}
