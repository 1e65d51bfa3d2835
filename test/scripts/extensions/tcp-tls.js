// k6/x/tcp with tls: true against the test's TLS echo server (TLS_PORT, a self-signed certificate for
// localhost): with insecureSkipTLSVerify the echo comes back; without, the handshake fails as in k6.
import { Socket } from 'k6/x/tcp';
import { check } from 'k6';

const insecure = __ENV.INSECURE === '1';
export const options = { iterations: 1, insecureSkipTLSVerify: insecure };

export default async function () {
  const socket = new Socket();
  let echoed = '';
  const closed = new Promise((resolve) => socket.on('close', resolve));
  socket.on('data', (d) => {
    echoed += new TextDecoder().decode(d);
    socket.destroy();
  });
  const failed = await socket.connect({ port: Number(__ENV.TLS_PORT), host: 'localhost', tls: true }).then(() => undefined, (e) => String(e));
  if (insecure) {
    await socket.write('over tls');
    await closed;
    check(echoed, { 'echo over TLS': (t) => t === 'over tls' });
  } else {
    socket.destroy();
    check(failed, { 'unverified certificate': (t) => t === 'TCP error during connect: TLS handshake failed: tls: failed to verify certificate: x509: certificate signed by unknown authority' });
  }
}
