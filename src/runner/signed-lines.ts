// Runner → orchestrator lines are signed. A script can reach its runner's real `process` (see
// docs/runner.md) and so write to stdout itself; without the key, which only the runner's own closure
// holds, what it writes is ignored. A line is `<hmac-sha256 hex> <json>`, the JSON carrying a sequence
// number that must grow, so a captured line cannot be replayed either.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { parseFromRunner } from './protocol.ts';
import type { FromRunner } from './protocol.ts';

// Bound now: a script can swap module properties later (even resync builtin ESM exports); these stay.
const hmacWith = createHmac;
const sameBytes = timingSafeEqual;

export const RUNNER_KEY_ENV = 'STAMPEDE_RUNNER_KEY';

export function newRunnerKey(): string {
  return randomBytes(32).toString('base64');
}

export function lineSigner(keyBase64: string): (message: FromRunner) => string {
  const key = Buffer.from(keyBase64, 'base64');
  let seq = 0;
  return (message) => {
    const json = JSON.stringify({ ...message, seq: ++seq });
    return `${hmacWith('sha256', key).update(json).digest('hex')} ${json}\n`;
  };
}

/** Checks one line; null for anything unsigned, badly signed, replayed or not a protocol message. */
export function lineVerifier(keyBase64: string): (line: string) => FromRunner | null {
  const key = Buffer.from(keyBase64, 'base64');
  let lastSeq = 0;
  return (line) => {
    const space = line.indexOf(' ');
    if (space !== 64) return null;
    const json = line.slice(space + 1);
    const expected = hmacWith('sha256', key).update(json).digest();
    const given = Buffer.from(line.slice(0, space), 'hex');
    if (given.length !== expected.length || !sameBytes(given, expected)) return null;
    const message = parseFromRunner(json);
    const seq = (message as { seq?: unknown } | null)?.seq;
    if (message === null || typeof seq !== 'number' || seq <= lastSeq) return null;
    lastSeq = seq;
    delete (message as { seq?: number }).seq;
    return message;
  };
}
