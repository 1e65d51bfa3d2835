// The errors of k6's open() (internal/js/initcontext.go openImpl/readFile), thrown as GoErrors as in
// k6. Each keeps the Node error code (`code`) so k6/experimental/fs can give its own error kinds.
import { goError } from './go-error.ts';

export type OpenErrorCode = 'ENOENT' | 'EISDIR' | 'NOT_OPENED' | 'OTHER';

/** Why VU 0 could not open a path (what later VUs are told again). */
export type FailedOpen = 'ENOENT' | 'EISDIR';

export function openReadError(path: string, cause: unknown): Error & { code: OpenErrorCode } {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return withCode(goError(`open ${path}: no such file or directory`), 'ENOENT');
  if (code === 'EISDIR') return withCode(goError(`open() can't be used with directories, path: ${JSON.stringify(path)}`), 'EISDIR');
  if (code === 'EACCES' || code === 'EPERM') return withCode(goError(`open ${path}: permission denied`), 'OTHER');
  return withCode(goError(`open ${path}: ${(cause as Error | undefined)?.message ?? String(cause)}`), 'OTHER');
}

/** A file a VU other than the first opens without the first having opened it (k6 allowOnlyOpenedFiles). */
export function notOpenedError(path: string): Error & { code: OpenErrorCode } {
  return withCode(
    goError(`open() can't be used with files that weren't previously opened during initialization (__VU==0), path: ${JSON.stringify(path)}`),
    'NOT_OPENED',
  );
}

function withCode(e: Error, code: OpenErrorCode): Error & { code: OpenErrorCode } {
  return Object.assign(e, { code });
}
