// cobra finds k6's command by skipping the flags in front of it, and the command then parses them as
// its own: `k6 --env X=1 archive x.js` is `k6 archive --env X=1 x.js`. commander knows only the root's
// flags there, so the flags before a command's name are moved after it. As in cobra (stripFlags), a
// flag before the command takes the next argument as its value unless it is one of the root's boolean
// flags or has `=`.

/** The root's (global-flags.ts) flags that take no value. */
const ROOT_BOOLEANS: ReadonlySet<string> = new Set([
  '--no-color', '-v', '--verbose', '-q', '--quiet', '--profiling-enabled', '-V', '--version', '-h', '--help',
]);

/** Moves the flags before the command named in `args` (one of `commands`) after its name. */
export function commandFirst(args: readonly string[], commands: ReadonlySet<string>): string[] {
  let i = 0;
  while (i < args.length) {
    const arg = args[i] as string;
    if (arg === '--' || !arg.startsWith('-') || arg === '-') break;
    const takesValue = !arg.includes('=') && !ROOT_BOOLEANS.has(arg) && (arg.startsWith('--') || arg.length === 2);
    i += takesValue ? 2 : 1;
  }
  if (i === 0 || i >= args.length || !commands.has(args[i] as string)) return [...args];
  return [args[i] as string, ...args.slice(0, i), ...args.slice(i + 1)];
}
