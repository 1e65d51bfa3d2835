// k6's SQSClient and SecretsManagerClient doc examples (jslib aws), with the endpoint pointing at the
// fake AWS server of test/engine-jslib-aws.test.ts, and the config read with AWSConfig.fromEnvironment.
import { check } from 'k6';
import crypto from 'k6/crypto';
import exec from 'k6/execution';

import { AWSConfig, SQSClient, SQSServiceError, InvalidSignatureError } from 'https://jslib.k6.io/aws/0.14.0/sqs.js';
import { SecretsManagerClient, SecretsManagerServiceError } from 'https://jslib.k6.io/aws/0.14.0/secrets-manager.js';

export const options = { iterations: 1 };

const awsConfig = AWSConfig.fromEnvironment({ endpoint: __ENV.AWS_ENDPOINT });
const sqs = new SQSClient(awsConfig);
const testQueue = 'https://sqs.us-east-1.amazonaws.com/000000000/test-queue';

const secretsManager = new SecretsManagerClient(awsConfig);
const testSecretName = 'jslib-test-secret';
const testSecretValue = 'jslib-test-value';

export async function setup() {
  // Let's make sure our test secret is created
  const testSecret = await secretsManager.createSecret(testSecretName, testSecretValue, 'this is a test secret, delete me.', undefined, [{ Key: 'team', Value: 'k6' }]);
  check(testSecret, { 'createSecret: a Secret': (s) => s.name === testSecretName && s.secret === testSecretValue && s.arn.startsWith('arn:aws:secretsmanager:') });

  // List the secrets, and verify the creation was successful (the doc example tests the opposite).
  const secrets = await secretsManager.listSecrets();
  if (secrets.filter((s) => s.name === testSecret.name).length == 0) {
    exec.test.abort('test secret not found');
  }
  check(secrets, { 'listSecrets: tags and dates': (s) => s.length === 1 && s[0].tags[0].Key === 'team' && typeof s[0].createdDate === 'number' && s[0].createdAt === s[0].createdDate });
}

export default async function () {
  // SQS: the SQSClient example.
  const queuesResponse = await sqs.listQueues();
  if (queuesResponse.urls.filter((q) => q === testQueue).length == 0) {
    exec.test.abort();
  }
  check(queuesResponse, {
    'listQueues: urls': (r) => r.urls.length === 2 && r.queueUrls === r.urls && JSON.stringify(Object.keys(r)) === '["urls","nextToken"]',
  });
  const prefixed = await sqs.listQueues({ queueNamePrefix: 'another' });
  check(prefixed, { 'listQueues: prefix': (r) => r.urls.length === 1 && r.urls[0].endsWith('/another-queue') });

  const sent = await sqs.sendMessage(testQueue, JSON.stringify({ value: '123' }), { messageAttributes: { kind: { type: 'String', value: 'test' } }, delaySeconds: 0 });
  check(sent, { 'sendMessage: id and MD5': (m) => typeof m.id === 'string' && m.bodyMD5 === crypto.md5('{"value":"123"}', 'hex') });

  // The sendMessageBatch example: two messages, plus an empty one AWS refuses.
  const batch = await sqs.sendMessageBatch(testQueue, [
    { messageId: '0', messageBody: 'test0' },
    { messageId: '1', messageBody: 'test1' },
    { messageId: '2', messageBody: '' },
  ]);
  check(batch, {
    'sendMessageBatch: successful and failed': (b) => b.successful.length === 2 && b.failed.length === 1
      && b.failed[0] instanceof SQSServiceError && b.failed[0].code === 'EmptyValue',
  });

  const messages = await sqs.receiveMessages(testQueue, { maxNumberOfMessages: 10, waitTimeSeconds: 2 });
  check(messages, {
    'receiveMessages: three messages': (m) => m.length === 3 && m[0].body === '{"value":"123"}' && m[0].messageId === sent.id && m[0].md5OfBody === sent.bodyMD5,
  });
  // The published jslib's positional form: attribute names, system attribute names, max, visibility, wait.
  await sqs.sendMessage(testQueue, 'positional');
  const positional = await sqs.receiveMessages(testQueue, ['All'], ['All'], 5, 0, 0);
  check(positional, { 'receiveMessages: positional arguments': (m) => m.length === 1 && m[0].body === 'positional' });
  await sqs.deleteMessage(testQueue, positional[0].receiptHandle);
  for (const message of messages) {
    await sqs.deleteMessage(testQueue, message.receiptHandle);
  }
  const none = await sqs.receiveMessages(testQueue);
  check(none, { 'receiveMessages: queue drained': (m) => Array.isArray(m) && m.length === 0 });

  let error;
  try {
    await sqs.sendMessage('https://sqs.us-east-1.amazonaws.com/000000000/nope', 'x');
  } catch (e) {
    error = e;
  }
  check(error, { 'SQSServiceError: QueueDoesNotExist': (e) => e instanceof SQSServiceError && e.code === 'QueueDoesNotExist' && e.message === 'The specified queue does not exist.' && e.operation === 'SendMessage' });

  const wrong = new SQSClient(new AWSConfig({ region: awsConfig.region, accessKeyId: awsConfig.accessKeyId, secretAccessKey: 'wrong', endpoint: awsConfig.endpoint }));
  let denied;
  try {
    await wrong.listQueues();
  } catch (e) {
    denied = e;
  }
  check(denied, { 'wrong secret: InvalidSignatureError': (e) => e instanceof InvalidSignatureError && e.code === 'InvalidSignatureException' });

  // Secrets Manager: the SecretsManagerClient example.
  const newTestSecretValue = 'new-test-value';
  await secretsManager.putSecretValue(testSecretName, newTestSecretValue);
  const updatedSecret = await secretsManager.getSecret(testSecretName);
  if (updatedSecret.secret !== newTestSecretValue) {
    exec.test.abort('unable to update test secret');
  }
  check(updatedSecret, { 'getSecret: updated': (s) => s.secret === newTestSecretValue && s.name === testSecretName });

  let missing;
  try {
    await secretsManager.getSecret('no-such-secret');
  } catch (e) {
    missing = e;
  }
  check(missing, { 'SecretsManagerServiceError: ResourceNotFoundException': (e) => e instanceof SecretsManagerServiceError && e.code === 'ResourceNotFoundException' });
}

export async function teardown() {
  // Finally, let's clean after ourselves and delete our test secret
  await secretsManager.deleteSecret(testSecretName, { noRecovery: true });
  const left = await secretsManager.listSecrets();
  check(left, { 'deleteSecret: gone': (s) => s.length === 0 });
}
