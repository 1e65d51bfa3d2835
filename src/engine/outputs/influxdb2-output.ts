// `--out xk6-influxdb`: grafana/xk6-output-influxdb's InfluxDB v2 output (pkg/influxdb/output.go).
// Every push interval the buffered samples go out as one line-protocol POST to
// `<addr>/api/v2/write?org=&bucket=&precision=` with `Authorization: Token <token>`, at most
// `concurrentWrites` at once; on stop the rest is flushed and every write awaited. The lines are the
// v1 output's (influxdb-line.ts). A failing write is logged (`Couldn't send metrics points`) and the
// run goes on. No database is created: v2 buckets are made by their owner.
import { precisionParam, type Influxdb2Config } from './influxdb2-config.ts';
import { influxLines } from './influxdb-line.ts';
import { OutputHttp } from './output-http.ts';
import { BatchedWrites, warnIfSlowWrite } from './batched-writes.ts';
import type { OutputLog, PointSample, SampleOutput } from './sample-output.ts';

const FIELDS = { output: 'InfluxDBv2' } as const;

export class Influxdb2Output implements SampleOutput {
  readonly #config: Influxdb2Config;
  readonly #log: OutputLog;
  readonly #http: OutputHttp;
  readonly #writes: BatchedWrites;

  constructor(config: Influxdb2Config, log: OutputLog) {
    this.#config = config;
    this.#log = log;
    this.#http = new OutputHttp({ insecure: config.insecureSkipTLSVerify });
    this.#writes = new BatchedWrites(config.pushIntervalMs, config.concurrentWrites, (samples) => this.#write(samples));
  }

  get description(): string {
    return `InfluxDBv2 (${this.#config.addr})`;
  }

  async start(): Promise<void> {
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
    const started = Date.now();
    const precision = precisionParam(c.precisionNs);
    try {
      const body = influxLines(samples, c.fieldKinds, { divisorNs: precision === 'ns' ? 1n : c.precisionNs });
      const query = new URLSearchParams({ org: c.organization, bucket: c.bucket, precision });
      const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8', 'user-agent': 'k6' };
      if (c.token !== '') headers.authorization = `Token ${c.token}`;
      const res = await this.#http.send('POST', `${c.addr.replace(/\/+$/, '')}/api/v2/write?${query}`, headers, body);
      if (res.status < 200 || res.status >= 300) throw new Error(v2ErrorText(res.status, res.body));
    } catch (e) {
      this.#log.write('error', 'Couldn\'t send metrics points', { ...FIELDS, error: (e as Error).message, elapsed: `${Date.now() - started}ms`, points: String(samples.length) });
      return;
    }
    warnIfSlowWrite(this.#log, FIELDS, started, c.pushIntervalMs);
  }
}

/** influxdb-client-go's error for a failed write: `code: message` from the JSON body. */
function v2ErrorText(status: number, body: string): string {
  try {
    const e = JSON.parse(body) as { code?: unknown; message?: unknown };
    const code = typeof e.code === 'string' ? e.code : '';
    const message = typeof e.message === 'string' ? e.message : '';
    if (code !== '' && message !== '') return `${code}: ${message}`;
    if (message !== '' || code !== '') return message || code;
  } catch {
    // not JSON
  }
  return `Unexpected status code ${status}`;
}
