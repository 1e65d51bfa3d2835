// The secrets `k6/secrets` reads (k6 secretsource/manager.go): secret sources by name, each a table
// of key → value, with the source named "default" being the one `secrets.get()` asks. Sources are read
// once at load (secret-source-flags.ts), so a table crosses to worker threads as plain Maps.
import { goError } from '../vu/go-error.ts';

/** Source name → its secrets. The default source appears a second time under "default". */
export type SecretTable = ReadonlyMap<string, ReadonlyMap<string, string>>;

export const DEFAULT_SECRET_SOURCE = 'default';

export class SecretStore {
  readonly #table: SecretTable;
  readonly #revealed: (value: string) => void;

  /** `revealed` hears every value handed to a script, before the script gets it (log redaction). */
  constructor(table: SecretTable, revealed: (value: string) => void) {
    this.#table = table;
    this.#revealed = revealed;
  }

  /** k6's Manager.Get: its errors as GoErrors. */
  get(sourceName: string, key: string): string {
    if (this.#table.size === 0) throw goError('no secret sources are configured');
    const source = this.#table.get(sourceName);
    if (source === undefined) throw goError(`no secret source with name ${JSON.stringify(sourceName)} is configured`);
    const value = source.get(key);
    // Both built-in sources k6 has for files and the command line (file, mock) answer "no value".
    if (value === undefined) throw goError('no value');
    this.#revealed(value);
    return value;
  }
}
