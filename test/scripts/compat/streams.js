// k6/experimental/streams as k6's examples/experimental/streams.js and writable-streams.js use it:
// a ReadableStream fed from k6/timers callbacks, read to the end, and a WritableStream whose slow sink
// the producer waits for through writer.ready. Shorter delays than the examples, same flow.
import { check } from 'k6';
import { ReadableStream, WritableStream, CountQueuingStrategy } from 'k6/experimental/streams';
import { setTimeout } from 'k6/timers';

export const options = { vus: 2, iterations: 4 };

function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function numbersStream() {
  let currentNumber = 0;
  return new ReadableStream({
    start(controller) {
      const fn = () => {
        if (currentNumber < 5) {
          controller.enqueue(++currentNumber);
          setTimeout(fn, 10);
          return;
        }
        controller.close();
      };
      setTimeout(fn, 10);
    },
  }, new CountQueuingStrategy({ highWaterMark: 2 }));
}

function collectingStream(chunks) {
  return new WritableStream({
    async write(chunk) {
      await delay(10);
      chunks.push(chunk);
    },
  }, { highWaterMark: 1 });
}

export default async function () {
  const reader = numbersStream().getReader();
  const received = [];
  while (true) {
    const { done, value } = await reader.read();
    if (done) break;
    received.push(value);
  }

  const chunks = [];
  const writer = collectingStream(chunks).getWriter();
  const writes = [];
  for (let i = 1; i <= 3; i++) {
    await writer.ready;
    writes.push(writer.write(`chunk ${i}`));
  }
  await Promise.all(writes);
  await writer.close();

  let teeError = '';
  try {
    new ReadableStream().tee();
  } catch (e) {
    teeError = String(e);
  }

  check(null, {
    'read every number in order': () => received.join(',') === '1,2,3,4,5',
    'wrote every chunk in order': () => chunks.join('|') === 'chunk 1|chunk 2|chunk 3',
    'tee() is not supported': () => teeError === "GoError: NotSupportedError:'tee()' is not supported yet",
  });
}
