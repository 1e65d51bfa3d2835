// `--out experimental-prometheus-rw`: k6's Prometheus remote-write output
// (internal/output/prometheusrw/remotewrite/remotewrite.go). Every push interval (5 s by default)
// the buffered samples are folded into the run's series (prometheus-rw-series.ts) and the series
// that moved on are POSTed as one snappy-compressed protobuf WriteRequest (5 s timeout; headers
// `Content-Encoding: snappy`, `Content-Type: application/x-protobuf`,
// `X-Prometheus-Remote-Write-Version: 0.1.0`, User-Agent `k6-prometheus-rw-output`; basic auth,
// bearer token and extra headers as configured). On stop: a last flush, then, with staleMarkers,
// every series once more with the stale NaN. A failing push is logged and the run goes on.
import { formatDuration } from '../../core/index.ts';
import type { PrometheusRwConfig } from './prometheus-rw-config.ts';
import { PrometheusSeriesStore, type PromSeries } from './prometheus-rw-series.ts';
import { remoteWriteBody } from './prometheus-rw-wire.ts';
import { OutputHttp } from './output-http.ts';
import { PeriodicFlusher, type OutputLog, type PointSample, type SampleOutput } from './sample-output.ts';

const FIELDS = { output: 'Prometheus remote write' } as const;
const OK_MSG = 'Successful flushed time series to remote write endpoint';

export class PrometheusRwOutput implements SampleOutput {
  readonly #config: PrometheusRwConfig;
  readonly #log: OutputLog;
  readonly #http: OutputHttp;
  readonly #store: PrometheusSeriesStore;
  #buffer: PointSample[] = [];
  #flusher: PeriodicFlusher | undefined;

  constructor(config: PrometheusRwConfig, log: OutputLog, tls: { cert?: Uint8Array; key?: Uint8Array }) {
    this.#config = config;
    this.#log = log;
    this.#http = new OutputHttp({
      insecure: config.insecureSkipTLSVerify,
      timeoutMs: 5000,
      tls: { minVersion: config.tlsMinVersion === '1.2' ? 'TLSv1.2' : 'TLSv1.3', ...tls },
    });
    this.#store = new PrometheusSeriesStore(config.trendStats);
  }

  get description(): string {
    return `Prometheus remote write (${this.#config.url})`;
  }

  async start(): Promise<void> {
    this.#flusher = new PeriodicFlusher(this.#config.pushIntervalMs, () => this.#flush());
    this.#log.write('debug', 'Output initialized', { ...FIELDS, flushtime: formatDuration(this.#config.pushIntervalMs) });
  }

  add(samples: readonly PointSample[]): void {
    for (const s of samples) this.#buffer.push(s);
  }

  async stop(): Promise<void> {
    await this.#flusher?.stop();
    try {
      if (!this.#config.staleMarkers) return;
      const markers = this.#store.staleMarkers(Date.now());
      if (markers.length === 0) return;
      try {
        await this.#send(markers);
      } catch (e) {
        this.#log.write('error', 'Stopping output failed', { ...FIELDS, error: `marking time series as stale failed: ${(e as Error).message}` });
      }
    } finally {
      await this.#http.close();
    }
  }

  async #flush(): Promise<void> {
    const started = Date.now();
    let nts = 0;
    try {
      const samples = this.#buffer;
      if (samples.length === 0) return;
      this.#buffer = [];
      const series = this.#store.add(samples);
      nts = series.length;
      try {
        await this.#send(series);
      } catch (e) {
        this.#log.write('error', 'Failed to send the time series data to the endpoint', { ...FIELDS, error: (e as Error).message });
      }
    } finally {
      const took = Date.now() - started;
      if (took > this.#config.pushIntervalMs) {
        this.#log.write('warn', `${OK_MSG} but it took ${formatDuration(took)} while flush period is ${formatDuration(this.#config.pushIntervalMs)}. Some samples may be dropped.`, { ...FIELDS, nts: String(nts) });
      }
    }
  }

  /** k6's WriteClient.Store. */
  async #send(series: readonly PromSeries[]): Promise<void> {
    const c = this.#config;
    let headers: Record<string, string> = {};
    if (c.username !== undefined) headers.authorization = `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;
    // k6 replaces the request's headers with the configured ones (the bearer token among them), so
    // configured headers drop the basic auth.
    const configured = lowerKeys(c.headers);
    if (c.bearerToken !== '') configured.authorization = `Bearer ${c.bearerToken}`;
    if (Object.keys(configured).length > 0) headers = configured;
    headers['user-agent'] = 'k6-prometheus-rw-output';
    headers['content-encoding'] = 'snappy';
    headers['content-type'] = 'application/x-protobuf';
    headers['x-prometheus-remote-write-version'] = '0.1.0';
    let status: number;
    try {
      status = (await this.#http.send('POST', c.url, headers, remoteWriteBody(series))).status;
    } catch (e) {
      throw new Error(`HTTP POST request failed: ${(e as Error).message}`);
    }
    if (status < 200 || status >= 300) throw new Error(`got status code: ${status} instead expected a 2xx successful status code`);
  }
}

function lowerKeys(h: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
}
