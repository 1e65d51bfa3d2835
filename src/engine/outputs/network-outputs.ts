// The network outputs `--out` knows besides json and csv, by k6's names, and how each is made from
// its argument, the environment and the config file's `collectors.<name>` (k6 output.Params).
import { influxdbConfig } from './influxdb-config.ts';
import { InfluxdbOutput } from './influxdb-output.ts';
import type { OutputLog, SampleOutput } from './sample-output.ts';

export const NETWORK_OUTPUTS = ['influxdb', 'statsd', 'datadog', 'kafka'] as const;
export type NetworkOutputKind = (typeof NETWORK_OUTPUTS)[number];

export function isNetworkOutput(kind: string): kind is NetworkOutputKind {
  return (NETWORK_OUTPUTS as readonly string[]).includes(kind);
}

/** One `--out kind[=arg]`. */
export interface NetworkOutputSpec {
  readonly kind: NetworkOutputKind;
  readonly arg: string;
}

/** Makes the output; throws k6's constructor error text (the caller adds "could not create the '…' output: "). */
export function createNetworkOutput(spec: NetworkOutputSpec, env: Readonly<Record<string, string>>, json: unknown, log: OutputLog): SampleOutput {
  switch (spec.kind) {
    case 'influxdb':
      return new InfluxdbOutput(influxdbConfig(spec.arg, env, json), log);
    // Outputs k6 removed: its constructors fail with these texts.
    case 'statsd':
      throw new Error('the statsd output was deprecated in k6 v0.47.0 and removed in k6 v0.55.0, please use the new xk6 statsd output extension instead. It can be found at https://github.com/LeonAdato/xk6-output-statsd and more info at https://github.com/grafana/k6/issues/2982');
    case 'datadog':
      throw new Error('the datadog output was deprecated in k6 v0.32.0 and removed in k6 v0.34.0, please use the statsd output extension https://github.com/LeonAdato/xk6-output-statsd with environment variable K6_STATSD_ENABLE_TAGS=true or an experimental opentelemetry output instead');
    case 'kafka':
      throw new Error('the kafka output was deprecated in k6 v0.32.0 and removed in k6 v0.34.0, please use the new xk6 kafka output extension instead - https://github.com/k6io/xk6-output-kafka');
  }
}
