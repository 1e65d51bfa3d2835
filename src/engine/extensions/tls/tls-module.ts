// `import tls from 'k6/x/tls'`: Grafana's official xk6-tls extension (k6 v2 resolves it on import),
// built in. getCertificate(target) dials "host[:port]" (443 by default) through the VU's dialer, whose
// bytes become data_sent/data_received at each iteration's end, and resolves with the server's first
// certificate: { subject: { common_name }, issuer: { common_name }, issued, expires, fingerprint }
// (ms since the epoch; the DER's sha256 in hex). Nothing is verified: an expired or untrusted
// certificate is read all the same. Rejections are Go error values (tls-handshake.ts has the texts).
// The extension defines no metrics.
import { SocketBytes } from '../../http/socket-bytes.ts';
import { connectionSettings } from '../../http/http-module.ts';
import type { VuHost } from '../../vu/vu-host.ts';
import type { VuEventLoop } from '../../vu/vu-event-loop.ts';
import { goErrorValue } from '../../vu/go-error-value.ts';
import { loopPromise } from '../../vu/loop-promise.ts';
import { TcpDialer } from '../tcp/tcp-dial.ts';
import { fetchCertificate, type CertificateInfo } from './tls-handshake.ts';
import { parseTarget } from './tls-target.ts';

export interface TlsRealm {
  readonly Promise: PromiseConstructor;
  object(entries?: Record<string, unknown>): Record<string, unknown>;
}

/** For callers without a script realm (unit tests): Node's own builtins. */
export const HOST_TLS_REALM: TlsRealm = {
  Promise,
  object: (entries = {}) => ({ ...entries }),
};

/** sobek's ExportTo(value, &string): undefined and null give "", anything else its String(). */
function goString(v: unknown): string {
  return v === undefined || v === null ? '' : String(v);
}

export function createTlsModule(host: VuHost, loop: VuEventLoop, realm: TlsRealm = HOST_TLS_REALM): Record<string, unknown> {
  const bytes = new SocketBytes();
  const dialer = new TcpDialer(connectionSettings(host.options, host.state.id));
  const countBytes = (): void => {
    const { sent, received } = bytes.takeBytes();
    host.countBytes(sent, received);
  };
  host.lifecycle.onIterationEnd(countBytes);
  host.lifecycle.onClose(() => {
    for (const socket of bytes.open()) socket.destroy();
    countBytes();
  });

  const certificateValue = (c: CertificateInfo): Record<string, unknown> => realm.object({
    subject: realm.object({ common_name: c.subject.common_name }),
    issuer: realm.object({ common_name: c.issuer.common_name }),
    issued: c.issued,
    expires: c.expires,
    fingerprint: c.fingerprint,
  });

  /** A promise of the script's realm, settled on the VU's loop (which it holds until then). */
  const promise = (work: (signal: AbortSignal) => Promise<CertificateInfo>): Promise<unknown> =>
    loopPromise(realm, loop, host.signal, work, { value: certificateValue, error: (e) => goErrorValue(realm, e instanceof Error ? e.message : String(e)) });

  function getCertificate(target?: unknown): Promise<unknown> {
    if (host.state.phase === 'init') {
      return promise(() => Promise.reject(new Error('getCertificate is not allowed to run from the Init Context')));
    }
    const label = goString(target);
    return promise(async (signal) => fetchCertificate(dialer, parseTarget(label), label, bytes, signal));
  }

  return { getCertificate };
}
