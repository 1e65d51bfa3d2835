// The `tls` connect param read as k6 reads it (grpc client.go buildTLSConfigFromMap): a non-empty
// password decrypts the key first (only a legacy `Proc-Type: 4,ENCRYPTED` PEM block; PKCS#8
// `ENCRYPTED PRIVATE KEY` is refused), every cacerts entry must hold a certificate, and cert and
// key go through Go's tls.X509KeyPair. Each refusal is k6's error text, thrown before Node sees the
// material (Node's OpenSSL texts would say something else, and accepts what Go refuses).
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import type { ConnectTls } from './grpc-params.ts';

interface PemBlock {
  readonly type: string;
  readonly headers: Record<string, string>;
  readonly der: Buffer;
  readonly text: string;
}

/** The PEM blocks of `input` in order, as Go's pem.Decode finds them one after the other. */
function pemBlocks(input: string): PemBlock[] {
  const out: PemBlock[] = [];
  const re = /-----BEGIN ([^\r\n-]*)-----\r?\n([\s\S]*?)-----END \1-----/g;
  for (let m = re.exec(input); m !== null; m = re.exec(input)) {
    const type = m[1] ?? '';
    const lines = (m[2] ?? '').split(/\r?\n/);
    const headers: Record<string, string> = {};
    let i = 0;
    if (lines.some((l) => l.includes(':'))) {
      for (; i < lines.length && (lines[i] ?? '').includes(':'); i++) {
        const l = lines[i] ?? '';
        const c = l.indexOf(':');
        headers[l.slice(0, c).trim()] = l.slice(c + 1).trim();
      }
    }
    const body = lines.slice(i).join('');
    if (!/^[A-Za-z0-9+/=\s]*$/.test(body)) continue;
    out.push({ type, headers, der: Buffer.from(body, 'base64'), text: m[0] });
  }
  return out;
}

function parsesAsCertificate(der: Buffer): boolean {
  try {
    new X509Certificate(der);
    return true;
  } catch {
    return false;
  }
}

/** Go's parsePrivateKey: PKCS #1, then PKCS #8, then SEC 1 (EC), from the block's bytes. */
function parsePrivateKey(der: Buffer): KeyObject | undefined {
  for (const type of ['pkcs1', 'pkcs8', 'sec1'] as const) {
    try {
      return createPrivateKey({ key: der, format: 'der', type });
    } catch {
      // try the next encoding
    }
  }
  return undefined;
}

/** Go's x509.DecryptPEMBlock via k6's decryptPrivateKey: the key's first block, decrypted, as PEM. */
function decryptPrivateKey(key: string, password: string): string {
  const block = pemBlocks(key)[0];
  if (block === undefined) throw new Error('failed to decode PEM key');
  if (block.type === 'ENCRYPTED PRIVATE KEY') throw new Error('encrypted pkcs8 formatted key is not supported');
  if (block.headers['DEK-Info'] === undefined) throw new Error('x509: no DEK-Info header in block');
  let k: KeyObject;
  try {
    k = createPrivateKey({ key: block.text, format: 'pem', passphrase: password });
  } catch {
    throw new Error('x509: decryption password incorrect');
  }
  const type = block.type === 'RSA PRIVATE KEY' ? 'pkcs1' : block.type === 'EC PRIVATE KEY' ? 'sec1' : 'pkcs8';
  return k.export({ format: 'pem', type }) as string;
}

/** Go's tls.X509KeyPair: its errors, without the certificate it builds (Node builds its own). */
function checkKeyPair(cert: string, key: string): void {
  const certBlocks = pemBlocks(cert);
  const certs = certBlocks.filter((b) => b.type === 'CERTIFICATE');
  if (certs.length === 0) {
    if (certBlocks.length === 0) throw new Error('tls: failed to find any PEM data in certificate input');
    throw new Error(`tls: failed to find "CERTIFICATE" PEM block in certificate input after skipping PEM blocks of the following types: [${certBlocks.map((b) => b.type).join(' ')}]`);
  }
  const keyBlocks = pemBlocks(key);
  const keyBlock = keyBlocks.find((b) => b.type === 'PRIVATE KEY' || b.type.endsWith(' PRIVATE KEY'));
  if (keyBlock === undefined) {
    if (keyBlocks.length === 0) throw new Error('tls: failed to find any PEM data in key input');
    if (keyBlocks.some((b) => b.type === 'CERTIFICATE')) throw new Error('tls: found a certificate rather than a key in the PEM for the private key');
    throw new Error(`tls: failed to find PEM block with type ending in "PRIVATE KEY" in key input after skipping PEM blocks of the following types: [${keyBlocks.map((b) => b.type).join(' ')}]`);
  }
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate((certs[0] as PemBlock).der);
  } catch {
    throw new Error('x509: malformed certificate');
  }
  const priv = parsePrivateKey(keyBlock.der);
  if (priv === undefined) throw new Error('tls: failed to parse private key');
  if (!leaf.checkPrivateKey(priv)) throw new Error('tls: private key does not match public key');
}

/**
 * The cert, key and cacerts Node is given for a connect() `tls` param, or k6's error. The key comes
 * back decrypted when a password was given.
 */
export function goTlsMaterial(t: ConnectTls): ConnectTls {
  const cert = t.cert ?? '';
  let key = t.key ?? '';
  if (t.password !== undefined && t.password !== '') key = decryptPrivateKey(key, t.password);
  (t.cacerts ?? []).forEach((ca, i) => {
    if (!pemBlocks(ca).some((b) => b.type === 'CERTIFICATE' && Object.keys(b.headers).length === 0 && parsesAsCertificate(b.der))) {
      throw new Error(`failed to append ca certificate [${i}] from PEM`);
    }
  });
  if (cert !== '' && key !== '') {
    try {
      checkKeyPair(cert, key);
    } catch (e) {
      throw new Error(`failed to append certificate from PEM: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return { cert, key, ...(t.cacerts !== undefined ? { cacerts: t.cacerts } : {}) };
}
