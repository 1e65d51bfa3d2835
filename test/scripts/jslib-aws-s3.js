// k6's S3Client and SignatureV4 doc examples (jslib aws), with the endpoint pointing at the fake AWS
// server of test/engine-jslib-aws.test.ts. Results are recorded through checks.
import { check } from 'k6';
import crypto from 'k6/crypto';
import exec from 'k6/execution';
import http from 'k6/http';

import { AWSConfig, S3Client, S3ServiceError, InvalidSignatureError, AWSError } from 'https://jslib.k6.io/aws/0.14.0/s3.js';
import { Endpoint, SignatureV4, AMZ_CONTENT_SHA256_HEADER, UNSIGNED_PAYLOAD } from 'https://jslib.k6.io/aws/0.14.0/signature.js';

export const options = { iterations: 1 };

const awsConfig = new AWSConfig({
  region: __ENV.AWS_REGION,
  accessKeyId: __ENV.AWS_ACCESS_KEY_ID,
  secretAccessKey: __ENV.AWS_SECRET_ACCESS_KEY,
  sessionToken: __ENV.AWS_SESSION_TOKEN,
  endpoint: __ENV.AWS_ENDPOINT,
});

const s3 = new S3Client(awsConfig);
const testBucketName = 'test-jslib-aws';
const testInputFileKey = 'productIDs.json';
const testOutputFileKey = 'results.json';

export async function setup() {
  // If our test bucket does not exist, abort the execution.
  const buckets = await s3.listBuckets();
  if (buckets.filter((b) => b.name === testBucketName).length == 0) {
    exec.test.abort();
  }
  check(buckets, {
    'listBuckets: both buckets': (b) => b.length === 2 && b[1].name === 'other-bucket',
    'listBuckets: creation date': (b) => b[0].creationDate === Date.parse('2024-01-02T03:04:05Z'),
    'listBuckets: an array of the script': (b) => b instanceof Array && Array.isArray(b),
  });

  // If our test object does not exist, abort the execution.
  const objects = await s3.listObjects(testBucketName);
  if (objects.filter((o) => o.key === testInputFileKey).length == 0) {
    exec.test.abort();
  }
  check(objects, {
    'listObjects: keys, sizes, etags': (o) => o.length === 2 && o[0].key === testInputFileKey && o[0].size === 15
      && o[0].etag === '"' + crypto.md5('[101, 102, 103]', 'hex') + '"' && o[0].storageClass === 'STANDARD'
      && o[0].lastModified === Date.parse('2024-02-03T04:05:06Z'),
  });
  const prefixed = await s3.listObjects(testBucketName, 'bon');
  check(prefixed, { 'listObjects: prefix': (o) => o.length === 1 && o[0].key === 'bonjour.txt' });

  // Download the S3 object containing our test data
  const inputObject = await s3.getObject(testBucketName, testInputFileKey);
  check(inputObject, {
    'getObject: data and metadata': (o) => o.data === '[101, 102, 103]' && o.size === 15 && o.key === testInputFileKey
      && o.storageClass === 'STANDARD' && o.lastModified === Date.parse('2024-02-03T04:05:06Z'),
  });

  return { productIDs: JSON.parse(inputObject.data) };
}

export default async function (data) {
  check(data, { 'setup data': (d) => d.productIDs.join(',') === '101,102,103' });

  // putObject with params, then the binary download of getObject's doc example.
  const bytes = new Uint8Array([0, 1, 2, 250, 251, 252]).buffer;
  const uploaded = await s3.putObject(testBucketName, 'quick.pdf', bytes, { contentType: 'application/pdf', contentLength: 6 });
  check(uploaded, { 'putObject: etag (eTag in the docs)': (u) => u.eTag === '"' + crypto.md5(bytes, 'hex') + '"' && u.etag === u.eTag && u.checksumType === 'FULL_OBJECT' && u.key === 'quick.pdf' });
  const s3Object = await s3.getObject(testBucketName, 'quick.pdf', { Accept: 'application/octet-stream' });
  check(s3Object, { 'getObject: binary': (o) => o.data instanceof ArrayBuffer && o.data.byteLength === 6 && new Uint8Array(o.data)[4] === 251 });

  // copyObject's example, a key that needs escaping.
  await s3.putObject(testBucketName, 'dir/bonjour à tous+1.txt', 'Bonjour à tous!');
  await s3.copyObject(testBucketName, 'dir/bonjour à tous+1.txt', 'other-bucket', 'copied/bonjour.txt');
  const copied = await s3.getObject('other-bucket', 'copied/bonjour.txt');
  check(copied, { 'copyObject: copied': (o) => o.data === 'Bonjour à tous!' });
  await s3.deleteObject('other-bucket', 'copied/bonjour.txt');

  // The multipart example (12 MiB of random bytes in two 6 MiB parts).
  const bigFile = crypto.randomBytes(12 * 1024 * 1024);
  const multipartUpload = await s3.createMultipartUpload(testBucketName, 'multipart.txt');
  const firstPart = await s3.uploadPart(testBucketName, 'multipart.txt', multipartUpload.uploadId, 1, bigFile.slice(0, 6 * 1024 * 1024));
  const secondPart = await s3.uploadPart(testBucketName, 'multipart.txt', multipartUpload.uploadId, 2, bigFile.slice(6 * 1024 * 1024, 12 * 1024 * 1024));
  await s3.completeMultipartUpload(testBucketName, 'multipart.txt', multipartUpload.uploadId, [firstPart, secondPart]);
  const obj = await s3.getObject(testBucketName, 'multipart.txt', { Accept: 'application/octet-stream' });
  check(obj, {
    'multipart: reassembled': (o) => o.data.byteLength === 12 * 1024 * 1024 && crypto.sha256(o.data, 'hex') === crypto.sha256(bigFile, 'hex'),
    'multipart: part objects': () => firstPart.partNumber === 1 && secondPart.partNumber === 2 && typeof multipartUpload.uploadId === 'string' && multipartUpload.key === 'multipart.txt',
  });
  await s3.deleteObject(testBucketName, 'multipart.txt');
  const aborted = await s3.createMultipartUpload(testBucketName, 'aborted.txt');
  await s3.abortMultipartUpload(testBucketName, 'aborted.txt', aborted.uploadId);
  let abortedAgain;
  try {
    await s3.abortMultipartUpload(testBucketName, 'aborted.txt', aborted.uploadId);
  } catch (e) {
    abortedAgain = e;
  }
  check(abortedAgain, { 'abortMultipartUpload: twice is NoSuchUpload': (e) => e instanceof S3ServiceError && e.code === 'NoSuchUpload' && e.operation === 'AbortMultipartUpload' });

  // Errors: a missing key, a wrong secret.
  let missing;
  try {
    await s3.getObject(testBucketName, 'missing.txt');
  } catch (e) {
    missing = e;
  }
  check(missing, {
    'getObject: S3ServiceError': (e) => e instanceof S3ServiceError && e instanceof AWSError && e instanceof Error
      && e.name === 'S3ServiceError' && e.code === 'NoSuchKey' && e.message === 'The specified key does not exist.' && e.operation === 'GetObject',
  });
  const wrong = new S3Client(new AWSConfig({ region: awsConfig.region, accessKeyId: awsConfig.accessKeyId, secretAccessKey: 'not-the-secret', endpoint: awsConfig.endpoint }));
  let denied;
  try {
    await wrong.listBuckets();
  } catch (e) {
    denied = e;
  }
  check(denied, { 'wrong secret: InvalidSignatureError': (e) => e instanceof InvalidSignatureError && e.code === 'SignatureDoesNotMatch' });

  // The SignatureV4 examples: sign and presign a GET of an object, sent with k6/http.
  const signer = new SignatureV4({
    service: 's3',
    region: awsConfig.region,
    credentials: { accessKeyId: awsConfig.accessKeyId, secretAccessKey: awsConfig.secretAccessKey, sessionToken: awsConfig.sessionToken },
    uriEscapePath: false,
    applyChecksum: true,
  });
  const signedRequest = signer.sign(
    { method: 'GET', endpoint: new Endpoint(__ENV.AWS_ENDPOINT), path: '/test-jslib-aws/bonjour.txt', query: { abc: '123', 'easy as': ['do', 're', 'mi'] }, headers: {}, body: null },
    { signingDate: new Date(), signingService: 's3', signingRegion: awsConfig.region },
  );
  const signedRes = http.get(signedRequest.url, { headers: signedRequest.headers });
  check(signedRes, { 'sign: 200': (r) => r.status === 200 && r.body === 'Bonjour, le monde!' });

  const presignedRequest = signer.presign(
    { method: 'GET', endpoint: new Endpoint(__ENV.AWS_ENDPOINT), path: '/test-jslib-aws/bonjour.txt', headers: { [AMZ_CONTENT_SHA256_HEADER]: UNSIGNED_PAYLOAD } },
    {
      expiresIn: 86400,
      unhoistableHeaders: new Set([AMZ_CONTENT_SHA256_HEADER]),
      unsignableHeaders: new Set([AMZ_CONTENT_SHA256_HEADER]),
      signableHeaders: new Set(),
      signingDate: new Date(),
      signingService: 's3',
      signingRegion: 'us-east-1',
    },
  );
  // The http-authentication example: the request named by protocol, hostname (and port) rather than an Endpoint.
  const local = new Endpoint(__ENV.AWS_ENDPOINT);
  const legacy = new SignatureV4({ service: 's3', region: awsConfig.region, credentials: { accessKeyId: awsConfig.accessKeyId, secretAccessKey: awsConfig.secretAccessKey } })
    .sign({ method: 'GET', protocol: local.protocol, hostname: local.hostname, port: local.port, path: '/test-jslib-aws/bonjour.txt', headers: {}, uriEscapePath: false, applyChecksum: false },
      { signingDate: new Date(), signingService: 's3', signingRegion: 'us-east-1' });
  check(http.get(legacy.url, { headers: legacy.headers }), { 'sign: protocol and hostname': (r) => r.status === 200 && legacy.url === __ENV.AWS_ENDPOINT + '/test-jslib-aws/bonjour.txt' });

  const presignedRes = http.get(presignedRequest.url, { headers: presignedRequest.headers });
  check(presignedRes, {
    'presign: 200': (r) => r.status === 200 && r.body === 'Bonjour, le monde!',
    'presign: query holds the signature': () => /X-Amz-Signature=[0-9a-f]{64}/.test(presignedRequest.url) && presignedRequest.url.includes('X-Amz-Expires=86400')
      && presignedRequest.url.includes('X-Amz-Security-Token='),
  });
}

export async function handleSummary(data) {
  // Once the load test is over, let's upload the results to our S3 bucket.
  await s3.putObject(testBucketName, testOutputFileKey, JSON.stringify({ checks: data.metrics.checks.values }));
  return { stdout: 'uploaded\n' };
}
