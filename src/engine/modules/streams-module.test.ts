import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { ScriptRealm } from '../vu/script-realm.ts';
import { createStreamsModule } from './streams-module.ts';

/** Runs `body` (an async function body) in a script realm with the module's exports in scope. */
async function inRealm(body: string): Promise<unknown> {
  const realm = new ScriptRealm();
  const mod = createStreamsModule(realm.context);
  const fn = vm.runInContext(`(async ({ ReadableStream, ReadableStreamDefaultReader, CountQueuingStrategy, WritableStream, WritableStreamDefaultWriter }) => { ${body} })`, realm.context) as (m: unknown) => Promise<unknown>;
  return fn(mod);
}

describe('k6/experimental/streams: ReadableStream', () => {
  it('pulls up to the high-water mark, reads in order, then done; everything is of the script realm', async () => {
    const out = await inRealm(`
      const log = [];
      let n = 0;
      const stream = new ReadableStream({
        pull(controller) { log.push('pull ' + controller.desiredSize); n++; controller.enqueue(n); if (n === 3) controller.close(); },
      }, { highWaterMark: 2 });
      for (let i = 0; i < 10; i++) await null; // the queue fills up to the high-water mark before anyone reads
      const filled = log.slice();
      const reader = stream.getReader();
      const p = reader.read();
      const first = await p;
      const rest = [await reader.read(), await reader.read(), await reader.read(), await reader.read()];
      await reader.closed;
      return {
        filled, log, first, rest: rest.map((r) => r.done ? 'done' : r.value),
        realmPromise: p instanceof Promise, plainResult: Object.getPrototypeOf(first) === Object.prototype,
        instance: stream instanceof ReadableStream, locked: stream.locked,
      };`);
    expect(out).toEqual({
      filled: ['pull 2', 'pull 1'], log: ['pull 2', 'pull 1', 'pull 1'], first: { value: 1, done: false }, rest: [2, 3, 'done', 'done'],
      realmPromise: true, plainResult: true, instance: true, locked: true,
    });
  });

  it('start() may enqueue later; reads wait for it', async () => {
    const out = await inRealm(`
      const stream = new ReadableStream({ start(c) { setTimeout(() => { c.enqueue('a'); c.close(); }, 5); } });
      const reader = new ReadableStreamDefaultReader(stream);
      return [await reader.read(), await reader.read()];`.replace('setTimeout(', '((f) => Promise.resolve().then(f))('));
    expect(out).toEqual([{ value: 'a', done: false }, { value: undefined, done: true }]);
  });

  it('k6\'s errors: unsupported features as GoErrors, misuse as TypeErrors and RangeErrors of the script realm', async () => {
    const out = await inRealm(`
      const caught = (f) => { try { f(); return 'no error'; } catch (e) { return (e instanceof TypeError ? 'TypeError' : e instanceof RangeError ? 'RangeError' : e.name) + ': ' + e.message; } };
      const s = new ReadableStream();
      s.getReader();
      const locked = await s.cancel('x').catch((e) => e.message);
      return [
        caught(() => new ReadableStream({ type: 'bytes' })),
        caught(() => new ReadableStream({ type: 'other' })),
        caught(() => new ReadableStream(5)),
        caught(() => new ReadableStream({}, { highWaterMark: -1 })),
        caught(() => new ReadableStream({}, { size: 3 })),
        caught(() => new ReadableStream({ pull: 1 })),
        caught(() => new ReadableStream().tee()),
        caught(() => new ReadableStream().getReader({ mode: 'byob' })),
        caught(() => new ReadableStream().getReader({ mode: 'x' })),
        caught(() => s.getReader()),
        caught(() => new ReadableStreamDefaultReader({})),
        caught(() => new ReadableStream({ start(c) { c.close(); c.enqueue(1); } })),
        locked,
      ];`);
    expect(out).toEqual([
      "GoError: NotSupportedError:'bytes' stream is not supported yet",
      'TypeError: invalid underlying source type',
      'TypeError: underlyingSource must be an object',
      'RangeError: highWaterMark must be a non-negative number',
      'TypeError: size must be a function',
      'TypeError: underlyingSource.[[pull]] must be a function',
      "GoError: NotSupportedError:'tee()' is not supported yet",
      "GoError: NotSupportedError:'byob' mode is not supported yet",
      "TypeError: options.mode is not 'byob'",
      'TypeError: stream is locked',
      'TypeError: ReadableStreamDefaultReader argument must be a ReadableStream',
      'TypeError: cannot close or enqueue',
      'cannot cancel a locked stream',
    ]);
  });

  it('controller.error() rejects reads; releaseLock() rejects pending ones; cancel() reaches the source', async () => {
    const out = await inRealm(`
      let ctl;
      const errored = new ReadableStream({ start(c) { ctl = c; } });
      const r1 = errored.getReader();
      const pending = r1.read();
      ctl.error(new Error('boom'));
      const e1 = await pending.catch((e) => e.message);
      const closedErr = await r1.closed.catch((e) => e.message);
      const idle = new ReadableStream();
      const r2 = idle.getReader();
      const waiting = r2.read();
      r2.releaseLock();
      const e2 = await waiting.catch((e) => e.message);
      const reasons = [];
      const cancellable = new ReadableStream({ cancel(reason) { reasons.push(reason); } });
      await cancellable.getReader().cancel('no more');
      return { e1, closedErr, e2, unlocked: idle.locked, reasons };`);
    expect(out).toEqual({ e1: 'boom', closedErr: 'boom', e2: 'reader released', unlocked: false, reasons: ['no more'] });
  });

  it('CountQueuingStrategy: a plain object with highWaterMark and size() = 1; k6\'s argument errors', async () => {
    const out = await inRealm(`
      const s = new CountQueuingStrategy({ highWaterMark: 4 });
      const caught = (f) => { try { f(); return 'no error'; } catch (e) { return e.message; } };
      const stream = new ReadableStream({ start(c) { c.enqueue('a'); c.enqueue('b'); } }, s);
      let ctl; new ReadableStream({ start(c) { ctl = c; } }, s);
      return [s.highWaterMark, s.size('anything'), caught(() => new CountQueuingStrategy()), caught(() => new CountQueuingStrategy(1)),
        caught(() => new CountQueuingStrategy({})), ctl.desiredSize, stream.locked];`);
    expect(out).toEqual([4, 1, 'CountQueuingStrategy takes a single argument', 'CountQueuingStrategy argument must be an object',
      "CountQueuingStrategy argument must have 'highWaterMark' property", 4, false]);
  });
});

describe('k6/experimental/streams: WritableStream', () => {
  it('writes in order with backpressure through writer.ready and desiredSize; close() runs the sink\'s close', async () => {
    const out = await inRealm(`
      const log = [];
      let release;
      const stream = new WritableStream({
        start() { log.push('start'); },
        write(chunk) { log.push('write ' + chunk); return new Promise((r) => { release = r; }); },
        close() { log.push('close'); },
      }, { highWaterMark: 1 });
      const writer = stream.getWriter();
      await writer.ready;
      const sizes = [writer.desiredSize];
      const w1 = writer.write('a');
      const w2 = writer.write('b');
      sizes.push(writer.desiredSize);
      await Promise.resolve();
      release(); await w1;
      await Promise.resolve(); await Promise.resolve();
      release(); await w2;
      await writer.close();
      await writer.closed;
      return { log, sizes, locked: stream.locked, instance: stream instanceof WritableStream && writer instanceof WritableStreamDefaultWriter };`);
    expect(out).toEqual({ log: ['start', 'write a', 'write b', 'close'], sizes: [1, -1], locked: true, instance: true });
  });

  it('abort() reaches the sink and rejects later writes; k6\'s errors', async () => {
    const out = await inRealm(`
      const reasons = [];
      const stream = new WritableStream({ abort(r) { reasons.push(r); } });
      const writer = stream.getWriter();
      await writer.abort('stop');
      const afterAbort = await writer.write('x').catch((e) => e);
      const caught = (f) => { try { f(); return 'no error'; } catch (e) { return (e instanceof TypeError ? 'TypeError' : e instanceof RangeError ? 'RangeError' : e.name) + ': ' + e.message; } };
      const other = new WritableStream();
      other.getWriter();
      const released = new WritableStream().getWriter();
      released.releaseLock();
      return [reasons, afterAbort,
        caught(() => WritableStream()),
        caught(() => new WritableStream({ type: 'bytes' })),
        caught(() => new WritableStream(1)),
        caught(() => new WritableStream({ start: undefined, write: undefined, close: undefined, abort: undefined })),
        caught(() => new WritableStream({ write: null })),
        caught(() => new ReadableStream({ pull: undefined, cancel: undefined })),
        caught(() => other.getWriter()),
        caught(() => new WritableStreamDefaultWriter({})),
        caught(() => released.desiredSize),
        await other.close().catch((e) => e.message),
        await other.abort().catch((e) => e.message),
        await released.write(1).catch((e) => e.message),
      ];`);
    expect(out).toEqual([['stop'], 'stop',
      'TypeError: WritableStream constructor must be called with new',
      "RangeError: 'type' is not supported by WritableStream",
      'TypeError: underlyingSink must be an object',
      'no error', // undefined members are absent (WebIDL), as k6 TestWritableStreamUnderlyingSinkDictionaryPresence
      'TypeError: underlyingSink.[[write]] must be a function',
      'no error',
      'TypeError: stream is locked',
      'TypeError: WritableStreamDefaultWriter argument must be a WritableStream',
      'TypeError: stream is undefined',
      'cannot close a locked stream',
      'cannot abort a locked stream',
      'stream is undefined',
    ]);
  });
});
