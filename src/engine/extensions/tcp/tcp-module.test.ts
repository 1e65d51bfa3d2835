import { describe, expect, it } from 'vitest';
import { createFakeHost } from '../../http/fake-vu-host.test-helper.ts';
import { VuEventLoop } from '../../vu/vu-event-loop.ts';
import { createTcpModule } from './tcp-module.ts';

interface ScriptSocket {
  readonly ready_state: string;
  connect(...args: unknown[]): unknown;
  write(...args: unknown[]): unknown;
  destroy(): unknown;
  setTimeout(ms: unknown): unknown;
  on(event: string, handler: unknown): unknown;
}

function setup(phase: 'init' | 'vu' = 'vu'): { host: ReturnType<typeof createFakeHost>; loop: VuEventLoop; make: (o?: unknown) => ScriptSocket } {
  const host = createFakeHost();
  host.stateRef.phase = phase;
  const loop = new VuEventLoop();
  const { Socket } = createTcpModule(host, loop) as { Socket: new (o?: unknown) => ScriptSocket };
  return { host, loop, make: (o) => new Socket(o) };
}

describe('k6/x/tcp Socket', () => {
  it('needs new, and has the extension\'s methods and read-only state', () => {
    const host = createFakeHost();
    const { Socket } = createTcpModule(host, new VuEventLoop()) as { Socket: (o?: unknown) => unknown };
    expect(() => Socket()).toThrow(TypeError);
    const { make } = setup();
    const s = make({ tags: { a: 'b' } });
    expect(Object.keys(s).sort()).toEqual(['connect', 'destroy', 'on', 'setTimeout', 'write']);
    expect(s.ready_state).toBe('disconnected');
    expect(s.setTimeout(100)).toBe(s);
    expect(s.on('connect', () => undefined)).toBeUndefined();
  });

  it('warns on unknown events and on a replaced handler; a handler must be a function', () => {
    const { host, make } = setup();
    const s = make();
    s.on('end', () => undefined);
    s.on('data', () => undefined);
    s.on('data', () => undefined);
    expect(host.logs.map((l) => [l.level, l.msg, l.fields?.event])).toEqual([
      ['warn', 'Unknown event type', 'end'],
      ['warn', 'Event handler already registered, overriding', 'data'],
    ]);
    expect(() => s.on('data', 'nope')).toThrow(TypeError);
  });

  it('holds the VU\'s loop from construction until destroy(), which fires close once', async () => {
    const { loop, make } = setup();
    const s = make();
    let closes = 0;
    s.on('close', () => closes++);
    expect(loop.isIdle).toBe(false);
    s.destroy();
    s.destroy();
    await loop.idle();
    expect(closes).toBe(1);
    expect(s.ready_state).toBe('destroyed');
  });

  it('made in init, it holds nothing; connect() there rejects', async () => {
    const { loop, make } = setup('init');
    const s = make();
    expect(loop.isIdle).toBe(true);
    const err = await (s.connect(80, '127.0.0.1') as Promise<unknown>).catch((e: unknown) => e);
    expect(String(err)).toBe('TCP error during connect: using connect in the init context is not supported');
    expect(err).toMatchObject({ name: 'TCPError', method: 'connect' });
  });

  it('a socket still alive when its iteration ends is closed quietly and lets the loop go', async () => {
    const { host, loop, make } = setup();
    const s = make();
    let closes = 0;
    s.on('close', () => closes++);
    await host.endIteration();
    expect(loop.isIdle).toBe(true);
    expect(closes).toBe(0);
    expect(s.ready_state).toBe('destroyed');
  });
});
