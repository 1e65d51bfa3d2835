// The behaviours k6's blob_test.go (internal/js/modules/k6/websockets) asserts, one check each, in a
// script: instanceof Blob / Uint8Array hold in the script's realm; stream() gives k6's string chunks.
// Run by test/engine-compat-examples.test.ts: every check passes in k6.
import { Blob } from 'k6/websockets';
import { check } from 'k6';
const txt = (ab) => String.fromCharCode(...new Uint8Array(ab));
const eq = async (name, p, want) => { let got; try { got = await p; } catch (e) { got = 'threw ' + e; } const ok = JSON.stringify(got) === JSON.stringify(want); if (!ok) console.error(`${name}: got ${JSON.stringify(got)} want ${JSON.stringify(want)}`); check(null, { [name]: () => ok }); };
export default async function () {
  const parts = {
    String: ['PASS'], MultipleStrings: ['P', 'A', 'SS'], ArrayBuffer: [new Uint8Array([0x50, 0x41, 0x53, 0x53]).buffer],
    Int8Array: [new Int8Array([0x50, 0x41, 0x53, 0x53])], Uint8Array: [new Uint8Array([0x50, 0x41, 0x53, 0x53])],
    Uint8ClampedArray: [new Uint8ClampedArray([0x50, 0x41, 0x53, 0x53])], Int16Array: [new Int16Array([0x4150, 0x5353])],
    Uint16Array: [new Uint16Array([0x4150, 0x5353])], Int32Array: [new Int32Array([0x53534150])], Uint32Array: [new Uint32Array([0x53534150])],
    Float32Array: [new Float32Array(new Uint8Array([0x50, 0x41, 0x53, 0x53]).buffer)],
    DataView: [new DataView(new Int8Array([0x50, 0x41, 0x53, 0x53]).buffer)], Blob: [new Blob(['PASS'])],
  };
  for (const [k, v] of Object.entries(parts)) await eq(`Blob ${k}`, new Blob(v).arrayBuffer().then(txt), 'PASS');
  await eq('Blob Float64Array', new Blob([new Float64Array(new Uint8Array([0x50, 0x41, 0x53, 0x53, 0, 0, 0, 0]).buffer)]).arrayBuffer().then((ab) => Array.from(new Uint8Array(ab))), [0x50, 0x41, 0x53, 0x53, 0, 0, 0, 0]);
  const typed = new Blob(['PASS'], { type: 'text/example' });
  await eq('type', Promise.resolve([typed.type, typed instanceof Blob]), ['text/example', true]);
  await eq('size', Promise.resolve(new Blob(['PASS']).size), 4);
  await eq('bytes', new Blob(['P', 'A', 'SS']).bytes().then((u) => [u instanceof Uint8Array, txt(u.buffer)]), [true, 'PASS']);
  for (const [call, want, ct] of [[(b) => b.slice(), 'PASS', ''], [(b) => b.slice(1), 'ASS', ''], [(b) => b.slice(0, 1), 'P', ''], [(b) => b.slice(0, 1, 'text/example'), 'P', 'text/example']]) {
    const s = call(new Blob(['PASS']));
    await eq(`slice ${want} ${ct}`, s.arrayBuffer().then((ab) => [s instanceof Blob, s.type, txt(ab)]), [true, ct, want]);
  }
  await eq('text', new Blob(['P', 'A', 'SS']).text(), 'PASS');
  await eq('stream', (async () => { const r = new Blob(['P', 'A', 'SS']).stream().getReader(); const { value } = await r.read(); return String(value); })(), 'PASS');
}
