// The Web Streams subset k6/experimental/streams offers (k6 internal/js/modules/k6/experimental/streams):
// ReadableStream with its default controller and reader, CountQueuingStrategy, WritableStream with its
// default controller and writer, following the WHATWG Streams algorithms k6 implements, with k6's error
// messages. Not offered, as in k6: byte streams and BYOB readers (a GoError "NotSupportedError:…"),
// tee() (the same), pipeTo/pipeThrough, async iteration, TransformStream, ByteLengthQueuingStrategy, and
// a controller `signal`.
//
// Why our own code and not node:stream/web: the scripts' realm is a vm context. Node's classes would
// hand scripts promises, errors and result objects of Node's realm (`instanceof TypeError` and
// `instanceof Promise` false in the script), its messages are not k6's, and it offers what k6 refuses.
// This source is evaluated inside the script realm instead, so every object, promise and error is the
// script's own, and the source's callbacks run from the VU's own promise jobs and timers: nothing here
// keeps the VU's event loop open, exactly as in k6, where an iteration ends once its loop is empty.
export const STREAMS_SOURCE = String.raw`(function () {
  'use strict';
  const goError = (message) => { const e = new Error(message); e.name = 'GoError'; return e; };
  const notSupported = (what) => goError('NotSupportedError:' + what + ' is not supported yet');
  const isObject = (v) => (typeof v === 'object' && v !== null) || typeof v === 'function';
  const nullish = (v) => v === undefined || v === null;
  const handled = (p) => { p.then(undefined, () => {}); return p; };
  const resolvedWith = (v) => Promise.resolve(v);
  const rejectedWith = (e) => Promise.reject(e);
  const readOnly = (obj, name, value) => Object.defineProperty(obj, name, { value, writable: false, enumerable: true, configurable: false });
  function deferred() {
    const d = { state: 'pending' };
    d.promise = new Promise((resolve, reject) => {
      d.resolve = (v) => { if (d.state === 'pending') { d.state = 'fulfilled'; resolve(v); } };
      d.reject = (e) => { if (d.state === 'pending') { d.state = 'rejected'; reject(e); } };
    });
    return d;
  }
  const rejectedDeferred = (e) => { const d = deferred(); d.reject(e); handled(d.promise); return d; };
  const resolvedDeferred = (v) => { const d = deferred(); d.resolve(v); return d; };
  /** A callback's outcome as a promise: a throw becomes a rejection (PromiseCall). */
  function promiseCall(fn, thisArg, args) {
    try { return Promise.resolve(fn.apply(thisArg, args)); } catch (e) { return Promise.reject(e); }
  }
  const defaultSize = function size() { return 1; };
  const token = Symbol('internal');

  // Queue-with-sizes.
  function resetQueue(c) { c.queue = []; c.queueTotalSize = 0; }
  function enqueueValueWithSize(c, value, size) {
    size = Number(size);
    if (Number.isNaN(size) || size < 0 || size === Infinity) throw new RangeError('size must be a finite, non-NaN number');
    c.queue.push({ value, size });
    c.queueTotalSize += size;
  }
  function dequeueValue(c) {
    const pair = c.queue.shift();
    c.queueTotalSize -= pair.size;
    if (c.queueTotalSize < 0) c.queueTotalSize = 0;
    return pair.value;
  }

  // Strategies (k6 module.go initializeStrategy, newCountQueuingStrategy, extract*).
  function countQueuingStrategy(arg, size, single) {
    const name = 'CountQueuingStrategy';
    if (!single) throw new TypeError(name + ' takes a single argument');
    if (!isObject(arg)) throw new TypeError(name + ' argument must be an object');
    if (nullish(arg.highWaterMark)) throw new TypeError(name + " argument must have 'highWaterMark' property");
    const obj = {};
    readOnly(obj, 'highWaterMark', arg.highWaterMark);
    if (!nullish(size)) readOnly(obj, 'size', size);
    return obj;
  }
  function initializeStrategy(args) {
    let strategy = {};
    if (args.length > 1 && !nullish(args[1])) strategy = Object(args[1]);
    if (nullish(strategy.highWaterMark)) strategy.highWaterMark = 1;
    let size = defaultSize;
    if (args.length > 0 && !nullish(args[0])) {
      const type = Object(args[0]).type;
      if (!nullish(type) && String(type) === 'bytes') size = undefined;
    }
    if ('size' in strategy) size = strategy.size;
    return countQueuingStrategy(strategy, size, true);
  }
  function extractHighWaterMark(strategy, fallback) {
    const hwm = strategy.highWaterMark;
    if (nullish(hwm)) return fallback;
    if (typeof hwm !== 'number' || Number.isNaN(hwm) || hwm < 0) throw new RangeError('highWaterMark must be a non-negative number');
    return hwm;
  }
  function extractSizeAlgorithm(strategy) {
    const size = strategy.size;
    if (nullish(size)) return () => 1;
    if (typeof size !== 'function') throw new TypeError('size must be a function');
    return (chunk) => size.call(undefined, chunk);
  }
  /** A method of an underlying source or sink: absent or undefined (a WebIDL dictionary member not present) is none, any other value must be a function. */
  function method(obj, name, kind) {
    if (obj === undefined || !(name in obj)) return undefined;
    const fn = obj[name];
    if (fn === undefined) return undefined;
    if (typeof fn !== 'function') throw new TypeError(kind + '.[[' + name + ']] must be a function');
    return fn;
  }

  // ---------------------------------------------------------------- ReadableStream
  const RS = new WeakMap();
  const READERS = new WeakMap();
  const RS_CONTROLLERS = new WeakMap();

  class ReadableStream {
    constructor(underlyingSource, strategy) {
      const strat = initializeStrategy(arguments);
      let source;
      if (arguments.length > 0 && underlyingSource !== undefined) {
        if (!isObject(underlyingSource)) throw new TypeError('underlyingSource must be an object');
        const type = underlyingSource.type;
        if (type !== undefined && String(type) !== 'bytes') throw new TypeError('invalid underlying source type');
        source = underlyingSource;
      }
      const stream = { object: this, state: 'readable', reader: undefined, storedError: undefined, disturbed: false, controller: undefined };
      RS.set(this, stream);
      if (source !== undefined && String(source.type) === 'bytes') throw notSupported("'bytes' stream");
      const sizeAlgorithm = extractSizeAlgorithm(strat);
      const hwm = extractHighWaterMark(strat, 1);
      setUpDefaultControllerFromSource(stream, source, hwm, sizeAlgorithm);
    }
    get locked() { return isLocked(streamOf(this)); }
    cancel(reason) {
      const stream = RS.get(this);
      if (stream === undefined) return rejectedWith(new TypeError('value is not a ReadableStream'));
      if (isLocked(stream)) return rejectedWith(new TypeError('cannot cancel a locked stream'));
      return cancelStream(stream, reason);
    }
    getReader(options) {
      const stream = streamOf(this);
      if (nullish(options) || options.mode === undefined) return acquireDefaultReader(stream);
      if (String(options.mode) !== 'byob') throw new TypeError("options.mode is not 'byob'");
      throw notSupported("'byob' mode");
    }
    tee() { throw notSupported("'tee()'"); }
  }
  function streamOf(v) {
    const s = RS.get(v);
    if (s === undefined) throw new TypeError('value is not a ReadableStream');
    return s;
  }
  const isLocked = (stream) => stream.reader !== undefined;

  function setUpDefaultControllerFromSource(stream, source, hwm, sizeAlgorithm) {
    const start = method(source, 'start', 'underlyingSource');
    const pull = method(source, 'pull', 'underlyingSource');
    const cancel = method(source, 'cancel', 'underlyingSource');
    const c = { stream, object: undefined, queue: [], queueTotalSize: 0, started: false, closeRequested: false, pullAgain: false, pulling: false,
      strategyHWM: hwm, strategySizeAlgorithm: sizeAlgorithm,
      pullAlgorithm: pull === undefined ? () => resolvedWith(undefined) : (ctl) => promiseCall(pull, source, [ctl]),
      cancelAlgorithm: cancel === undefined ? () => resolvedWith(undefined) : (reason) => promiseCall(cancel, source, [reason]) };
    c.object = new ReadableStreamDefaultController(token);
    RS_CONTROLLERS.set(c.object, c);
    stream.controller = c;
    const startResult = start === undefined ? undefined : start.call(source, c.object);
    Promise.resolve(startResult).then(() => {
      c.started = true;
      callPullIfNeeded(c);
    }, (e) => controllerError(c, e));
  }

  class ReadableStreamDefaultController {
    constructor(key) {
      if (key !== token) throw new TypeError('ReadableStreamDefaultController is not constructable');
    }
    get desiredSize() { return desiredSize(rsController(this)); }
    close() {
      const c = rsController(this);
      if (!canCloseOrEnqueue(c)) throw new TypeError('cannot close or enqueue');
      controllerClose(c);
    }
    enqueue(chunk) {
      const c = rsController(this);
      if (!canCloseOrEnqueue(c)) throw new TypeError('cannot close or enqueue');
      controllerEnqueue(c, chunk);
    }
    error(e) { controllerError(rsController(this), e); }
  }
  function rsController(v) {
    const c = RS_CONTROLLERS.get(v);
    if (c === undefined) throw new TypeError('value is not a ReadableStreamDefaultController');
    return c;
  }
  const canCloseOrEnqueue = (c) => !c.closeRequested && c.stream.state === 'readable';
  function desiredSize(c) {
    const state = c.stream.state;
    if (state === 'errored') return null;
    if (state === 'closed') return 0;
    return c.strategyHWM - c.queueTotalSize;
  }
  function clearAlgorithms(c) {
    c.pullAlgorithm = undefined;
    c.cancelAlgorithm = undefined;
    c.strategySizeAlgorithm = undefined;
  }
  function controllerClose(c) {
    if (!canCloseOrEnqueue(c)) return;
    c.closeRequested = true;
    if (c.queue.length === 0) {
      clearAlgorithms(c);
      closeStream(c.stream);
    }
  }
  function controllerEnqueue(c, chunk) {
    if (!canCloseOrEnqueue(c)) return;
    const stream = c.stream;
    if (isLocked(stream) && stream.reader.readRequests.length > 0) {
      fulfillReadRequest(stream, chunk, false);
    } else {
      let size;
      try {
        size = c.strategySizeAlgorithm(chunk);
      } catch (e) {
        controllerError(c, e);
        throw e;
      }
      try {
        enqueueValueWithSize(c, chunk, size);
      } catch (e) {
        controllerError(c, e);
        throw e;
      }
    }
    callPullIfNeeded(c);
  }
  function controllerError(c, e) {
    if (c.stream.state !== 'readable') return;
    resetQueue(c);
    clearAlgorithms(c);
    errorStream(c.stream, e);
  }
  function shouldCallPull(c) {
    if (!canCloseOrEnqueue(c) || !c.started) return false;
    const stream = c.stream;
    if (isLocked(stream) && stream.reader.readRequests.length > 0) return true;
    return desiredSize(c) > 0;
  }
  function callPullIfNeeded(c) {
    if (!shouldCallPull(c)) return;
    if (c.pulling) {
      c.pullAgain = true;
      return;
    }
    c.pulling = true;
    c.pullAlgorithm(c.object).then(() => {
      c.pulling = false;
      if (c.pullAgain) {
        c.pullAgain = false;
        callPullIfNeeded(c);
      }
    }, (e) => controllerError(c, e));
  }
  function pullSteps(c, readRequest) {
    const stream = c.stream;
    if (c.queue.length > 0) {
      const chunk = dequeueValue(c);
      if (c.closeRequested && c.queue.length === 0) {
        clearAlgorithms(c);
        closeStream(stream);
      } else {
        callPullIfNeeded(c);
      }
      readRequest.chunk(chunk);
    } else {
      stream.reader.readRequests.push(readRequest);
      callPullIfNeeded(c);
    }
  }

  function cancelStream(stream, reason) {
    stream.disturbed = true;
    if (stream.state === 'closed') return resolvedWith(undefined);
    if (stream.state === 'errored') return rejectedWith(stream.storedError);
    closeStream(stream);
    const c = stream.controller;
    resetQueue(c);
    const algorithm = c.cancelAlgorithm;
    clearAlgorithms(c);
    return algorithm(reason).then(() => undefined);
  }
  function closeStream(stream) {
    stream.state = 'closed';
    const reader = stream.reader;
    if (reader === undefined) return;
    reader.closed.resolve(undefined);
    const requests = reader.readRequests;
    reader.readRequests = [];
    for (const r of requests) r.close();
  }
  function errorStream(stream, e) {
    stream.state = 'errored';
    stream.storedError = e;
    const reader = stream.reader;
    if (reader === undefined) return;
    reader.closed.reject(e);
    handled(reader.closed.promise);
    const requests = reader.readRequests;
    reader.readRequests = [];
    for (const r of requests) r.error(e);
  }
  function fulfillReadRequest(stream, chunk, done) {
    const request = stream.reader.readRequests.shift();
    if (done) request.close();
    else request.chunk(chunk);
  }

  function acquireDefaultReader(stream) {
    return new ReadableStreamDefaultReader(stream.object);
  }

  class ReadableStreamDefaultReader {
    constructor(stream) {
      if (arguments.length !== 1) throw new TypeError('ReadableStreamDefaultReader takes a single argument');
      const s = RS.get(stream);
      if (s === undefined) throw new TypeError('ReadableStreamDefaultReader argument must be a ReadableStream');
      if (isLocked(s)) throw new TypeError('stream is locked');
      const reader = { stream: s, closed: undefined, readRequests: [] };
      s.reader = reader;
      if (s.state === 'readable') reader.closed = deferred();
      else if (s.state === 'closed') reader.closed = resolvedDeferred(undefined);
      else reader.closed = rejectedDeferred(s.storedError);
      READERS.set(this, reader);
    }
    get closed() { return readerOf(this).closed.promise; }
    read() {
      const reader = readerOf(this);
      const stream = reader.stream;
      if (stream === undefined) return rejectedWith(new TypeError('stream is undefined'));
      const d = deferred();
      const request = {
        chunk: (value) => d.resolve({ value, done: false }),
        close: () => d.resolve({ value: undefined, done: true }),
        error: (e) => d.reject(e),
      };
      stream.disturbed = true;
      if (stream.state === 'closed') request.close();
      else if (stream.state === 'errored') request.error(stream.storedError);
      else pullSteps(stream.controller, request);
      return d.promise;
    }
    cancel(reason) {
      const reader = readerOf(this);
      if (reader.stream === undefined) return rejectedWith(new TypeError('stream is undefined'));
      return cancelStream(reader.stream, reason);
    }
    releaseLock() {
      const reader = readerOf(this);
      const stream = reader.stream;
      if (stream === undefined) return;
      if (stream.state === 'readable') reader.closed.reject(new TypeError('stream is readable'));
      else reader.closed = rejectedDeferred(new TypeError('stream is not readable'));
      handled(reader.closed.promise);
      stream.reader = undefined;
      reader.stream = undefined;
      const e = new TypeError('reader released');
      const requests = reader.readRequests;
      reader.readRequests = [];
      for (const r of requests) r.error(e);
    }
  }
  function readerOf(v) {
    const r = READERS.get(v);
    if (r === undefined) throw new TypeError('value is not a ReadableStreamDefaultReader');
    return r;
  }

  function CountQueuingStrategy(init) {
    return countQueuingStrategy(init, defaultSize, arguments.length === 1);
  }

  // ---------------------------------------------------------------- WritableStream
  const WS = new WeakMap();
  const WRITERS = new WeakMap();
  const WS_CONTROLLERS = new WeakMap();
  const CLOSE_SENTINEL = {};

  function WritableStream(underlyingSink, strategy) {
    if (new.target === undefined) throw new TypeError('WritableStream constructor must be called with new');
    const strat = initializeStrategy(arguments);
    let sink;
    if (arguments.length > 0 && underlyingSink !== undefined) {
      if (!isObject(underlyingSink)) throw new TypeError('underlyingSink must be an object');
      sink = underlyingSink;
    }
    if (sink !== undefined && sink.type !== undefined) throw new RangeError("'type' is not supported by WritableStream");
    const stream = { object: this, state: 'writable', storedError: undefined, writer: undefined, controller: undefined,
      writeRequests: [], inFlightWriteRequest: undefined, closeRequest: undefined, inFlightCloseRequest: undefined,
      pendingAbortRequest: undefined, backpressure: false };
    WS.set(this, stream);
    const sizeAlgorithm = extractSizeAlgorithm(strat);
    const hwm = extractHighWaterMark(strat, 1);
    setUpWritableControllerFromSink(stream, sink, hwm, sizeAlgorithm);
  }
  Object.defineProperty(WritableStream.prototype, 'locked', {
    get() { const s = WS.get(this); return s === undefined ? undefined : isWritableLocked(s); }, enumerable: true, configurable: true,
  });
  Object.assign(WritableStream.prototype, {
    abort(reason) {
      const stream = writableOf(this);
      if (isWritableLocked(stream)) return rejectedWith(new TypeError('cannot abort a locked stream'));
      return abortWritable(stream, reason);
    },
    close() {
      const stream = writableOf(this);
      if (isWritableLocked(stream)) return rejectedWith(new TypeError('cannot close a locked stream'));
      if (closeQueuedOrInFlight(stream)) return rejectedWith(new TypeError('stream is already closing'));
      return closeWritable(stream);
    },
    getWriter() { return new WritableStreamDefaultWriter(this); },
  });
  function writableOf(v) {
    const s = WS.get(v);
    if (s === undefined) throw new TypeError('value is not a WritableStream');
    return s;
  }
  const isWritableLocked = (stream) => stream.writer !== undefined;
  const closeQueuedOrInFlight = (s) => s.closeRequest !== undefined || s.inFlightCloseRequest !== undefined;
  const hasOperationMarkedInFlight = (s) => s.inFlightWriteRequest !== undefined || s.inFlightCloseRequest !== undefined;

  function setUpWritableControllerFromSink(stream, sink, hwm, sizeAlgorithm) {
    const start = method(sink, 'start', 'underlyingSink');
    const write = method(sink, 'write', 'underlyingSink');
    const close = method(sink, 'close', 'underlyingSink');
    const abort = method(sink, 'abort', 'underlyingSink');
    const c = { stream, object: undefined, queue: [], queueTotalSize: 0, started: false, strategyHWM: hwm, strategySizeAlgorithm: sizeAlgorithm,
      writeAlgorithm: write === undefined ? () => resolvedWith(undefined) : (chunk) => promiseCall(write, sink, [chunk, c.object]),
      closeAlgorithm: close === undefined ? () => resolvedWith(undefined) : () => promiseCall(close, sink, []),
      abortAlgorithm: abort === undefined ? () => resolvedWith(undefined) : (reason) => promiseCall(abort, sink, [reason]) };
    c.object = new WritableStreamDefaultController(token);
    WS_CONTROLLERS.set(c.object, c);
    stream.controller = c;
    updateBackpressure(stream, writableBackpressure(c));
    const startResult = start === undefined ? undefined : start.call(sink, c.object);
    Promise.resolve(startResult).then(() => {
      c.started = true;
      advanceQueueIfNeeded(c);
    }, (e) => {
      c.started = true;
      dealWithRejection(stream, e);
    });
  }

  class WritableStreamDefaultController {
    constructor(key) {
      if (key !== token) throw new TypeError('WritableStreamDefaultController is not constructable');
    }
    error(e) {
      const c = WS_CONTROLLERS.get(this);
      if (c === undefined) throw new TypeError('value is not a WritableStreamDefaultController');
      if (c.stream.state !== 'writable') return;
      writableControllerError(c, e);
    }
  }
  const writableDesiredSize = (c) => c.strategyHWM - c.queueTotalSize;
  const writableBackpressure = (c) => writableDesiredSize(c) <= 0;
  function clearWritableAlgorithms(c) {
    c.writeAlgorithm = undefined;
    c.closeAlgorithm = undefined;
    c.abortAlgorithm = undefined;
    c.strategySizeAlgorithm = undefined;
  }
  function writableControllerError(c, e) {
    clearWritableAlgorithms(c);
    startErroring(c.stream, e);
  }
  function errorIfNeeded(c, e) {
    if (c.stream.state === 'writable') writableControllerError(c, e);
  }
  function getChunkSize(c, chunk) {
    if (c.strategySizeAlgorithm === undefined) return 1;
    try {
      return Number(c.strategySizeAlgorithm(chunk));
    } catch (e) {
      errorIfNeeded(c, e);
      return 1;
    }
  }
  function controllerWrite(c, chunk, size) {
    try {
      enqueueValueWithSize(c, chunk, size);
    } catch (e) {
      errorIfNeeded(c, e);
      return;
    }
    const stream = c.stream;
    if (!closeQueuedOrInFlight(stream) && stream.state === 'writable') updateBackpressure(stream, writableBackpressure(c));
    advanceQueueIfNeeded(c);
  }
  function advanceQueueIfNeeded(c) {
    const stream = c.stream;
    if (!c.started || stream.inFlightWriteRequest !== undefined) return;
    if (stream.state === 'erroring') {
      finishErroring(stream);
      return;
    }
    if (c.queue.length === 0) return;
    const value = c.queue[0].value;
    if (value === CLOSE_SENTINEL) processClose(c);
    else processWrite(c, value);
  }
  function processClose(c) {
    const stream = c.stream;
    stream.inFlightCloseRequest = stream.closeRequest;
    stream.closeRequest = undefined;
    dequeueValue(c);
    const algorithm = c.closeAlgorithm;
    clearWritableAlgorithms(c);
    algorithm().then(() => finishInFlightClose(stream), (e) => finishInFlightCloseWithError(stream, e));
  }
  function processWrite(c, chunk) {
    const stream = c.stream;
    stream.inFlightWriteRequest = stream.writeRequests.shift();
    c.writeAlgorithm(chunk).then(() => {
      stream.inFlightWriteRequest.resolve(undefined);
      stream.inFlightWriteRequest = undefined;
      const state = stream.state;
      dequeueValue(c);
      if (!closeQueuedOrInFlight(stream) && state === 'writable') updateBackpressure(stream, writableBackpressure(c));
      advanceQueueIfNeeded(c);
    }, (e) => {
      if (stream.state === 'writable') clearWritableAlgorithms(c);
      stream.inFlightWriteRequest.reject(e);
      stream.inFlightWriteRequest = undefined;
      dealWithRejection(stream, e);
    });
  }

  function abortWritable(stream, reason) {
    const state = stream.state;
    if (state === 'closed' || state === 'errored') return resolvedWith(undefined);
    if (stream.pendingAbortRequest !== undefined) return stream.pendingAbortRequest.promise.promise;
    let wasAlreadyErroring = false;
    if (state === 'erroring') {
      wasAlreadyErroring = true;
      reason = undefined;
    }
    const d = deferred();
    stream.pendingAbortRequest = { promise: d, reason, wasAlreadyErroring };
    if (!wasAlreadyErroring) startErroring(stream, reason);
    return d.promise;
  }
  function closeWritable(stream) {
    const state = stream.state;
    if (state === 'closed' || state === 'errored') return rejectedWith(new TypeError('stream is already closed or errored'));
    const d = deferred();
    stream.closeRequest = d;
    const writer = stream.writer;
    if (writer !== undefined && stream.backpressure && state === 'writable') writer.ready.resolve(undefined);
    enqueueValueWithSize(stream.controller, CLOSE_SENTINEL, 0);
    advanceQueueIfNeeded(stream.controller);
    return d.promise;
  }
  function dealWithRejection(stream, e) {
    if (stream.state === 'writable') {
      startErroring(stream, e);
      return;
    }
    finishErroring(stream);
  }
  function startErroring(stream, reason) {
    const c = stream.controller;
    stream.state = 'erroring';
    stream.storedError = reason;
    const writer = stream.writer;
    if (writer !== undefined) ensureReadyPromiseRejected(writer, reason);
    if (!hasOperationMarkedInFlight(stream) && c.started) finishErroring(stream);
  }
  function finishErroring(stream) {
    stream.state = 'errored';
    const c = stream.controller;
    resetQueue(c);
    const storedError = stream.storedError;
    for (const request of stream.writeRequests) request.reject(storedError);
    stream.writeRequests = [];
    const abortRequest = stream.pendingAbortRequest;
    if (abortRequest === undefined) {
      rejectCloseAndClosedPromiseIfNeeded(stream);
      return;
    }
    stream.pendingAbortRequest = undefined;
    if (abortRequest.wasAlreadyErroring) {
      abortRequest.promise.reject(storedError);
      rejectCloseAndClosedPromiseIfNeeded(stream);
      return;
    }
    const algorithm = c.abortAlgorithm;
    clearWritableAlgorithms(c);
    algorithm(abortRequest.reason).then(() => {
      abortRequest.promise.resolve(undefined);
      rejectCloseAndClosedPromiseIfNeeded(stream);
    }, (e) => {
      abortRequest.promise.reject(e);
      rejectCloseAndClosedPromiseIfNeeded(stream);
    });
  }
  function finishInFlightClose(stream) {
    stream.inFlightCloseRequest.resolve(undefined);
    stream.inFlightCloseRequest = undefined;
    if (stream.state === 'erroring') {
      stream.storedError = undefined;
      if (stream.pendingAbortRequest !== undefined) {
        stream.pendingAbortRequest.promise.resolve(undefined);
        stream.pendingAbortRequest = undefined;
      }
    }
    stream.state = 'closed';
    const writer = stream.writer;
    if (writer !== undefined) writer.closed.resolve(undefined);
  }
  function finishInFlightCloseWithError(stream, e) {
    stream.inFlightCloseRequest.reject(e);
    stream.inFlightCloseRequest = undefined;
    if (stream.pendingAbortRequest !== undefined) {
      stream.pendingAbortRequest.promise.reject(e);
      stream.pendingAbortRequest = undefined;
    }
    dealWithRejection(stream, e);
  }
  function rejectCloseAndClosedPromiseIfNeeded(stream) {
    if (stream.closeRequest !== undefined) {
      stream.closeRequest.reject(stream.storedError);
      stream.closeRequest = undefined;
    }
    const writer = stream.writer;
    if (writer !== undefined) {
      writer.closed.reject(stream.storedError);
      handled(writer.closed.promise);
    }
  }
  function updateBackpressure(stream, backpressure) {
    const writer = stream.writer;
    if (writer !== undefined && backpressure !== stream.backpressure) {
      if (backpressure) writer.ready = deferred();
      else writer.ready.resolve(undefined);
    }
    stream.backpressure = backpressure;
  }
  function ensureReadyPromiseRejected(writer, e) {
    if (writer.ready.state === 'pending') writer.ready.reject(e);
    else writer.ready = rejectedDeferred(e);
    handled(writer.ready.promise);
  }
  function ensureClosedPromiseRejected(writer, e) {
    if (writer.closed.state === 'pending') writer.closed.reject(e);
    else writer.closed = rejectedDeferred(e);
    handled(writer.closed.promise);
  }

  function WritableStreamDefaultWriter(stream) {
    if (new.target === undefined) throw new TypeError('WritableStreamDefaultWriter constructor must be called with new');
    if (arguments.length !== 1) throw new TypeError('WritableStreamDefaultWriter takes a single argument');
    const s = WS.get(stream);
    if (s === undefined) throw new TypeError('WritableStreamDefaultWriter argument must be a WritableStream');
    if (isWritableLocked(s)) throw new TypeError('stream is locked');
    const writer = { stream: s, ready: undefined, closed: undefined };
    s.writer = writer;
    const state = s.state;
    if (state === 'writable') {
      writer.ready = !closeQueuedOrInFlight(s) && s.backpressure ? deferred() : resolvedDeferred(undefined);
      writer.closed = deferred();
    } else if (state === 'erroring') {
      writer.ready = rejectedDeferred(s.storedError);
      writer.closed = deferred();
    } else if (state === 'closed') {
      writer.ready = resolvedDeferred(undefined);
      writer.closed = resolvedDeferred(undefined);
    } else {
      writer.ready = rejectedDeferred(s.storedError);
      writer.closed = rejectedDeferred(s.storedError);
    }
    WRITERS.set(this, writer);
  }
  function writerOf(v) {
    const w = WRITERS.get(v);
    if (w === undefined) throw new TypeError('value is not a WritableStreamDefaultWriter');
    return w;
  }
  for (const [name, get] of [
    ['closed', (w) => w.closed.promise],
    ['desiredSize', (w) => {
      const stream = w.stream;
      if (stream === undefined) throw new TypeError('stream is undefined');
      if (stream.state === 'errored' || stream.state === 'erroring') return null;
      if (stream.state === 'closed') return 0;
      return writableDesiredSize(stream.controller);
    }],
    ['ready', (w) => w.ready.promise],
  ]) {
    Object.defineProperty(WritableStreamDefaultWriter.prototype, name, { get() { return get(writerOf(this)); }, enumerable: true, configurable: true });
  }
  Object.assign(WritableStreamDefaultWriter.prototype, {
    abort(reason) {
      const writer = writerOf(this);
      if (writer.stream === undefined) return rejectedWith(new TypeError('stream is undefined'));
      return abortWritable(writer.stream, reason);
    },
    close() {
      const writer = writerOf(this);
      const stream = writer.stream;
      if (stream === undefined) return rejectedWith(new TypeError('stream is undefined'));
      if (closeQueuedOrInFlight(stream)) return rejectedWith(new TypeError('stream is already closing'));
      return closeWritable(stream);
    },
    releaseLock() {
      const writer = writerOf(this);
      const stream = writer.stream;
      if (stream === undefined) return;
      const released = new TypeError('writer released');
      ensureReadyPromiseRejected(writer, released);
      ensureClosedPromiseRejected(writer, released);
      stream.writer = undefined;
      writer.stream = undefined;
    },
    write(chunk) {
      const writer = writerOf(this);
      const stream = writer.stream;
      if (stream === undefined) return rejectedWith(new TypeError('stream is undefined'));
      const c = stream.controller;
      const size = getChunkSize(c, chunk);
      if (stream !== writer.stream) return rejectedWith(new TypeError('writer was released'));
      const state = stream.state;
      if (state === 'errored') return rejectedWith(stream.storedError);
      if (closeQueuedOrInFlight(stream) || state === 'closed') return rejectedWith(new TypeError('stream is closing or closed'));
      if (state === 'erroring') return rejectedWith(stream.storedError);
      const d = deferred();
      stream.writeRequests.push(d);
      controllerWrite(c, chunk, size);
      return d.promise;
    },
  });

  return { ReadableStream, CountQueuingStrategy, ReadableStreamDefaultReader, WritableStream, WritableStreamDefaultWriter };
})`;
