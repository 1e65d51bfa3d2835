// k6/experimental/streams: ReadableStream, ReadableStreamDefaultReader, CountQueuingStrategy,
// WritableStream and WritableStreamDefaultWriter (k6 internal/js/modules/k6/experimental/streams/module.go).
// The classes are made inside the script realm from streams-realm-source.ts, once per realm: the VUs of
// a worker share them as they share the realm's other builtins.
import vm from 'node:vm';
import { STREAMS_SOURCE } from './streams-realm-source.ts';

let compiled: vm.Script | undefined;
const perRealm = new WeakMap<vm.Context, Record<string, unknown>>();

export function createStreamsModule(context: vm.Context): Record<string, unknown> {
  let exports = perRealm.get(context);
  if (exports === undefined) {
    compiled ??= new vm.Script(STREAMS_SOURCE, { filename: 'k6/experimental/streams' });
    exports = (compiled.runInContext(context) as () => Record<string, unknown>)();
    perRealm.set(context, exports);
  }
  return { ...exports };
}
