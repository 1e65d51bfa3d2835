// k6/x/mqtt round trips with blocking calls: string, ArrayBuffer and Uint8Array payloads at every
// QoS, a retained message seen by a later subscriber, subscriptions by array and by object.
import { Client, QoS } from 'k6/x/mqtt';
import { check } from 'k6';
import { Counter } from 'k6/metrics';

const broker = __ENV.MQTT_BROKER;
const base = __ENV.MQTT_TOPIC;

export const options = {
  iterations: 1,
  thresholds: { checks: ['rate==1'], mqtt_errors: ['count==0'], seen_messages: ['count==5'] },
};

const seen = new Counter('seen_messages');

export default function () {
  const received = [];
  const client = new Client({ client_id: `${base}-pubsub`, tags: { side: 'publisher' } });

  client.on('connect', () => {
    check(client.connected, { 'connected in the connect event': (c) => c === true });
    client.subscribe([`${base}/text`, `${base}/bin`]);
    client.subscribe({ [`${base}/u8`]: { qos: QoS.ExactlyOnce } });
    client.publish(`${base}/text`, 'plain text');
    client.publish(`${base}/text`, 'at least once', { qos: QoS.AtLeastOnce });
    client.publish(`${base}/bin`, new Uint8Array([0, 1, 254, 255]).buffer, { qos: 2 });
    client.publish(`${base}/u8`, new Uint8Array([7, 8, 9]), { qos: 1, tags: { kind: 'typed' } });
    client.publish(`${base}/retained`, 'kept by the broker', { qos: 1, retain: true });
  });

  client.on('message', (topic, payload) => {
    seen.add(1);
    received.push(`${topic.slice(base.length)}=${payload instanceof ArrayBuffer ? Array.from(new Uint8Array(payload)).join(',') : typeof payload}`);
    if (received.length === 4) {
      check(received.sort(), {
        'every payload arrived as bytes': (r) => JSON.stringify(r) === JSON.stringify([
          '/bin=0,1,254,255',
          '/text=112,108,97,105,110,32,116,101,120,116',
          '/text=97,116,32,108,101,97,115,116,32,111,110,99,101',
          '/u8=7,8,9',
        ].sort()),
      });
      client.end();
      readRetained();
    }
  });

  client.on('end', () => {
    check(client.connected, { 'not connected in the end event': (c) => c === false });
  });

  check(client.connected, { 'not connected before connect()': (c) => c === false });
  client.connect(broker, { tags: { leg: 'main' } });
  check(client.connected, { 'connected once connect() returned': (c) => c === true });
}

function readRetained() {
  const late = new Client();
  late.on('message', (topic, payload) => {
    seen.add(1);
    check(new TextDecoder().decode(payload), { 'a late subscriber gets the retained message': (t) => t === 'kept by the broker' });
    // Clear the retained message.
    late.unsubscribe(topic);
    late.publish(topic, "", { retain: true });
    late.end();
  });
  late.connect(broker);
  late.subscribe(`${base}/retained`, { qos: 1 });
}
