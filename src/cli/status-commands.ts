// `stampede status`, `pause`, `resume` and `scale`: the REST API clients k6 v1 had (hidden commands;
// k6 v2 dropped them, grafana/k6#5653, Stampede keeps them). Each talks to the REST API of a
// `stampede run --address` (or a k6 run) — the -a/--address flag, else K6_ADDRESS, else localhost:6565
// as in k6 v1 — and prints the run's status (v1.Status) as gopkg.in/yaml.v3 marshals it: the
// execution status as its number, the null.* fields as their text, quoted. Errors exit 255.
import type { Command } from 'commander';
import { logLine } from '../engine/index.ts';
import { yamlString } from './metrics-yaml.ts';
import { getStatus, patchStatus, type ApiStatus, type StatusPatchRequest } from './rest-api-client.ts';

const DEFAULT_ADDRESS = 'localhost:6565';

/** yamlPrint(v1.Status): field order and quoting as yaml.v3 gives them. */
export function statusYaml(s: ApiStatus): string {
  const text = (v: boolean | number | null): string => yamlString(v === null ? '' : String(v));
  return [
    `status: ${s.status}`,
    `paused: ${text(s.paused)}`,
    `vus: ${text(s.vus)}`,
    `vus-max: ${text(s['vus-max'])}`,
    `stopped: ${s.stopped}`,
    `running: ${s.running}`,
    `tainted: ${s.tainted}`,
    '',
  ].join('\n');
}

interface AddressOptions {
  address?: string;
}

function addressOf(o: AddressOptions): string {
  return o.address ?? process.env.K6_ADDRESS ?? DEFAULT_ADDRESS;
}

async function report(request: () => Promise<ApiStatus>): Promise<number> {
  try {
    process.stdout.write(statusYaml(await request()));
    return 0;
  } catch (e) {
    process.stderr.write(logLine('error', (e as Error).message, process.stderr.isTTY === true));
    return 255;
  }
}

/** k6's getNullInt64 for -u/-m: a valid value only when the flag was given; k6 parses it as an int64. */
function intFlag(value: string | undefined, flag: string): number | undefined | Error {
  if (value === undefined) return undefined;
  if (!/^[+-]?\d+$/.test(value.trim())) return new Error(`invalid argument "${value}" for "${flag}" flag: strconv.ParseInt: parsing ${JSON.stringify(value)}: invalid syntax`);
  return Number(value);
}

export async function scaleCommand(o: AddressOptions & { vus?: string; max?: string }): Promise<number> {
  const vus = intFlag(o.vus, '-u, --vus');
  const max = intFlag(o.max, '-m, --max');
  const problem = vus instanceof Error ? vus : max instanceof Error ? max : undefined;
  if (problem !== undefined || (vus === undefined && max === undefined)) {
    const message = problem?.message ?? 'Specify either -u/--vus or -m/--max';
    process.stderr.write(logLine('error', message, process.stderr.isTTY === true));
    return 255;
  }
  const patch: StatusPatchRequest = {};
  if (typeof vus === 'number') patch.vus = vus;
  if (typeof max === 'number') patch.vusMax = max;
  return report(() => patchStatus(addressOf(o), patch));
}

// -a/--address is k6's global flag (global-flags.ts).
const USE_ADDRESS = '\nUse the global --address flag to specify the URL to the API server (also K6_ADDRESS; default localhost:6565).\n';

export function registerStatusCommands(program: Command): void {
  const simple: ReadonlyArray<readonly [string, string, (address: string) => Promise<ApiStatus>]> = [
    ['status', 'Show test status', (a) => getStatus(a)],
    ['pause', 'Pause a running test', (a) => patchStatus(a, { paused: true })],
    ['resume', 'Resume a paused test', (a) => patchStatus(a, { paused: false })],
  ];
  for (const [name, description, request] of simple) {
    program
      .command(name, { hidden: true })
      .description(`${description} (through the REST API of a running \`stampede run --address\`)`)
      .addHelpText('after', USE_ADDRESS)
      .action(async (_opts: unknown, cmd: Command) => {
        const address = addressOf(cmd.optsWithGlobals<AddressOptions>());
        process.exitCode = await report(() => request(address));
      });
  }
  program
    .command('scale', { hidden: true })
    .description('Scale a running test (through the REST API of a running `stampede run --address`)')
    .option('-u, --vus <n>', 'number of virtual users')
    .option('-m, --max <n>', 'max available virtual users')
    .addHelpText('after', USE_ADDRESS)
    .action(async (_opts: unknown, cmd: Command) => {
      process.exitCode = await scaleCommand(cmd.optsWithGlobals());
    });
}
