// k6's KMSClient, SystemsManagerClient, KinesisClient, EventBridgeClient and LambdaClient doc examples
// (jslib aws), with the endpoint pointing at the fake AWS server of test/engine-jslib-aws.test.ts.
import { check } from 'k6';
import encoding from 'k6/encoding';

import { AWSConfig, KMSClient, KMSServiceError, TCPError, NetworkError } from 'https://jslib.k6.io/aws/0.14.0/kms.js';
import { SystemsManagerClient, SystemsManagerServiceError } from 'https://jslib.k6.io/aws/0.14.0/ssm.js';
import { KinesisClient, KinesisServiceError } from 'https://jslib.k6.io/aws/0.14.0/kinesis.js';
import { EventBridgeClient } from 'https://jslib.k6.io/aws/0.14.0/event-bridge.js';
import { LambdaClient, LambdaInvocationError } from 'https://jslib.k6.io/aws/0.14.0/lambda.js';

export const options = { iterations: 1 };

const awsConfig = new AWSConfig({
  region: __ENV.AWS_REGION,
  accessKeyId: __ENV.AWS_ACCESS_KEY_ID,
  secretAccessKey: __ENV.AWS_SECRET_ACCESS_KEY,
  endpoint: __ENV.AWS_ENDPOINT,
});

const kms = new KMSClient(awsConfig);
const systemsManager = new SystemsManagerClient(awsConfig);
const kinesis = new KinesisClient(awsConfig);
const eventBridge = new EventBridgeClient(awsConfig);
const lambdaClient = new LambdaClient(awsConfig);

async function caught(p) {
  try {
    await p;
  } catch (e) {
    return e;
  }
  return undefined;
}

export async function setup() {
  // The KMSClient example: a data key made in setup.
  return { dataKey: await kms.generateDataKey('alias/k6-key', 32) };
}

export default async function (data) {
  // KMS
  check(data.dataKey, {
    'generateDataKey: 32 bytes': (k) => encoding.b64decode(k.plaintext).byteLength === 32 && k.id === 'arn:aws:kms:us-east-1:000000000000:key/key-1'
      && typeof k.ciphertextBlob === 'string',
  });
  const keys = await kms.listKeys();
  check(keys, { 'listKeys: KMSKey objects': (k) => k.length === 1 && k[0].keyId === 'key-1' && k[0].keyArn.endsWith(':key/key-1') });
  check(await caught(kms.generateDataKey('unknown', 16)), { 'KMSServiceError: NotFoundException': (e) => e instanceof KMSServiceError && e.code === 'NotFoundException' });

  // A transport failure: nothing listens on port 1.
  const unreachable = new KMSClient(new AWSConfig({ region: 'us-east-1', accessKeyId: awsConfig.accessKeyId, secretAccessKey: 'x', endpoint: 'http://127.0.0.1:1' }));
  check(await caught(unreachable.listKeys()), {
    'TCPError: connection refused': (e) => e instanceof TCPError && e instanceof NetworkError && e.name === 'TCPError' && e.code === 1212
      && e.message === 'Dial connection refused - the connection was refused by the other party on dial',
  });

  // Systems Manager
  const parameter = await systemsManager.getParameter('my-parameter');
  const { value: decrypted } = await systemsManager.getParameter('my-parameter', true);
  check(parameter, {
    'getParameter: a parameter': (p) => p.name === 'my-parameter' && p.value === 'AQICAHi-encrypted' && p.type === 'SecureString' && p.version === 3 && p.dataType === 'text',
    'getParameter: withDecryption': () => decrypted === 'plain value',
  });
  check(await caught(systemsManager.getParameter('nope')), { 'SystemsManagerServiceError: ParameterNotFound': (e) => e instanceof SystemsManagerServiceError && e.code === 'ParameterNotFound' });

  // Kinesis: the KinesisClient example.
  const testStreamName = 'test-stream';
  const streams = await kinesis.listStreams();
  if (!streams.streamNames.includes(testStreamName)) {
    await kinesis.createStream(testStreamName, { shardCount: 1 });
  }
  const records = [
    { data: JSON.stringify({ message: 'Hello from k6!' }), partitionKey: 'test-partition-1' },
    { data: JSON.stringify({ message: 'Another message' }), partitionKey: 'test-partition-2' },
  ];
  const putResult = await kinesis.putRecords(testStreamName, records);
  check(putResult, { 'putRecords: two records': (r) => r.failedRecordCount === 0 && r.records.length === 2 && r.records[0].shardId === 'shardId-000000000000' });
  const shards = await kinesis.listShards(testStreamName);
  check(shards, { 'listShards: one shard': (s) => s.shards.length === 1 && s.shards[0].hashKeyRange.startingHashKey === '0' });
  const shardIterator = await kinesis.getShardIterator(testStreamName, shards.shards[0].shardId, 'TRIM_HORIZON');
  const getResult = await kinesis.getRecords(shardIterator.shardIterator);
  check(getResult, {
    'getRecords: the records put': (r) => r.records.length === 2 && JSON.parse(r.records[0].data).message === 'Hello from k6!'
      && r.records[1].partitionKey === 'test-partition-2' && r.records[0].approximateArrivalTimestamp.getTime() === 1700000000250
      && typeof r.nextShardIterator === 'string',
  });
  await kinesis.createStream('my-test-stream', { streamModeDetails: { streamMode: 'ON_DEMAND' } });
  const all = await kinesis.listStreams();
  await kinesis.deleteStream('my-test-stream');
  check(all, { 'listStreams: both streams': (s) => s.streamNames.join() === 'test-stream,my-test-stream' && s.hasMoreStreams === false });
  check(await caught(kinesis.deleteStream('my-test-stream')), { 'KinesisServiceError: ResourceNotFoundException': (e) => e instanceof KinesisServiceError && e.code === 'ResourceNotFoundException' });

  // EventBridge: the EventBridgeClient example.
  const eventDetails = {
    Source: 'my.custom.source',
    Detail: { key1: 'value1', key2: 'value2' },
    DetailType: 'MyDetailType',
    Resources: ['arn:aws:resource1'],
  };
  check(await caught(eventBridge.putEvents({ Entries: [eventDetails] })), { 'putEvents: resolves': (e) => e === undefined });

  // Lambda: the LambdaClient example (the payload is the function's answer as text).
  const response = await lambdaClient.invoke('add-numbers', JSON.stringify({ x: 1, y: 2 }));
  check(response, {
    'status is 200': (r) => r.statusCode === 200,
    'payload is 3': (r) => r.payload === '3',
  });
  const tail = await lambdaClient.invoke('echo', '{"a":1}', { logType: 'Tail', qualifier: 'v2' });
  check(tail, { 'invoke: log tail and version': (r) => r.logResult === 'START echo\nEND echo\n' && r.executedVersion === 'v2' && JSON.parse(r.payload).echoed.a === 1 });
  const failed = await caught(lambdaClient.invoke('fail', '{}'));
  check(failed, {
    'LambdaInvocationError': (e) => e instanceof LambdaInvocationError && e.message === 'Unhandled: {"errorMessage":"it failed","errorType":"Error"}' && e.response.statusCode === 200,
  });
}
