import { describe, expect, it } from 'vitest';
import { connectErrorText } from './mqtt-connection.ts';

const address = { scheme: 'mqtt', host: '127.0.0.1', port: 1883, path: '/' } as const;

describe('k6/x/mqtt connect failures in paho’s words', () => {
  it('names a refused CONNACK by paho’s ConnErrors', () => {
    expect(connectErrorText(Object.assign(new Error('Connection refused: Bad username or password'), { code: 4 }), address)).toBe('bad user name or password');
    expect(connectErrorText(Object.assign(new Error('Connection refused: Not authorized'), { code: 5 }), address)).toBe('not Authorized');
    expect(connectErrorText(Object.assign(new Error('x'), { code: 2 }), address)).toBe('identifier rejected');
  });

  it('wraps dial errors as paho’s network errors', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1883'), { code: 'ECONNREFUSED', address: '127.0.0.1', port: 1883 });
    expect(connectErrorText(refused, address)).toBe('network Error : dial tcp 127.0.0.1:1883: connect: connection refused');
  });

  it('tells a dial timeout from a CONNACK that never came', () => {
    expect(connectErrorText(undefined, address)).toBe('network Error : dial tcp 127.0.0.1:1883: i/o timeout');
    expect(connectErrorText(new Error('connack timeout'), address, { local: '127.0.0.1:50000', remote: '127.0.0.1:1883' }))
      .toBe('network Error : read tcp 127.0.0.1:50000->127.0.0.1:1883: i/o timeout');
  });
});
