// `stampede version` and `stampede --version`: k6's version command (internal/cmd/version.go), hidden
// from the command list as k6's is. The text is k6's layout, `k6 v2.2.0 (go1.24.4, linux/amd64)`: the
// k6 version whose behaviour Stampede reproduces comes first, as a k6 build's does, because CI tools
// read it to pick their command lines (grafana/run-k6-action takes the first `vX.Y.Z` and runs the
// pre-0.54 forms `k6 cloud` and `k6 run --out=cloud` below 0.54), then Stampede's own version and the
// Node.js runtime, OS and architecture in place of Go's. `--json` prints the same facts as one JSON
// object with sorted keys, as Go encodes k6's map: `version` is the k6 version, as in k6's.
import type { Command } from 'commander';
import { K6_COMPAT_VERSION, STAMPEDE_VERSION } from '../engine/index.ts';
import { withExamples } from './help-examples.ts';

export interface VersionDetails {
  readonly node_arch: string;
  readonly node_os: string;
  readonly node_version: string;
  readonly stampede_version: string;
  readonly version: string;
}

export function versionDetails(): VersionDetails {
  return {
    node_arch: process.arch,
    node_os: process.platform,
    node_version: process.version,
    stampede_version: `v${STAMPEDE_VERSION}`,
    version: `v${K6_COMPAT_VERSION}`,
  };
}

/** `k6 v2.2.0 (stampede v0.1.0, node v20.11.1, linux/x64)`. */
export function versionText(d: VersionDetails = versionDetails()): string {
  return `k6 ${d.version} (stampede ${d.stampede_version}, node ${d.node_version}, ${d.node_os}/${d.node_arch})`;
}

export function registerVersionCommand(program: Command): void {
  const version = program
    .command('version', { hidden: true })
    .description('Show application version')
    .option('--json', 'if set, output version information will be in JSON format')
    .action((o: { json?: boolean }) => {
      process.stdout.write(o.json === true ? `${JSON.stringify(versionDetails())}\n` : `${versionText()}\n`);
    });
  withExamples(version, [
    ['Show the version', 'stampede version'],
    ['The same as JSON', 'stampede version --json'],
  ]);
}
