// The physical limit of a Node generator: N concurrent request loops, one undici Client each,
// for a fixed time. Prints {"requests":…, "seconds":…} on stdout. Used by engine-bench.ts.
import { Client } from 'undici';

const [url = 'http://127.0.0.1:8080/', conc = '64', secs = '10'] = process.argv.slice(2);
const concurrency = Number(conc);
const deadline = performance.now() + Number(secs) * 1000;
const target = new URL(url);
let requests = 0;

async function loop(): Promise<void> {
  const client = new Client(target.origin, { pipelining: 1 });
  while (performance.now() < deadline) {
    const res = await client.request({ path: target.pathname, method: 'GET' });
    await res.body.dump();
    requests++;
  }
  await client.close();
}

const started = performance.now();
await Promise.all(Array.from({ length: concurrency }, loop));
process.stdout.write(JSON.stringify({ requests, seconds: (performance.now() - started) / 1000 }) + '\n');
