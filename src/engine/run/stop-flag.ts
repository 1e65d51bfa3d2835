// The cross-thread "stop everything now" flag: one Int32 slot in a SharedArrayBuffer. The main thread
// raises it; VUs read it from inside loops, where their worker cannot process messages.
import type { StopFlag } from '../vu/vu-services.ts';

export function newStopBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(4);
}

export function stopFlagOf(buffer: SharedArrayBuffer): StopFlag & { raise(): void } {
  const slot = new Int32Array(buffer);
  return {
    isRaised: () => Atomics.load(slot, 0) !== 0,
    raise: () => void Atomics.store(slot, 0, 1),
  };
}
