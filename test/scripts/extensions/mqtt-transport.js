// k6/x/mqtt over the transports of BROKER_URL: mqtts:// (and its ssl:// alias) with k6's TLS
// options, where the test's broker front has a self-signed certificate accepted only with
// insecureSkipTLSVerify; ws:// through the test's WebSocket bridge.
import { Client } from 'k6/x/mqtt';
import { check } from 'k6';

const base = __ENV.MQTT_TOPIC;

export const options = { iterations: 1, insecureSkipTLSVerify: __ENV.INSECURE === '1' };

export default function () {
  const client = new Client();
  const errors = [];
  client.on('error', (e) => errors.push(e.message));
  client.on('message', (topic, payload) => {
    check(new TextDecoder().decode(payload), { 'a message round trip': (t) => t === 'secret' });
    client.end();
  });
  client.connect(__ENV.BROKER_URL);
  if (!client.connected) {
    client.end();
    setTimeout(() => console.log(`connect error: ${errors[0]}`), 0);
    return;
  }
  client.subscribe(`${base}/tls`);
  client.publish(`${base}/tls`, 'secret');
}
