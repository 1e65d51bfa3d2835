import { describe, expect, it } from 'vitest';
import { pause, watchSignal } from './signal-watch.ts';

describe('watching a shared abort signal', () => {
  it('notifies every current watcher once, not the ones that stopped watching', () => {
    const ac = new AbortController();
    const calls: string[] = [];
    watchSignal(ac.signal, () => calls.push('a'));
    const stop = watchSignal(ac.signal, () => calls.push('b'));
    stop();
    ac.abort();
    ac.abort();
    expect(calls).toEqual(['a']);
    watchSignal(ac.signal, () => calls.push('late'));
    expect(calls).toEqual(['a', 'late']);
  });

  it('pause ends early when the signal aborts', async () => {
    const ac = new AbortController();
    const started = Date.now();
    setTimeout(() => ac.abort(), 10);
    await pause(10_000, ac.signal);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
