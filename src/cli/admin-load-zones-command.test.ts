// `stampede admin load-zones` against a real server on 127.0.0.1: what an operator types and reads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAdminCommand } from './admin-command.ts';
import { runCommand, startCliTestServer, type CliTestServer } from './cli-server.test-helper.ts';

let server: CliTestServer;

beforeAll(async () => {
  server = await startCliTestServer();
});
afterAll(async () => {
  await server.close();
});

const zones = (...args: string[]) => runCommand(registerAdminCommand, ['admin', '--url', server.url, '--token', server.token, 'load-zones', ...args]);

async function v6Zones(): Promise<{ k6_load_zone_id: string; name: string; available: boolean }[]> {
  const res = await fetch(`${server.url}/cloud/v6/load_zones`, { headers: { authorization: `Bearer ${server.token}`, 'x-stack-id': String(server.stackId) } });
  return ((await res.json()) as { value: { k6_load_zone_id: string; name: string; available: boolean }[] }).value;
}

describe('stampede admin load-zones', () => {
  it('lists the zones as an aligned table, or JSON', async () => {
    expect(await zones('list')).toBe(
      'ID  K6 LOAD ZONE ID    NAME                    AVAILABLE  PUBLIC  DEFAULT  IMAGE\n' +
      '1   amazon:us:ashburn  Stampede local runners  yes        yes     yes      -\n',
    );
    expect(JSON.parse(await zones('list', '--json'))).toEqual([{ id: 1, name: 'Stampede local runners', k6_load_zone_id: 'amazon:us:ashburn', available: true, public: true, custom_load_runner_image: null, default: true }]);
  });

  it('adds, updates and removes a zone, named by its id or its k6 id, as the v6 API then shows', async () => {
    const added = await zones('add', 'amazon:de:frankfurt', 'Frankfurt runners', '--private', '--image', 'grafana/k6:latest');
    expect(added).toMatch(/^ID\s+K6 LOAD ZONE ID\s+NAME\s+AVAILABLE\s+PUBLIC\s+DEFAULT\s+IMAGE\n2\s+amazon:de:frankfurt\s+Frankfurt runners\s+yes\s+no\s+grafana\/k6:latest\n$/);
    expect((await v6Zones()).map((z) => z.k6_load_zone_id)).toEqual(['amazon:us:ashburn', 'amazon:de:frankfurt']);

    const updated = JSON.parse(await zones('update', 'amazon:de:frankfurt', '--name', 'EU', '--unavailable', '--public', '--no-image', '--json'));
    expect(updated).toEqual({ id: 2, name: 'EU', k6_load_zone_id: 'amazon:de:frankfurt', available: false, public: true, custom_load_runner_image: null, default: false });
    expect((await v6Zones())[1]).toMatchObject({ name: 'EU', available: false });
    expect(JSON.parse(await zones('update', '2', '--k6-id', 'dc:paris', '--available', '--json'))).toMatchObject({ k6_load_zone_id: 'dc:paris', available: true });

    expect(await zones('remove', 'dc:paris')).toBe('load zone dc:paris removed\n');
    expect((await v6Zones()).map((z) => z.k6_load_zone_id)).toEqual(['amazon:us:ashburn']);
  });

  it('fails with the API’s reason', async () => {
    await expect(zones('add', 'Bad Zone', 'x')).rejects.toThrow(/400: k6_load_zone_id "Bad Zone" is not a load zone id/);
    await expect(zones('add', 'amazon:us:ashburn', 'again')).rejects.toThrow(/409: A load zone with k6_load_zone_id "amazon:us:ashburn" already exists/);
    await expect(zones('remove', '1')).rejects.toThrow(/409: Load zone amazon:us:ashburn is the installation's last load zone/);
    await expect(zones('remove', 'dc:nowhere')).rejects.toThrow(/no load zone "dc:nowhere"/);
    await expect(zones('update', '1')).rejects.toThrow(/nothing to change/);
    await expect(zones('update', '1', '--available', '--unavailable')).rejects.toThrow(/either --available or --unavailable/);
  });
});
