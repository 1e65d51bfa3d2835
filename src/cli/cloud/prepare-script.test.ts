import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isUstar, prepareScript } from './prepare-script.ts';
import { tempDirsRemovedAfterEach } from '../../../test/scripts/temp-dirs.ts';

const tempDir = tempDirsRemovedAfterEach();
const dir = (): Promise<string> => tempDir('stampede-prepare-');

describe('prepareScript (what `cloud run` uploads)', () => {
  it('uploads a self-contained script as it is', async () => {
    const d = await dir();
    const source = "export const options = { vus: 3, duration: '5s' };\nexport default function () {}\n";
    await writeFile(join(d, 'alone.js'), source);
    const p = await prepareScript(join(d, 'alone.js'));
    expect(p.isTar).toBe(false);
    expect(new TextDecoder().decode(p.upload)).toBe(source);
    expect(p.packed).toEqual([]);
    expect(p.options).toMatchObject({ vus: 3, duration: 5000 });
  });

  it('packs a script with a local import and an opened file into a k6 archive', async () => {
    const d = await dir();
    await mkdir(join(d, 'lib'));
    await writeFile(join(d, 'lib', 'h.js'), 'export const h = 1;\n');
    await writeFile(join(d, 'rows.csv'), 'a\n');
    await writeFile(join(d, 'main.js'), "import { h } from './lib/h.js';\nconst rows = open('./rows.csv');\nexport const options = { iterations: 2 };\nexport default function () { return h + rows; }\n");
    const p = await prepareScript(join(d, 'main.js'));
    expect(p.isTar).toBe(true);
    expect(isUstar(p.upload)).toBe(true);
    expect(p.packed).toEqual([join(d, 'lib', 'h.js'), join(d, 'rows.csv')]);
    expect(p.options).toMatchObject({ iterations: 2 });
  });

  it('uploads a given archive untouched', async () => {
    const d = await dir();
    await writeFile(join(d, 'main.js'), "const rows = open('./rows.csv');\nexport default function () { return rows; }\n");
    await writeFile(join(d, 'rows.csv'), 'a\n');
    const archive = await prepareScript(join(d, 'main.js'));
    await writeFile(join(d, 'made.tar'), archive.upload);
    const p = await prepareScript(join(d, 'made.tar'));
    expect(p).toMatchObject({ isTar: true, packed: [] });
    expect(Buffer.from(p.upload).equals(await readFile(join(d, 'made.tar')))).toBe(true);
  });
});
