// Script bodies are stored once per content (SHA-256 of type + bytes): a run's snapshot and its load
// test usually share the row, and a later script change writes a new row, leaving the snapshot intact.
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import type { Script, ScriptContentType } from './store.ts';

export function scriptHash(script: Script): string {
  return createHash('sha256').update(script.contentType).update('\0').update(script.bytes).digest('hex');
}

export async function putScript(db: Kysely<Database>, script: Script): Promise<string> {
  const hash = scriptHash(script);
  await db
    .insertInto('scripts')
    .values({ hash, bytes: Buffer.from(script.bytes.buffer, script.bytes.byteOffset, script.bytes.byteLength), content_type: script.contentType })
    .onConflict((oc) => oc.column('hash').doNothing())
    .execute();
  return hash;
}

export async function getScriptByHash(db: Kysely<Database>, hash: string | null): Promise<Script | null> {
  if (hash === null) return null;
  const row = await db.selectFrom('scripts').select(['bytes', 'content_type']).where('hash', '=', hash).executeTakeFirst();
  if (row === undefined) return null;
  const bytes = row.bytes;
  return { bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), contentType: row.content_type as ScriptContentType };
}
