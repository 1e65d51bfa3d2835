// Identifiers and secrets. Tokens are random and only their SHA-256 hash is ever stored.
import { createHash, randomBytes, randomUUID } from 'node:crypto';

export function newId(): string {
  return randomUUID();
}

/** A new API token secret: a recognisable prefix plus 32 random bytes, URL-safe. */
export function newToken(prefix = 'stp'): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
