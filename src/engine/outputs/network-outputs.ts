// The network outputs `--out` knows besides json and csv, by k6's names, and how each is made from
// its argument, the environment and the config file's `collectors.<name>` (k6 output.Params).
import * as path from 'node:path';
import type { OtelTls } from './otel-output.ts';
import type { OutputLog, SampleOutput } from './sample-output.ts';

export const NETWORK_OUTPUTS = ['influxdb', 'xk6-influxdb', 'experimental-prometheus-rw', 'opentelemetry', 'experimental-opentelemetry', 'statsd', 'datadog', 'kafka'] as const;
export type NetworkOutputKind = (typeof NETWORK_OUTPUTS)[number];

/** What an unknown `--out` kind is told. */
export const OUTPUTS_AVAILABLE = 'available outputs are json=FILE, csv=FILE, web-dashboard, influxdb=URL, xk6-influxdb=URL, experimental-prometheus-rw and opentelemetry';

export function isNetworkOutput(kind: string): kind is NetworkOutputKind {
  return (NETWORK_OUTPUTS as readonly string[]).includes(kind);
}

/** One `--out kind[=arg]`. */
export interface NetworkOutputSpec {
  readonly kind: NetworkOutputKind;
  readonly arg: string;
}

/** What an output is made with (k6's output.Params). */
export interface NetworkOutputContext {
  readonly env: Readonly<Record<string, string>>;
  /** The config file's `collectors.<kind>`. */
  readonly json: unknown;
  readonly log: OutputLog;
  readonly cwd: string;
  readonly readFile: (path: string) => Promise<Uint8Array>;
  /** The active feature flags (native-histograms). */
  readonly features: readonly string[];
}

/**
 * Makes the output; throws k6's constructor error text (the caller adds "could not create the '…' output: ").
 * Each output's code is loaded only when a run asks for it.
 */
export async function createNetworkOutput(spec: NetworkOutputSpec, ctx: NetworkOutputContext): Promise<SampleOutput> {
  switch (spec.kind) {
    case 'influxdb': {
      const [{ influxdbConfig }, { InfluxdbOutput }] = await Promise.all([import('./influxdb-config.ts'), import('./influxdb-output.ts')]);
      return new InfluxdbOutput(influxdbConfig(spec.arg, ctx.env, ctx.json), ctx.log);
    }
    case 'xk6-influxdb': {
      const [{ influxdb2Config }, { Influxdb2Output }] = await Promise.all([import('./influxdb2-config.ts'), import('./influxdb2-output.ts')]);
      return new Influxdb2Output(influxdb2Config(spec.arg, ctx.env, ctx.json), ctx.log);
    }
    case 'experimental-prometheus-rw': {
      const [{ prometheusRwConfig }, { PrometheusRwOutput }] = await Promise.all([import('./prometheus-rw-config.ts'), import('./prometheus-rw-output.ts')]);
      const config = prometheusRwConfig(ctx.env, ctx.json, ctx.features.includes('native-histograms'));
      const tls: { cert?: Uint8Array; key?: Uint8Array } = {};
      if (config.clientCertificate !== undefined && config.clientCertificateKey !== undefined) {
        tls.cert = await readTlsFile(ctx, config.clientCertificate);
        tls.key = await readTlsFile(ctx, config.clientCertificateKey);
      }
      return new PrometheusRwOutput(config, ctx.log, tls);
    }
    case 'experimental-opentelemetry':
      ctx.log.write('warn', 'OpenTelemetry output has been graduated as a stable output.You can now use just "opentelemetry" instead of "experimental-opentelemetry". The experimental version will be removed in future versions.');
      return openTelemetry(ctx);
    case 'opentelemetry':
      return openTelemetry(ctx);
    // Outputs k6 removed: its constructors fail with these texts.
    case 'statsd':
      throw new Error('the statsd output was deprecated in k6 v0.47.0 and removed in k6 v0.55.0, please use the new xk6 statsd output extension instead. It can be found at https://github.com/LeonAdato/xk6-output-statsd and more info at https://github.com/grafana/k6/issues/2982');
    case 'datadog':
      throw new Error('the datadog output was deprecated in k6 v0.32.0 and removed in k6 v0.34.0, please use the statsd output extension https://github.com/LeonAdato/xk6-output-statsd with environment variable K6_STATSD_ENABLE_TAGS=true or an experimental opentelemetry output instead');
    case 'kafka':
      throw new Error('the kafka output was deprecated in k6 v0.32.0 and removed in k6 v0.34.0, please use the new xk6 kafka output extension instead - https://github.com/k6io/xk6-output-kafka');
  }
}

/** k6's opentelemetry New (config) and Start (its TLS files and exporter), both before the run here. */
async function openTelemetry(ctx: NetworkOutputContext): Promise<SampleOutput> {
  const { otelConfig, otelDescription } = await import('./otel-config.ts');
  const c = otelConfig(ctx.env, ctx.json);
  let tls: OtelTls | undefined;
  if (c.tlsInsecureSkipVerify !== undefined || c.tlsCertificate !== undefined || c.tlsClientCertificate !== undefined) {
    const files: { ca?: Uint8Array; cert?: Uint8Array; key?: Uint8Array } = {};
    const read = async (file: string, fail: (reason: string) => string): Promise<Uint8Array> => {
      try {
        return await ctx.readFile(path.resolve(ctx.cwd, file));
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new Error(`failed to create OpenTelemetry exporter: ${fail(`open ${file}: ${code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`)}`);
      }
    };
    if (c.tlsCertificate !== undefined) {
      const file = c.tlsCertificate;
      files.ca = await read(file, (r) => `failed to read root certificate from ${JSON.stringify(file)}: ${r}`);
    }
    if (c.tlsClientCertificate !== undefined) {
      files.cert = await read(c.tlsClientCertificate, (r) => `failed to load client certificate: ${r}`);
      files.key = await read(c.tlsClientKey ?? '', (r) => `failed to load client certificate: ${r}`);
    }
    tls = files;
  }
  const { OtelOutput } = await import('./otel-output.ts');
  return new OtelOutput(c, otelDescription(c), ctx.env, ctx.log, tls);
}

async function readTlsFile(ctx: NetworkOutputContext, file: string): Promise<Uint8Array> {
  try {
    return await ctx.readFile(path.resolve(ctx.cwd, file));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(`failed to load the TLS certificate: open ${file}: ${code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`);
  }
}
