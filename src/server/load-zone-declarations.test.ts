import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../store/index.ts';
import { parseServerConfig } from './config.ts';
import { declareLoadZones, parseDeclaredLoadZones } from './load-zone-declarations.ts';

describe('STAMPEDE_LOAD_ZONES', () => {
  it('reads k6 ids with optional names, and none by default', () => {
    expect(parseServerConfig({}).loadZones).toEqual([]);
    expect(parseServerConfig({ STAMPEDE_LOAD_ZONES: ' amazon:de:frankfurt = Frankfurt runners ,dc:paris,' }).loadZones).toEqual([
      { k6LoadZoneId: 'amazon:de:frankfurt', name: 'Frankfurt runners' },
      { k6LoadZoneId: 'dc:paris', name: 'dc:paris' },
    ]);
  });

  it('reports every bad entry', () => {
    expect(parseDeclaredLoadZones('Paris,dc:berlin=,dc:rome,dc:rome', 'V').problems).toEqual([
      expect.stringMatching(/^V: k6_load_zone_id "Paris" is not a load zone id/),
      'V: the name of dc:berlin must be 1 to 255 characters',
      'V: dc:rome is declared twice',
    ]);
    expect(() => parseServerConfig({ STAMPEDE_LOAD_ZONES: 'a b' })).toThrow(/STAMPEDE_LOAD_ZONES: k6_load_zone_id "a b"/);
  });

  it('creates only the declared zones the store lacks, leaving the others as the admin API set them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stampede-declared-'));
    const store = await openStore({ dataDir: dir });
    try {
      const paris = await store.loadZones.create({ name: 'Paris (paused)', k6LoadZoneId: 'dc:paris', available: false, public: false, customLoadRunnerImage: null });
      const declared = [{ k6LoadZoneId: 'dc:paris', name: 'Paris' }, { k6LoadZoneId: 'dc:berlin', name: 'Berlin' }];
      const created = await declareLoadZones(store, declared);
      expect(created).toEqual([{ id: expect.any(Number), name: 'Berlin', k6LoadZoneId: 'dc:berlin', available: true, public: true, customLoadRunnerImage: null }]);
      expect(await declareLoadZones(store, declared)).toEqual([]);
      expect(await store.loadZones.get(paris.id)).toEqual(paris);
      expect((await store.loadZones.list()).map((z) => z.k6LoadZoneId)).toEqual(['amazon:us:ashburn', 'dc:paris', 'dc:berlin']);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
