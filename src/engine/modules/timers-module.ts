// k6/timers (also the global setTimeout & co.): timers live on the VU's event loop, so an iteration
// waits for them, and they never fire while the VU is inside a blocking call.
import type { VuEventLoop } from '../vu/vu-event-loop.ts';
import { goError } from '../vu/go-error.ts';

export function createTimersModule(loop: VuEventLoop): Record<string, unknown> {
  const schedule = (repeat: boolean) => (callback: unknown, delay?: unknown, ...args: unknown[]): number => {
    if (typeof callback !== 'function') {
      const name = repeat ? 'setInterval' : 'setTimeout';
      // k6 (tc55/timers): a missing callback is a Go nil, refused with a GoError; other values fail
      // sobek's conversion to a function, a TypeError.
      if (callback === undefined || callback === null) throw goError(`${name}'s callback isn't a callable function`);
      throw new TypeError(`${name}'s callback must be a function`);
    }
    const ms = Number(delay ?? 0);
    return loop.setTimer(() => (callback as (...a: unknown[]) => unknown)(...args), Number.isNaN(ms) ? 0 : ms, repeat, repeat ? 'setInterval' : 'setTimeout');
  };
  const mod = {
    setTimeout: schedule(false),
    setInterval: schedule(true),
    clearTimeout: (id: unknown): void => loop.clearTimer(id),
    clearInterval: (id: unknown): void => loop.clearTimer(id),
  };
  return { ...mod, default: mod };
}
