// The built-in aws jslib end to end: k6's doc examples (test/scripts/jslib-aws-*.js) against a fake
// AWS endpoint on 127.0.0.1 that verifies every request's SigV4 signature (test/scripts/fake-aws.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { runScript } from './scripts/engine-harness.ts';
import { FAKE_AWS, startFakeAws, type FakeAws } from './scripts/fake-aws.ts';

let aws: FakeAws;
beforeAll(async () => {
  aws = await startFakeAws();
});
afterAll(async () => {
  await aws.close();
});

const env = (extra: Record<string, string> = {}) => ({
  env: {
    AWS_REGION: FAKE_AWS.region, AWS_ACCESS_KEY_ID: FAKE_AWS.accessKeyId, AWS_SECRET_ACCESS_KEY: FAKE_AWS.secretAccessKey,
    AWS_SESSION_TOKEN: FAKE_AWS.sessionToken, AWS_ENDPOINT: aws.url, ...extra,
  },
});

type Check = { name: string; passes: number; fails: number };
function checks(run: Awaited<ReturnType<typeof runScript>>): Check[] {
  const out: Check[] = [];
  const walk = (g: { checks: Check[]; groups: unknown[] }) => {
    out.push(...g.checks);
    for (const c of g.groups) walk(c as typeof g);
  };
  walk(run.result!.summaryData.root_group as unknown as { checks: Check[]; groups: unknown[] });
  return out;
}

describe('built-in aws jslib', () => {
  it('S3Client and SignatureV4: the doc examples against a fake S3 that checks every signature', async () => {
    const before = aws.requests.length;
    const run = await runScript('jslib-aws-s3.js', env());
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    const all = checks(run);
    expect(all.filter((c) => c.fails > 0)).toEqual([]);
    expect(all.map((c) => c.name)).toContain('presign: 200');
    expect(all.length).toBe(19);
    const seen = aws.requests.slice(before);
    // Only the client with the wrong secret was refused.
    expect(seen.filter((r) => r.signed === 'invalid').map((r) => r.operation)).toEqual(['InvalidSignature']);
    expect(seen.filter((r) => r.signed === 'query').map((r) => r.operation)).toEqual(['GetObject']);
    expect(seen.map((r) => r.operation)).toEqual(expect.arrayContaining([
      'ListBuckets', 'ListObjectsV2', 'GetObject', 'PutObject', 'CopyObject', 'DeleteObject',
      'CreateMultipartUpload', 'UploadPart', 'CompleteMultipartUpload', 'AbortMultipartUpload', 'NoSuchKey', 'NoSuchUpload',
    ]));
    expect(seen.filter((r) => r.signed === 'header' && r.headers['x-amz-security-token'] === undefined).map((r) => r.url)).toEqual(['/test-jslib-aws/bonjour.txt']);
    expect(seen.filter((r) => r.signed === 'header' && r.headers['x-amz-security-token'] !== FAKE_AWS.sessionToken)).toHaveLength(1);
    const put = seen.find((r) => r.operation === 'PutObject' && r.url.includes('quick.pdf'));
    expect(put?.headers['content-type']).toBe('application/pdf');
    expect(seen.find((r) => r.operation === 'CopyObject')?.url).toBe('/other-bucket/copied/bonjour.txt');
    expect(seen.find((r) => r.operation === 'CopyObject')?.headers['x-amz-copy-source']).toBe('test-jslib-aws/dir/bonjour%20%C3%A0%20tous%2B1.txt');
    // handleSummary uploaded the results; the requests are k6/http requests of the run.
    expect(run.stdout).toBe('uploaded\n');
    expect(JSON.parse(aws.objects().get('test-jslib-aws/results.json')?.toString() ?? 'null')).toMatchObject({ checks: { fails: 0 } });
    expect(run.result?.summaryData.metrics['http_reqs']?.values['count']).toBe(seen.length - 1);
    const multipart = seen.filter((r) => r.operation === 'UploadPart');
    expect(multipart.map((r) => r.headers['x-amz-content-sha256'])).toHaveLength(2);
    expect(createHash('sha256').update(aws.objects().get('test-jslib-aws/quick.pdf') ?? '').digest('hex'))
      .toBe(seen.find((r) => r.url.includes('quick.pdf') && r.operation === 'PutObject')?.headers['x-amz-content-sha256']);
  });

  it('SQSClient and SecretsManagerClient: the doc examples, AWSConfig.fromEnvironment, service errors', async () => {
    const before = aws.requests.length;
    const run = await runScript('jslib-aws-sqs-secrets.js', env());
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    const all = checks(run);
    expect(all.filter((c) => c.fails > 0)).toEqual([]);
    expect(all.length).toBe(14);
    const seen = aws.requests.slice(before);
    expect(seen.filter((r) => r.signed !== 'header').map((r) => r.operation)).toEqual(['InvalidSignature']);
    const send = seen.find((r) => r.operation === 'AmazonSQS.SendMessage');
    expect(send?.headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(JSON.parse(send?.body ?? '{}')).toEqual({
      QueueUrl: 'https://sqs.us-east-1.amazonaws.com/000000000/test-queue', MessageBody: '{"value":"123"}',
      MessageAttributes: { kind: { DataType: 'String', StringValue: 'test' } }, DelaySeconds: 0,
    });
    const receives = seen.filter((r) => r.operation === 'AmazonSQS.ReceiveMessage').map((r) => JSON.parse(r.body) as unknown);
    expect(receives).toEqual([
      { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/000000000/test-queue', MaxNumberOfMessages: 10, WaitTimeSeconds: 2, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] },
      { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/000000000/test-queue', MaxNumberOfMessages: 5, VisibilityTimeout: 0, WaitTimeSeconds: 0, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] },
      { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/000000000/test-queue', MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] },
    ]);
    expect(seen.filter((r) => r.operation === 'AmazonSQS.DeleteMessage')).toHaveLength(4);
    expect(JSON.parse(seen.find((r) => r.operation === 'secretsmanager.DeleteSecret')?.body ?? '{}')).toEqual({ SecretId: 'jslib-test-secret', ForceDeleteWithoutRecovery: true });
    expect(seen.find((r) => r.operation === 'secretsmanager.CreateSecret')?.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(seen.every((r) => r.service === 'sqs' || r.service === 'secretsmanager')).toBe(true);
  });

  it('KMS, Systems Manager, Kinesis, EventBridge and Lambda clients: the doc examples', async () => {
    const before = aws.requests.length;
    const run = await runScript('jslib-aws-services.js', env());
    // The unreachable client's request is logged as k6 logs any failed request.
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/level=warning msg="Request Failed" error="Post \\"http:\/\/127\.0\.0\.1:1\/\\": .*connection refused"$/)]);
    expect(run.exitCode).toBe(0);
    const all = checks(run);
    expect(all.filter((c) => c.fails > 0)).toEqual([]);
    expect(all.length).toBe(17);
    const seen = aws.requests.slice(before);
    expect(seen.every((r) => r.signed === 'header')).toBe(true);
    expect(new Set(seen.map((r) => r.service))).toEqual(new Set(['kms', 'ssm', 'kinesis', 'events', 'lambda']));
    const put = JSON.parse(seen.find((r) => r.operation === 'Kinesis_20131202.PutRecords')?.body ?? '{}') as { Records: { Data: string }[] };
    expect(Buffer.from(put.Records[0]?.Data ?? '', 'base64').toString()).toBe('{"message":"Hello from k6!"}');
    expect(JSON.parse(seen.find((r) => r.operation === 'AWSEvents.PutEvents')?.body ?? '{}')).toEqual({
      Entries: [{ Source: 'my.custom.source', Detail: '{"key1":"value1","key2":"value2"}', DetailType: 'MyDetailType', Resources: ['arn:aws:resource1'] }],
    });
    const tail = seen.find((r) => r.operation === 'Invoke echo');
    expect(tail?.url).toBe('/2015-03-31/functions/echo/invocations?Qualifier=v2');
    expect(tail?.headers['x-amz-log-type']).toBe('Tail');
    expect(tail?.headers['x-amz-invocation-type']).toBe('RequestResponse');
  });
});
