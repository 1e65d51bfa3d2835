// k6/x/mqtt failures: thrown GoErrors without an 'error' listener, MQTTError objects with one,
// argument checks, a refused broker, a blocked hostname, and what async methods throw at once.
import { Client } from 'k6/x/mqtt';
import { check } from 'k6';

const broker = __ENV.MQTT_BROKER;
const base = __ENV.MQTT_TOPIC;

export const options = {
  iterations: 1,
  blockHostnames: ['*.blocked.test'],
  thresholds: { checks: ['rate==1'] },
};

function thrown(fn) {
  try {
    fn();
    return 'nothing thrown';
  } catch (e) {
    return `${e.name}: ${e.message}`;
  }
}

export default function () {
  const lonely = new Client();
  check(thrown(() => lonely.publish(`${base}/x`, 'early')), {
    'publish before connect throws': (t) => t === 'GoError: MQTT error during publish: not connected',
  });
  check(thrown(() => lonely.publishAsync(`${base}/x`, 'early')), {
    'publishAsync before connect throws the bare cause': (t) => t === 'GoError: not connected',
  });
  check(thrown(() => lonely.subscribe(`${base}/x`)), {
    'subscribe before connect throws': (t) => t === 'GoError: MQTT error during subscribe: not connected',
  });
  check(thrown(() => lonely.connect(42)), {
    'connect with a number throws': (t) => t === 'GoError: invalid type: expected string or object',
  });
  check(thrown(() => lonely.connect(broker, 'fast')), {
    'connect with string options throws': (t) => t === 'GoError: invalid type: expected object',
  });
  check(thrown(() => lonely.connect('mqtt://broker.blocked.test:1883')), {
    'a blocked hostname is refused before dialling': (t) => t === 'GoError: hostname (broker.blocked.test) is in a blocked pattern (*.blocked.test)',
  });
  check(thrown(() => lonely.connect('mqtt://127.0.0.1:1')), {
    'a refused connection throws paho’s text': (t) => t === 'GoError: MQTT error during connect: network Error : dial tcp 127.0.0.1:1: connect: connection refused',
  });
  lonely.end();

  const errors = [];
  const client = new Client();
  client.on('error', (e) => {
    errors.push(`${e.name}/${e.method}: ${e.message}`);
  });
  client.on('bogus', () => undefined);
  client.connect('mqtt://127.0.0.1:1');
  check(client.connected, { 'a handled connect failure returns normally': (c) => c === false });
  client.connect(broker);
  client.publish(`${base}/x`, 42);
  client.subscribe(7);
  client.subscribe(`${base}/#/deeper`);
  client.unsubscribe({ not: 'a topic' });
  client.publish(`${base}/x`, 'bad qos', { qos: 3 });
  check(thrown(() => client.publishAsync(`${base}/x`, 42)), {
    'publishAsync throws argument errors at once': (t) => t === 'GoError: invalid type: String or ArrayBuffer expected',
  });
  client.end();
  // The listeners run on the VU's loop once the iteration's code is done: wait for the six (up to 5 s,
  // however loaded the machine is), then check them all.
  const waitedFrom = Date.now();
  const verify = () => {
    if (errors.length < 6 && Date.now() - waitedFrom < 5000) {
      setTimeout(verify, 20);
      return;
    }
    const ok = check(errors, {
      'the error listener got MQTTErrors': (e) => JSON.stringify(e) === JSON.stringify([
        'MQTTError/connect: network Error : dial tcp 127.0.0.1:1: connect: connection refused',
        'MQTTError/publish: invalid type: String or ArrayBuffer expected',
        'MQTTError/subscribe: invalid type: String or Array of String or Object expected',
        'MQTTError/subscribe: invalid Topic; multi-level wildcard must be last level',
        'MQTTError/unsubscribe: invalid type: String or Array of String expected',
        'MQTTError/publish: invalid QoS',
      ]),
    });
    if (!ok) console.error(`the error listener got ${JSON.stringify(errors)}`);
  };
  setTimeout(verify, 20);
}
