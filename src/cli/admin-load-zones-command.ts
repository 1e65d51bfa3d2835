// `stampede admin load-zones list|add|update|remove`: the installation's load zones through the admin
// API. A zone is named by its id or its k6 load zone id; answers print as an aligned table, or JSON
// with --json.
import type { Command } from 'commander';
import { renderTable } from './cloud/table.ts';

export type AdminRequest = (method: string, path: string, body?: unknown) => Promise<{ status: number; statusText: string; text: string }>;

interface AdminZone {
  id: number;
  name: string;
  k6_load_zone_id: string;
  available: boolean;
  public: boolean;
  custom_load_runner_image: string | null;
  default: boolean;
}

interface UpdateFlags {
  name?: string;
  k6Id?: string;
  available?: boolean;
  unavailable?: boolean;
  public?: boolean;
  private?: boolean;
  /** A reference, or false for --no-image. */
  image?: string | false;
  json?: boolean;
}

const HEADERS = ['ID', 'K6 LOAD ZONE ID', 'NAME', 'AVAILABLE', 'PUBLIC', 'DEFAULT', 'IMAGE'];
const yes = (b: boolean) => (b ? 'yes' : 'no');

function print(zones: AdminZone[], json: boolean, one: boolean): void {
  if (json) {
    process.stdout.write(JSON.stringify(one ? zones[0] : zones, null, 2) + '\n');
    return;
  }
  process.stdout.write(renderTable(HEADERS, zones.map((z) => [z.id, z.k6_load_zone_id, z.name, yes(z.available), yes(z.public), z.default ? 'yes' : '', z.custom_load_runner_image])));
}

/** One of two opposite flags (--x / --no-x style pairs that commander cannot express as one), or undefined. */
function either(on: boolean | undefined, off: boolean | undefined, names: [string, string]): boolean | undefined {
  if (on === true && off === true) throw new Error(`give either --${names[0]} or --${names[1]}, not both`);
  return on === true ? true : off === true ? false : undefined;
}

export function registerLoadZonesCommand(admin: Command, request: AdminRequest): void {
  const json = async <T>(method: string, path: string, body?: unknown): Promise<T> => JSON.parse((await request(method, path, body)).text) as T;
  const list = async () => (await json<{ value: AdminZone[] }>('GET', '/load_zones')).value;
  /** The zone's id, from its id or its k6 load zone id. */
  const resolve = async (zone: string): Promise<number> => {
    if (/^\d+$/.test(zone)) return Number(zone);
    const match = (await list()).find((z) => z.k6_load_zone_id === zone);
    if (match === undefined) throw new Error(`no load zone ${JSON.stringify(zone)}; see \`stampede admin load-zones list\``);
    return match.id;
  };

  const zones = admin.command('load-zones').description('Manage the load zones runs can be distributed over (options.cloud.distribution)');
  zones
    .command('list')
    .description('List the load zones; the default one carries runs without a distribution')
    .option('--json', 'JSON output')
    .action(async (o: { json?: boolean }) => print(await list(), o.json === true, false));
  zones
    .command('add <k6LoadZoneId> <name>')
    .description('Add a load zone, e.g. `add amazon:de:frankfurt "Frankfurt runners"`')
    .option('--unavailable', 'listed, but runs cannot use it yet')
    .option('--private', 'a private zone (public: false)')
    .option('--image <ref>', 'custom load runner image (private zones only; recorded, Stampede runs local runner processes)')
    .option('--json', 'JSON output')
    .action(async (k6Id: string, name: string, o: { unavailable?: boolean; private?: boolean; image?: string; json?: boolean }) => {
      const body = { k6_load_zone_id: k6Id, name, available: o.unavailable !== true, public: o.private !== true, ...(o.image !== undefined && { custom_load_runner_image: o.image }) };
      print([await json<AdminZone>('POST', '/load_zones', body)], o.json === true, true);
    });
  zones
    .command('update <zone>')
    .description('Change a load zone (by id or k6 load zone id)')
    .option('--name <name>', 'new display name')
    .option('--k6-id <id>', 'new k6 load zone id, as scripts name it')
    .option('--available', 'runs may use it')
    .option('--unavailable', 'runs may not use it (it stays listed)')
    .option('--public', 'a public zone')
    .option('--private', 'a private zone')
    .option('--image <ref>', 'custom load runner image (private zones only)')
    .option('--no-image', 'remove the custom load runner image')
    .option('--json', 'JSON output')
    .action(async (zone: string, o: UpdateFlags) => {
      const available = either(o.available, o.unavailable, ['available', 'unavailable']);
      const isPublic = either(o.public, o.private, ['public', 'private']);
      const body = {
        ...(o.name !== undefined && { name: o.name }),
        ...(o.k6Id !== undefined && { k6_load_zone_id: o.k6Id }),
        ...(available !== undefined && { available }),
        ...(isPublic !== undefined && { public: isPublic }),
        ...(o.image !== undefined && { custom_load_runner_image: o.image === false ? null : o.image }),
      };
      if (Object.keys(body).length === 0) throw new Error('nothing to change: give --name, --k6-id, --available/--unavailable, --public/--private or --image/--no-image');
      print([await json<AdminZone>('PATCH', `/load_zones/${await resolve(zone)}`, body)], o.json === true, true);
    });
  zones
    .command('remove <zone>')
    .description('Remove a load zone (by id or k6 load zone id); refused for the default zone and while unfinished runs need it')
    .action(async (zone: string) => {
      const id = await resolve(zone);
      await request('DELETE', `/load_zones/${id}`);
      process.stdout.write(`load zone ${zone} removed\n`);
    });
}
