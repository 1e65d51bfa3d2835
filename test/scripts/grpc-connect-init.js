// client.connect() in the init context is an init error, as in k6.
import grpc from 'k6/net/grpc';

const client = new grpc.Client();
client.connect(__ENV.GRPC, { plaintext: true });

export default () => {};
