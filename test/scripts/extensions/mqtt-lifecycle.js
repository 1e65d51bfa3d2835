// k6/x/mqtt's lifecycle: end() without connect() fires 'end'; reconnect() starts a fresh clean
// session (subscriptions gone, 'connect' again); a credentials provider is asked at each connect; a
// client made in the init context holds the iteration only from its connect(); a client whose
// connection the broker drops (another client takes its id) reconnects by itself, firing 'reconnect',
// and meanwhile counts as connected.
import { Client } from 'k6/x/mqtt';
import { check } from 'k6';

const broker = __ENV.MQTT_BROKER;
const base = __ENV.MQTT_TOPIC;
const initClient = new Client({ tags: { made: 'init' } });

export const options = { iterations: 1, thresholds: { checks: ['rate==1'] } };

export default function () {
  const log = [];

  const unused = new Client();
  unused.on('end', () => log.push('unused end'));
  unused.end();

  let asked = 0;
  const client = new Client({
    credentials_provider: () => {
      asked++;
      return { username: `user${asked}`, password: 'secret' };
    },
  });
  let connects = 0;
  client.on('connect', () => log.push(`connect ${++connects}`));
  client.on('message', (topic, payload) => log.push(`message ${new TextDecoder().decode(payload)}`));
  client.connect(broker);
  client.subscribe(`${base}/re`);
  client.reconnect();
  check(client.connected, { 'connected after reconnect()': (c) => c === true });
  // A clean session: the subscription went with the old connection.
  client.publish(`${base}/re`, 'unheard', { qos: 1 });
  client.subscribe(`${base}/re`);
  client.publish(`${base}/re`, 'heard', { qos: 1 });
  check(asked, { 'the credentials provider is asked at each connection': (n) => n === 2 });

  initClient.connect(broker);
  initClient.end();

  const id = `${base.replace(/\//g, '-')}-twin`;
  const first = new Client({ client_id: id });
  let firstConnects = 0;
  let second;
  first.on('reconnect', () => log.push('first reconnect'));
  first.on('connect', () => {
    firstConnects++;
    if (firstConnects === 1) {
      // Same client id: the broker drops the first connection.
      second = new Client({ client_id: id });
      second.connect(broker);
      // Dropped, and reconnecting a second later: paho still counts the client as connected, drops a
      // QoS 0 publish and refuses subscriptions.
      setTimeout(() => {
        let refused = '';
        try {
          first.subscribe(`${base}/meanwhile`);
        } catch (e) {
          refused = e.message;
        }
        check(first, {
          'connected while reconnecting': (c) => c.connected === true,
          'a QoS 0 publish while reconnecting returns': (c) => c.publish(`${base}/meanwhile`, 'dropped') === undefined,
          'subscribing while reconnecting fails': () => refused === 'MQTT error during subscribe: not currently connected and ResumeSubs not set',
        });
      }, 300);
    } else {
      log.push('first connect again');
      second.end();
      first.end();
    }
  });
  first.connect(broker);

  client.end();
  // The twin clients end last: the checks run in the first one's 'end' listener.
  first.on('end', () => {
    check(log, {
      'lifecycle events': (l) => JSON.stringify(l.filter((x) => x !== 'first reconnect')) === JSON.stringify([
        'unused end', 'connect 1', 'connect 2', 'message heard', 'first connect again',
      ]),
      'the dropped client reconnected by itself': (l) => l.includes('first reconnect'),
    });
  });
}
