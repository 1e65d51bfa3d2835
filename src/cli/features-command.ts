// `stampede features`: k6's `features` command (internal/cmd/features.go), the feature flags `--features`
// and K6_FEATURES accept, as a table (Go's tabwriter, three spaces between columns) or JSON.
import type { Command } from 'commander';
import { FEATURES } from '../engine/index.ts';
import { withExamples } from './help-examples.ts';

const LIFECYCLE_NAMES: Readonly<Record<string, string>> = { experimental: 'Experimental', ga: 'GA', deprecated: 'Deprecated' };

export function featuresText(json: boolean): string {
  const rows = FEATURES.map((f) => ({ feature: f.name, lifecycle: LIFECYCLE_NAMES[f.lifecycle] ?? 'Unknown', description: f.description }));
  if (json) return `${JSON.stringify(rows, null, 2)}\n`;
  const table = [['FEATURE', 'LIFECYCLE', 'DESCRIPTION'], ...rows.map((r) => [r.feature, r.lifecycle, r.description])];
  const width = (i: number): number => Math.max(...table.map((r) => (r[i] ?? '').length)) + 3;
  return table.map((r) => `${(r[0] ?? '').padEnd(width(0))}${(r[1] ?? '').padEnd(width(1))}${r[2] ?? ''}\n`).join('');
}

export function registerFeaturesCommand(program: Command): void {
  const features = program
    .command('features')
    .description('List available feature flags (for run --features and K6_FEATURES)')
    .option('--json', 'output in JSON format')
    .action((o: { json?: boolean }) => void process.stdout.write(featuresText(o.json === true)));
  withExamples(features, [
    ['List the feature flags.', 'stampede features'],
    ['Run with one of them.', 'stampede run --features merge-run-tags --tag env=prod script.js'],
  ]);
}
