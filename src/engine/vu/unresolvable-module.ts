// The error k6's loader gives a require() of a name it cannot resolve (vu.ts `require`).
/**
 * k6's loader error (internal/loader/loader.go Resolve) for a name that is no k6 module, path or URL,
 * as `require('crypto')` meets it: a bare name k6 cannot resolve (the bundle keeps such a require for
 * the run, as k6 resolves a require only when it is called).
 */
export function unresolvableName(name: string): string | undefined {
  // js/modules/require_impl.go
  if (name === '') return "require() can't be used with an empty specifier";
  if (name === 'k6' || name.startsWith('k6/') || name.startsWith('.') || name.startsWith('/') || name.includes('://')) return undefined;
  if (name.startsWith('cdnjs.com')) {
    return "cdnjs.com 'special' urls are no longer supported - please use real ones. "
      + 'You can get yours by going to cdnjs and copy-pasting the full url to the actual JavaScript file';
  }
  if (name.startsWith('github.com')) {
    return "github.com 'special' urls are no longer supported - please use real ones. "
      + 'You can get yours by going to github and copy-pasting the full url to the actual raw JavaScript file';
  }
  return `The moduleSpecifier ${JSON.stringify(name)} couldn't be recognised as something k6 supports.`;
}
