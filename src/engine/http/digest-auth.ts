import { createHash, randomBytes } from 'node:crypto';

// HTTP Digest access authentication (RFC 7616 / 2617) for `params.auth = "digest"`: k6 sends the
// request without credentials, and answers a 401 Digest challenge with a second request. Both round
// trips are measured and emitted, as with k6's digest transport.

export interface DigestChallenge {
  readonly realm: string;
  readonly nonce: string;
  readonly opaque: string | undefined;
  readonly qop: string | undefined;
  readonly algorithm: string;
}

/** Parses a `WWW-Authenticate: Digest …` value; undefined for other schemes. */
export function parseDigestChallenge(header: string | undefined): DigestChallenge | undefined {
  if (header === undefined) return undefined;
  const m = /(?:^|,\s*)Digest\s+(.*)$/i.exec(header);
  if (!m || m[1] === undefined) return undefined;
  const params: Record<string, string> = {};
  const re = /(\w+)=(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;
  for (let p = re.exec(m[1]); p !== null; p = re.exec(m[1])) {
    params[(p[1] as string).toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : (p[3] ?? '');
  }
  if (params.nonce === undefined) return undefined;
  return {
    realm: params.realm ?? '',
    nonce: params.nonce,
    opaque: params.opaque,
    qop: params.qop,
    algorithm: params.algorithm ?? 'MD5',
  };
}

function hashHex(algorithm: string, text: string): string {
  const alg = algorithm.toUpperCase().startsWith('SHA-256') ? 'sha256' : 'md5';
  return createHash(alg).update(text).digest('hex');
}

/** The Authorization header answering `challenge` for a request of `method` to `uri` (path+query). */
export function digestAuthorization(
  challenge: DigestChallenge,
  username: string,
  password: string,
  method: string,
  uri: string,
): string {
  const alg = challenge.algorithm;
  const sess = alg.toLowerCase().endsWith('-sess');
  const cnonce = randomBytes(8).toString('hex');
  const nc = '00000001';
  let ha1 = hashHex(alg, `${username}:${challenge.realm}:${password}`);
  if (sess) ha1 = hashHex(alg, `${ha1}:${challenge.nonce}:${cnonce}`);
  const ha2 = hashHex(alg, `${method}:${uri}`);
  const qop = challenge.qop?.split(',').map((q) => q.trim()).includes('auth') ? 'auth' : undefined;
  const response =
    qop === undefined
      ? hashHex(alg, `${ha1}:${challenge.nonce}:${ha2}`)
      : hashHex(alg, `${ha1}:${challenge.nonce}:${nc}:${cnonce}:${qop}:${ha2}`);
  let header =
    `Digest username="${username}", realm="${challenge.realm}", nonce="${challenge.nonce}", uri="${uri}", ` +
    `algorithm=${alg}, response="${response}"`;
  if (challenge.opaque !== undefined) header += `, opaque="${challenge.opaque}"`;
  if (qop !== undefined) header += `, qop=${qop}, nc=${nc}, cnonce="${cnonce}"`;
  return header;
}
