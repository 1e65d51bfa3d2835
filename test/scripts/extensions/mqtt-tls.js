// k6/x/mqtt over TLS (mqtts:// and its ssl:// alias) with k6's TLS options: the test's broker front
// has a self-signed certificate, accepted only with insecureSkipTLSVerify.
import { Client } from 'k6/x/mqtt';
import { check } from 'k6';

const base = __ENV.MQTT_TOPIC;

export const options = { iterations: 1, insecureSkipTLSVerify: __ENV.INSECURE === '1' };

export default function () {
  const client = new Client();
  const errors = [];
  client.on('error', (e) => errors.push(e.message));
  client.on('message', (topic, payload) => {
    check(new TextDecoder().decode(payload), { 'a message over TLS': (t) => t === 'secret' });
    client.end();
  });
  client.connect(__ENV.MQTTS_BROKER);
  if (!client.connected) {
    client.end();
    setTimeout(() => console.log(`tls error: ${errors[0]}`), 0);
    return;
  }
  client.subscribe(`${base}/tls`);
  client.publish(`${base}/tls`, 'secret');
}
