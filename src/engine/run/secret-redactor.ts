// k6's secrets log hook (secretsource/hook.go): once a script got a secret, that value is replaced by
// ***SECRET_REDACTED*** in every later log line, in the message and in field names and values.
// Blank values are never redacted. Like Go's strings.Replacer, at each position the earliest
// matching secret in the order they were revealed wins, and matches do not overlap.

export const REDACTED = '***SECRET_REDACTED***';

export class SecretRedactor {
  readonly #secrets: string[] = [];
  #pattern: RegExp | undefined;

  add(secret: string): void {
    if (secret.trim() === '' || this.#secrets.includes(secret)) return;
    this.#secrets.push(secret);
    this.#pattern = new RegExp(this.#secrets.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  }

  redact(text: string): string {
    return this.#pattern === undefined ? text : text.replace(this.#pattern, REDACTED);
  }

  /** A log line's fields with keys and values redacted (undefined stays undefined). */
  redactFields(fields: Readonly<Record<string, string>> | undefined): Readonly<Record<string, string>> | undefined {
    if (this.#pattern === undefined || fields === undefined) return fields;
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(fields)) out[this.redact(k)] = this.redact(v);
    return out;
  }
}
