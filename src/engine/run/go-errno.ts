// The end of a Go *PathError's text for a Node fs error, as k6's messages print it.

/** "no such file or directory", "permission denied", "is a directory", else Node's own message. */
export function goErrnoText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return (e as Error).message;
}
