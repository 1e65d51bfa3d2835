// A blocking call that fails after the VU waited (a file VU 0 reads asynchronously) rejects once the
// script's frames have left the stack, so its error would reach the log as its text alone; k6 logs
// it with the frames of the call. callSite() takes those frames while the call is on the stack.

/** The frames of the current call (those above `below`, when given); `attach(e)` gives them to `e`. */
export function callSite(below?: (...args: never[]) => unknown): (e: unknown) => unknown {
  const site: { stack?: string } = {};
  Error.captureStackTrace(site, below);
  return (e) => {
    const stack = site.stack;
    if (!(e instanceof Error) || stack === undefined) return e;
    const frames = stack.indexOf('\n');
    if (frames !== -1) e.stack = `${e.name}: ${e.message}${stack.slice(frames)}`;
    return e;
  };
}
