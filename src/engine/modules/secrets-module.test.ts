import { describe, expect, it } from 'vitest';
import { ScriptRealm } from '../vu/script-realm.ts';
import { VuEventLoop } from '../vu/vu-event-loop.ts';
import { SecretStore } from './secret-store.ts';
import { createSecretsModule } from './secrets-module.ts';

interface Source { get(key: unknown): Promise<string> }
interface Secrets extends Source { source(name: unknown): Source }

function setup(table: Map<string, Map<string, string>>) {
  const realm = new ScriptRealm();
  const loop = new VuEventLoop();
  const revealed: string[] = [];
  const mod = createSecretsModule(new SecretStore(table, (v) => revealed.push(v)), loop, realm);
  return { realm, loop, revealed, secrets: mod.default as Secrets };
}

const mock = new Map([['secret', 'value']]);
const second = new Map([['secret2', 'value2']]);

describe('k6/secrets', () => {
  it('get() asks the default source; source(name).get() another; promises of the script realm settled from the VU loop', async () => {
    const { realm, loop, revealed, secrets } = setup(new Map([['default', mock], ['mock', mock], ['second', second]]));
    const p = secrets.get('secret');
    expect(p).toBeInstanceOf(realm.Promise);
    // The loop stays open until the promise is settled, as k6's RegisterCallback does.
    expect(loop.isIdle).toBe(false);
    await expect(p).resolves.toBe('value');
    await loop.idle();
    expect(await secrets.source('default').get('secret')).toBe('value');
    expect(await secrets.source('second').get('secret2')).toBe('value2');
    expect(revealed).toEqual(['value', 'value', 'value2']);
  });

  it('rejects with k6\'s messages, as a Go error value (not an Error): unknown key, unknown source, no sources', async () => {
    const { secrets, revealed } = setup(new Map([['default', mock]]));
    const unknownKey = await secrets.get('not_secret').catch((e: unknown) => e);
    expect(String(unknownKey)).toBe('no value');
    expect(unknownKey).not.toBeInstanceOf(Error);
    expect((unknownKey as { error(): string }).error()).toBe('no value');
    expect(String(await secrets.source('third').get('secret2').catch((e: unknown) => e))).toBe('no secret source with name "third" is configured');
    // source() of an unknown name is still an object; only get() fails.
    expect(secrets.source('second')).toBeDefined();
    expect(revealed).toEqual([]);
    const none = setup(new Map()).secrets;
    expect(String(await none.get('secret').catch((e: unknown) => e))).toBe('no secret sources are configured');
  });
});
