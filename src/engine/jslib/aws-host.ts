// Host-side helpers of the built-in aws jslib (aws-module.ts): the hashing SigV4 needs and a small XML
// reader for S3's responses. The library itself runs in the script realm; these take its values
// (strings, ArrayBuffers, typed arrays of either realm) and return plain data.
import { createHash, createHmac } from 'node:crypto';

/** Bytes of a request body as the library passes it: a string (UTF-8), an ArrayBuffer or a view. */
export function bodyBytes(body: unknown): Buffer {
  if (body === null || body === undefined) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (isArrayBufferLike(body)) return Buffer.from(body);
  if (Array.isArray(body)) return Buffer.from(body as number[]);
  return Buffer.from(String(body), 'utf8');
}

function isArrayBufferLike(v: unknown): v is ArrayBuffer {
  return Object.prototype.toString.call(v) === '[object ArrayBuffer]';
}

/** Lower-case hex SHA-256 of a body or text. */
export function sha256Hex(data: unknown): string {
  return createHash('sha256').update(bodyBytes(data)).digest('hex');
}

/**
 * The SigV4 signature of `stringToSign`: the signing key derived from the secret through the date,
 * region, service and `aws4_request`, then HMAC-SHA-256 of the string, in hex.
 */
export function sigV4Signature(secret: string, shortDate: string, region: string, service: string, stringToSign: string): string {
  const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();
  const kDate = hmac(`AWS4${secret}`, shortDate);
  const kRegion = hmac(kDate, region);
  const kService = hmac(kRegion, service);
  const kSigning = hmac(kService, 'aws4_request');
  return createHmac('sha256', kSigning).update(stringToSign, 'utf8').digest('hex');
}

/** An XML element: its local name (namespace prefix dropped), its text and its child elements. */
export interface XmlElement {
  name: string;
  text: string;
  children: XmlElement[];
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (all, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10));
    return ENTITIES[e] ?? all;
  });
}

/**
 * Reads an XML document into its root element (declarations, comments and processing instructions
 * skipped, CDATA kept as text, attributes ignored). A document that is not well formed throws.
 */
export function parseXml(text: string): XmlElement {
  const root: XmlElement = { name: '', text: '', children: [] };
  const stack: XmlElement[] = [root];
  let i = 0;
  const top = () => stack[stack.length - 1] as XmlElement;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    if (lt < 0) {
      top().text += decodeEntities(text.slice(i));
      break;
    }
    if (lt > i) top().text += decodeEntities(text.slice(i, lt));
    if (text.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt + 4);
      if (end < 0) throw new SyntaxError('XML: unterminated comment');
      i = end + 3;
    } else if (text.startsWith('<![CDATA[', lt)) {
      const end = text.indexOf(']]>', lt + 9);
      if (end < 0) throw new SyntaxError('XML: unterminated CDATA section');
      top().text += text.slice(lt + 9, end);
      i = end + 3;
    } else if (text.startsWith('<?', lt) || text.startsWith('<!', lt)) {
      const end = text.indexOf('>', lt);
      if (end < 0) throw new SyntaxError('XML: unterminated declaration');
      i = end + 1;
    } else {
      const end = text.indexOf('>', lt);
      if (end < 0) throw new SyntaxError('XML: unterminated tag');
      const tag = text.slice(lt + 1, end);
      i = end + 1;
      if (tag.startsWith('/')) {
        const name = localName(tag.slice(1).trim());
        const open = stack.pop();
        if (open === undefined || stack.length === 0 || open.name !== name) throw new SyntaxError(`XML: unexpected </${name}>`);
        continue;
      }
      const selfClosing = tag.endsWith('/');
      const name = localName((/^[^\s/>]+/.exec(tag) ?? [''])[0]);
      if (name === '') throw new SyntaxError('XML: empty tag name');
      const el: XmlElement = { name, text: '', children: [] };
      top().children.push(el);
      if (!selfClosing) stack.push(el);
    }
  }
  if (stack.length !== 1) throw new SyntaxError(`XML: <${top().name}> not closed`);
  const doc = root.children[0];
  if (doc === undefined || root.children.length !== 1) throw new SyntaxError('XML: expected one root element');
  return doc;
}

function localName(qualified: string): string {
  const colon = qualified.indexOf(':');
  return colon < 0 ? qualified : qualified.slice(colon + 1);
}
