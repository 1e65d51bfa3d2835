// Built-in https://jslib.k6.io/formdata/<version>/index.js: the `FormData` polyfill k6's data-uploads
// example uses. `append(name, value)` (`set` replaces the first part of that name) takes a string (a text/plain part) or a file object shaped like
// http.file()'s result (`data`, optional `filename`, `content_type` defaulting to
// application/octet-stream); `body()` is the multipart/form-data body as an ArrayBuffer of the script
// realm, delimited by `boundary`, which the script puts in the Content-Type header itself.
import vm from 'node:vm';

const SOURCE = `(function () {
  'use strict';
  const encoder = new TextEncoder();
  const isArrayBuffer = (v) => Object.prototype.toString.call(v) === '[object ArrayBuffer]';

  // A part's bytes: strings as UTF-8, arrays as byte values, buffers and views as they are.
  function bytesOf(data) {
    if (typeof data === 'string') return encoder.encode(data);
    if (Array.isArray(data)) return Uint8Array.from(data, (b) => b & 0xff);
    if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    if (isArrayBuffer(data)) return new Uint8Array(data);
    return new Uint8Array(0);
  }

  function FormData() {
    if (!(this instanceof FormData)) return new FormData();
    // Unique with respect to the contents for all practical purposes; follows randomSeed().
    this.boundary = '------RWWorkerFormDataBoundary' + Math.random().toString(36);
    this.parts = [];
  }

  FormData.prototype.append = function append(name, value) {
    if (arguments.length < 2) throw new SyntaxError('Not enough arguments');
    const file = typeof value === 'string' ? { data: value, content_type: 'text/plain' } : value;
    this.parts.push({ field: name, file });
  };

  // Replaces the value of the first part with that name, or appends one.
  FormData.prototype.set = function set(name, value) {
    if (arguments.length < 2) throw new SyntaxError('Not enough arguments');
    const file = typeof value === 'string' ? { data: value, content_type: 'text/plain' } : value;
    const part = this.parts.find((p) => p.field == name);
    if (part === undefined) this.parts.push({ field: name, file });
    else part.file = file;
  };

  FormData.prototype.body = function body() {
    const chunks = [];
    const text = (s) => chunks.push(encoder.encode(s));
    for (const { field, file } of this.parts) {
      let head = '--' + this.boundary + '\\r\\nContent-Disposition: form-data; name="' + field + '"';
      if (file.filename) head += '; filename="' + String(file.filename).replace(/"/g, '%22') + '"';
      head += '\\r\\nContent-Type: ' + (file.content_type || 'application/octet-stream') + '\\r\\n\\r\\n';
      text(head);
      chunks.push(bytesOf(file.data));
      text('\\r\\n');
    }
    text('--' + this.boundary + '--\\r\\n');
    let size = 0;
    for (const c of chunks) size += c.byteLength;
    const out = new Uint8Array(size);
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.byteLength;
    }
    return out.buffer;
  };

  return { FormData };
})`;

let script: vm.Script | undefined;

/** The module's exports (`FormData`, also as the default export's property), in the script realm `context`. */
export function createFormdataModule(context: vm.Context): Record<string, unknown> {
  script ??= new vm.Script(SOURCE, { filename: 'https://jslib.k6.io/formdata/index.js' });
  const { FormData } = (script.runInContext(context) as () => { FormData: unknown })();
  return { FormData, default: { FormData } };
}
