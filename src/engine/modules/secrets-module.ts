// k6/secrets (k6 internal/js/modules/k6/secrets/secrets.go): a default export only, whose get(key)
// asks the default source and whose source(name) gives an object with get(key) for that source. get()
// returns a Promise settled from the VU's event loop (k6 resolves it through the loop, and the loop
// stays open until it is), rejected with k6's errors. k6 rejects with the Go error value itself, not a
// GoError: sobek wraps it as an object (not an Error) whose string form is the message and whose one
// method is error().
import type { VuEventLoop } from '../vu/vu-event-loop.ts';
import { DEFAULT_SECRET_SOURCE, type SecretStore } from './secret-store.ts';
import { goErrorValue } from '../vu/go-error-value.ts';

export interface SecretsRealm {
  readonly Promise: PromiseConstructor;
  object(entries?: Record<string, unknown>): Record<string, unknown>;
}

/** A Go string parameter: undefined and null become "" (sobek's conversion). */
function goString(v: unknown): string {
  return v === undefined || v === null ? '' : String(v);
}

export function createSecretsModule(store: SecretStore, loop: VuEventLoop, realm: SecretsRealm): Record<string, unknown> {
  const sourceObject = (sourceName: string): Record<string, unknown> => realm.object({
    get(key: unknown): Promise<string> {
      const name = goString(key);
      return new realm.Promise<string>((resolve, reject) => {
        loop.setTimer(() => {
          try {
            resolve(store.get(sourceName, name));
          } catch (e) {
            reject(goErrorValue(realm, (e as Error).message));
          }
        }, 0, false);
      });
    },
  });
  const secrets = sourceObject(DEFAULT_SECRET_SOURCE);
  secrets.source = (name: unknown): Record<string, unknown> => sourceObject(goString(name));
  return { default: secrets };
}
