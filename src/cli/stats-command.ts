// `stampede stats`: k6's hidden `stats` command (internal/cmd/stats.go, api/v1/client): reads
// GET /v1/metrics from the REST API of a `stampede run --address` (or a k6 run) and prints the
// metrics as YAML. Without an address it fails as k6 does, exit code 255.
import type { Command } from 'commander';
import { logLine } from '../engine/index.ts';
import { metricsYaml, type YamlMetric } from './metrics-yaml.ts';
import { callRestApi } from './rest-api-client.ts';
import { withExamples } from './help-examples.ts';

const DISABLED = 'The REST API server is disabled, but this command needs to read metrics from it. Enable it by setting --address or K6_ADDRESS.';

interface MetricData {
  id?: string;
  attributes?: { type?: string | null; contains?: string | null; tainted?: boolean | null; sample?: Record<string, number> | null };
}

/** api/v1/client CallAPI + Metrics(): the metrics, or the error text k6 would log. */
export async function fetchMetrics(address: string): Promise<YamlMetric[]> {
  const res = await callRestApi('GET', address, '/v1/metrics');
  const body = JSON.parse(res.text) as { data?: MetricData[] | null; errors?: Array<{ title?: string; detail?: string }> };
  if (res.status >= 400) {
    const first = body.errors?.[0];
    throw new Error(`${first?.title ?? ''}: ${first?.detail ?? ''}`);
  }
  return (body.data ?? [])
    .map((d) => ({
      name: d.id ?? '',
      type: d.attributes?.type ?? null,
      contains: d.attributes?.contains ?? null,
      tainted: d.attributes?.tainted ?? null,
      sample: d.attributes?.sample ?? {},
    }))
    // k6 lists them in Go's map order (random); sorted by name here, so the output is stable.
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export async function statsCommand(address: string): Promise<number> {
  try {
    if (address === '') throw new Error(DISABLED);
    process.stdout.write(metricsYaml(await fetchMetrics(address)));
    return 0;
  } catch (e) {
    process.stderr.write(logLine('error', (e as Error).message, process.stderr.isTTY === true));
    return 255;
  }
}

export function registerStatsCommand(program: Command): void {
  const stats = program
    .command('stats', { hidden: true })
    .description("Show test metrics (from the REST API of a running `stampede run --address`)")
    // -a/--address is k6's global flag (global-flags.ts).
    .action(async (_opts: unknown, cmd: Command) => {
      const o = cmd.optsWithGlobals<{ address?: string }>();
      process.exitCode = await statsCommand(o.address ?? process.env.K6_ADDRESS ?? '');
    });
  withExamples(stats, [
    ['Show the metrics of a run started with --address localhost:6565.', 'stampede stats -a localhost:6565'],
  ]);
}
