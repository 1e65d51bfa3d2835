import { describe, expect, it } from 'vitest';
import { pack } from 'tar-stream';
import { declaredDependencies, readArchiveMetadata } from './script-metadata.ts';

async function tarOf(files: Record<string, string>): Promise<Uint8Array> {
  const p = pack();
  for (const [name, body] of Object.entries(files)) p.entry({ name }, body);
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const c of p) chunks.push(c as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

describe('declared k6 dependencies', () => {
  it('reads "use k6" directives from the prologue', () => {
    const src = `// a load test\n"use k6 >= v0.52";\n'use k6 with k6/x/faker >= 0.4.0'\nimport http from 'k6/http';\n"use k6 with k6/x/late > 1";`;
    expect(declaredDependencies(src)).toEqual({ k6: '>= v0.52', 'k6/x/faker': '>= 0.4.0' });
  });

  it('is empty for a script without directives', () => {
    expect(declaredDependencies(`"use strict";\nexport default function () {}`)).toEqual({});
  });

  it('prefers archive metadata, falling back to the archived script, and keeps the recorded options', async () => {
    const withDeps = await tarOf({ 'metadata.json': JSON.stringify({ dependencies: { k6: '>=v1.0' }, options: { vus: 2, duration: '30s' } }), data: '' });
    expect(await readArchiveMetadata(withDeps)).toEqual({ dependencies: { k6: '>=v1.0' }, recorded: true, options: { vus: 2, duration: '30s' } });
    const withDirective = await tarOf({ 'metadata.json': '{}', data: '"use k6 with k6/x/sql > 1.0";' });
    expect(await readArchiveMetadata(withDirective)).toEqual({ dependencies: { 'k6/x/sql': '> 1.0' }, recorded: false, options: null });
  });
});
