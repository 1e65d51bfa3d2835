// Shared by the store's test files: a script body and "this call fails with that catalogue code".
import { expect } from 'vitest';
import { StampedeError, type ErrorCode } from '../core/index.ts';
import type { Script } from './store.ts';

export const js = (text: string): Script => ({ bytes: new TextEncoder().encode(text), contentType: 'text/javascript' });

export async function rejectsWith(promise: Promise<unknown>, code: ErrorCode): Promise<StampedeError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(StampedeError);
    expect((err as StampedeError).code).toBe(code);
    return err as StampedeError;
  }
  throw new Error(`expected ${code}`);
}
