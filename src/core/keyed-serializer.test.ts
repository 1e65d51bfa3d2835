import { describe, expect, it } from 'vitest';
import { KeyedSerializer } from './keyed-serializer.ts';

const tick = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('KeyedSerializer', () => {
  it('runs the tasks of one key one after another, in order, and those of other keys alongside', async () => {
    const s = new KeyedSerializer<number>();
    const events: string[] = [];
    const task = (name: string, ms: number) => async (): Promise<string> => {
      events.push(`start ${name}`);
      await tick(ms);
      events.push(`end ${name}`);
      return name;
    };
    const results = await Promise.all([s.run(1, task('a1', 30)), s.run(1, task('a2', 1)), s.run(2, task('b1', 5))]);
    expect(results).toEqual(['a1', 'a2', 'b1']);
    // a2 waits for a1 although it is quicker; b1 does not wait for either.
    expect(events).toEqual(['start a1', 'start b1', 'end b1', 'end a1', 'start a2', 'end a2']);
  });

  it('a failed task rejects its own caller only; the next one still runs, and no key is left behind', async () => {
    const s = new KeyedSerializer<string>();
    const failed = s.run('k', () => Promise.reject(new Error('boom')));
    const next = s.run('k', () => Promise.resolve('after'));
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('after');
    await tick(0);
    expect(s.size).toBe(0);
  });
});
