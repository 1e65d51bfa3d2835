// A fake AWS endpoint on 127.0.0.1 for the aws jslib's end-to-end tests. Every request must carry a
// valid SigV4 signature (Authorization header, or a presigned query) made with the one secret it knows:
// it recomputes the signature from what arrived on the wire, independently of the library, and answers
// a mismatch as AWS does (S3: 403 SignatureDoesNotMatch XML; JSON services: 400
// InvalidSignatureException). Behind that, just enough of S3 (REST + XML), SQS (AWS JSON 1.0), Secrets
// Manager, KMS, SSM, Kinesis, EventBridge (AWS JSON 1.1) and Lambda Invoke to run k6's doc examples.
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenLocal } from './local-listen.ts';

export const FAKE_AWS = {
  region: 'us-east-1',
  accessKeyId: 'AKIAFAKEACCESSKEY01',
  secretAccessKey: 'fake/secret+access+key/0123456789abcdef',
  sessionToken: 'fake-session-token',
};

export interface FakeAwsRequest {
  service: string;
  operation: string;
  method: string;
  url: string;
  signed: 'header' | 'query' | 'invalid';
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface FakeAws {
  url: string;
  requests: FakeAwsRequest[];
  /** S3 objects as stored: `bucket/key` → bytes. */
  objects(): Map<string, Buffer>;
  close(): Promise<void>;
}

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const md5 = (b: Buffer | string) => createHash('md5').update(b).digest('hex');
const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const xmlText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

interface Verdict { ok: true; service: string; how: 'header' | 'query' }
interface Failure { ok: false; code: string; message: string; service: string }

/** Checks the request's SigV4 signature against FAKE_AWS's secret, from the raw request. */
function verify(req: IncomingMessage, body: Buffer): Verdict | Failure {
  const raw = req.url ?? '/';
  const q = raw.indexOf('?');
  const rawPath = q < 0 ? raw : raw.slice(0, q);
  const pairs = (q < 0 ? '' : raw.slice(q + 1)).split('&').filter((p) => p !== '').map((p) => {
    const eq = p.indexOf('=');
    return eq < 0 ? [decodeURIComponent(p), ''] : [decodeURIComponent(p.slice(0, eq)), decodeURIComponent(p.slice(eq + 1))];
  }) as [string, string][];
  const query = new Map(pairs);
  const presigned = query.has('X-Amz-Signature');
  let credential: string;
  let signedHeaders: string;
  let signature: string;
  let amzDate: string | undefined;
  if (presigned) {
    credential = query.get('X-Amz-Credential') ?? '';
    signedHeaders = query.get('X-Amz-SignedHeaders') ?? '';
    signature = query.get('X-Amz-Signature') ?? '';
    amzDate = query.get('X-Amz-Date');
  } else {
    const m = /^AWS4-HMAC-SHA256 Credential=([^,]+), SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(String(req.headers.authorization ?? ''));
    if (m === null) return { ok: false, code: 'IncompleteSignature', message: 'missing or malformed Authorization header', service: '' };
    [, credential = '', signedHeaders = '', signature = ''] = m;
    amzDate = req.headers['x-amz-date'] as string | undefined;
  }
  const [keyId, date, region, service = ''] = credential.split('/');
  if (keyId !== FAKE_AWS.accessKeyId) return { ok: false, code: 'InvalidAccessKeyId', message: `unknown access key ${String(keyId)}`, service };
  if (amzDate === undefined || !amzDate.startsWith(date ?? '-')) return { ok: false, code: 'IncompleteSignature', message: 'x-amz-date does not match the scope', service };
  if (!signedHeaders.split(';').includes('host')) return { ok: false, code: 'IncompleteSignature', message: 'host is not signed', service };
  const token = presigned ? query.get('X-Amz-Security-Token') : req.headers['x-amz-security-token'];
  if (token !== undefined && token !== FAKE_AWS.sessionToken) return { ok: false, code: 'InvalidClientTokenId', message: 'bad session token', service };
  const canonicalUri = service === 's3' ? rawPath : rawPath.split('/').map(rfc3986).join('/');
  const canonicalQuery = pairs.filter(([k]) => k !== 'X-Amz-Signature').map(([k, v]) => [rfc3986(k), rfc3986(v)])
    .sort((a, b) => (a[0] === b[0] ? (a[1]! < b[1]! ? -1 : 1) : a[0]! < b[0]! ? -1 : 1)).map(([k, v]) => `${k}=${v}`).join('&');
  const canonicalHeaders = signedHeaders.split(';').map((h) => `${h}:${String(req.headers[h] ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  const declared = req.headers['x-amz-content-sha256'] as string | undefined;
  if (declared !== undefined && declared !== 'UNSIGNED-PAYLOAD' && declared !== sha256(body)) {
    return { ok: false, code: 'XAmzContentSHA256Mismatch', message: 'the body does not match x-amz-content-sha256', service };
  }
  const payloadHash = declared ?? (presigned && service === 's3' ? 'UNSIGNED-PAYLOAD' : sha256(body));
  const canonicalRequest = [req.method, canonicalUri, canonicalQuery, canonicalHeaders, signedHeaders, payloadHash].join('\n');
  const scope = `${String(date)}/${String(region)}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  let key: Buffer = createHmac('sha256', `AWS4${FAKE_AWS.secretAccessKey}`).update(String(date)).digest();
  for (const part of [String(region), service, 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
  const expected = createHmac('sha256', key).update(stringToSign).digest('hex');
  if (expected !== signature) {
    return { ok: false, code: 'SignatureDoesNotMatch', message: 'The request signature we calculated does not match the signature you provided.', service };
  }
  return { ok: true, service, how: presigned ? 'query' : 'header' };
}

export async function startFakeAws(): Promise<FakeAws> {
  const requests: FakeAwsRequest[] = [];
  const buckets = new Map<string, { created: Date; objects: Map<string, { data: Buffer; modified: Date; type?: string }> }>();
  buckets.set('test-jslib-aws', { created: new Date('2024-01-02T03:04:05Z'), objects: new Map() });
  buckets.get('test-jslib-aws')!.objects.set('productIDs.json', { data: Buffer.from('[101, 102, 103]'), modified: new Date('2024-02-03T04:05:06Z') });
  buckets.get('test-jslib-aws')!.objects.set('bonjour.txt', { data: Buffer.from('Bonjour, le monde!'), modified: new Date('2024-02-03T04:05:06Z') });
  buckets.set('other-bucket', { created: new Date('2024-05-06T07:08:09Z'), objects: new Map() });
  const uploads = new Map<string, { bucket: string; key: string; parts: Map<number, Buffer> }>();
  const queues = new Map<string, { id: string; body: string; handle?: string }[]>();
  const queueUrl = (name: string) => `https://sqs.us-east-1.amazonaws.com/000000000/${name}`;
  queues.set(queueUrl('test-queue'), []);
  queues.set(queueUrl('another-queue'), []);
  const secrets = new Map<string, { value: string; created: number; tags?: unknown; description?: string; version: string }>();
  const streams = new Map<string, { mode: string; records: { seq: string; data: string; key: string; at: number }[] }>();
  const events: unknown[] = [];

  const s3Error = (res: ServerResponse, status: number, code: string, message: string) =>
    res.writeHead(status, { 'content-type': 'application/xml' })
      .end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xmlText(message)}</Message><RequestId>1</RequestId></Error>`);
  const xml = (res: ServerResponse, body: string) => res.writeHead(200, { 'content-type': 'application/xml' }).end(`<?xml version="1.0" encoding="UTF-8"?>\n${body}`);
  const jsonError = (res: ServerResponse, ct: string, type: string, message: string, status = 400) =>
    res.writeHead(status, { 'content-type': ct, 'x-amzn-errortype': type }).end(JSON.stringify({ __type: type, message }));

  function s3(req: IncomingMessage, res: ServerResponse, body: Buffer, url: URL): string {
    const [, bucketName = '', ...rest] = url.pathname.split('/');
    const bucket = decodeURIComponent(bucketName);
    const key = rest.map(decodeURIComponent).join('/');
    const method = req.method ?? 'GET';
    if (bucket === '' && method === 'GET') {
      xml(res, `<ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>1</ID></Owner><Buckets>${[...buckets].map(([n, b]) =>
        `<Bucket><Name>${n}</Name><CreationDate>${b.created.toISOString()}</CreationDate></Bucket>`).join('')}</Buckets></ListAllMyBucketsResult>`);
      return 'ListBuckets';
    }
    const b = buckets.get(bucket);
    if (b === undefined) {
      s3Error(res, 404, 'NoSuchBucket', 'The specified bucket does not exist');
      return 'NoSuchBucket';
    }
    if (key === '' && method === 'GET') {
      if (url.searchParams.get('list-type') !== '2') throw new Error('expected ListObjectsV2');
      const prefix = url.searchParams.get('prefix') ?? '';
      const contents = [...b.objects].filter(([k]) => k.startsWith(prefix)).map(([k, o]) =>
        `<Contents><Key>${xmlText(k)}</Key><LastModified>${o.modified.toISOString()}</LastModified><ETag>"${md5(o.data)}"</ETag><Size>${o.data.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`);
      xml(res, `<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${bucket}</Name><Prefix>${xmlText(prefix)}</Prefix><KeyCount>${contents.length}</KeyCount>${contents.join('')}</ListBucketResult>`);
      return 'ListObjectsV2';
    }
    const uploadId = url.searchParams.get('uploadId');
    if (method === 'POST' && url.searchParams.has('uploads')) {
      const id = randomUUID();
      uploads.set(id, { bucket, key, parts: new Map() });
      xml(res, `<InitiateMultipartUploadResult><Bucket>${bucket}</Bucket><Key>${xmlText(key)}</Key><UploadId>${id}</UploadId></InitiateMultipartUploadResult>`);
      return 'CreateMultipartUpload';
    }
    if (uploadId !== null) {
      const upload = uploads.get(uploadId);
      if (upload === undefined || upload.bucket !== bucket || upload.key !== key) {
        s3Error(res, 404, 'NoSuchUpload', 'The specified upload does not exist.');
        return 'NoSuchUpload';
      }
      if (method === 'PUT') {
        const n = Number(url.searchParams.get('partNumber'));
        upload.parts.set(n, body);
        res.writeHead(200, { etag: `"${md5(body)}"` }).end();
        return 'UploadPart';
      }
      if (method === 'DELETE') {
        uploads.delete(uploadId);
        res.writeHead(204).end();
        return 'AbortMultipartUpload';
      }
      const listed = [...body.toString().matchAll(/<Part><PartNumber>(\d+)<\/PartNumber><ETag>([^<]*)<\/ETag><\/Part>/g)];
      const chunks: Buffer[] = [];
      for (const [, n, etag] of listed) {
        const part = upload.parts.get(Number(n));
        if (part === undefined || etag?.replace(/&quot;/g, '"') !== `"${md5(part)}"`) {
          s3Error(res, 400, 'InvalidPart', `part ${String(n)} was not uploaded or its ETag differs`);
          return 'InvalidPart';
        }
        chunks.push(part);
      }
      if (listed.length === 0) {
        s3Error(res, 400, 'MalformedXML', 'no parts');
        return 'MalformedXML';
      }
      b.objects.set(key, { data: Buffer.concat(chunks), modified: new Date() });
      uploads.delete(uploadId);
      xml(res, `<CompleteMultipartUploadResult><Bucket>${bucket}</Bucket><Key>${xmlText(key)}</Key><ETag>"x-${listed.length}"</ETag></CompleteMultipartUploadResult>`);
      return 'CompleteMultipartUpload';
    }
    if (method === 'PUT' && req.headers['x-amz-copy-source'] !== undefined) {
      const source = decodeURIComponent(String(req.headers['x-amz-copy-source'])).replace(/^\//, '');
      const slash = source.indexOf('/');
      const from = buckets.get(source.slice(0, slash))?.objects.get(source.slice(slash + 1));
      if (from === undefined) {
        s3Error(res, 404, 'NoSuchKey', 'The specified key does not exist.');
        return 'NoSuchKey';
      }
      b.objects.set(key, { ...from, modified: new Date() });
      xml(res, `<CopyObjectResult><LastModified>${new Date().toISOString()}</LastModified><ETag>"${md5(from.data)}"</ETag></CopyObjectResult>`);
      return 'CopyObject';
    }
    if (method === 'PUT') {
      const type = req.headers['content-type'];
      b.objects.set(key, { data: body, modified: new Date(), ...(type === undefined ? {} : { type }) });
      res.writeHead(200, { etag: `"${md5(body)}"`, 'x-amz-checksum-type': 'FULL_OBJECT' }).end();
      return 'PutObject';
    }
    const object = b.objects.get(key);
    if (method === 'DELETE') {
      b.objects.delete(key);
      res.writeHead(204).end();
      return 'DeleteObject';
    }
    if (object === undefined) {
      s3Error(res, 404, 'NoSuchKey', 'The specified key does not exist.');
      return 'NoSuchKey';
    }
    res.writeHead(200, {
      'content-type': object.type ?? 'binary/octet-stream', 'content-length': object.data.length, etag: `"${md5(object.data)}"`, 'last-modified': object.modified.toUTCString(),
    }).end(object.data);
    return 'GetObject';
  }

  // One JSON action: the answer's object, or an error [type, message].
  function jsonAction(target: string, input: Record<string, unknown>): Record<string, unknown> | [string, string] {
    const str = (k: string) => String(input[k] ?? '');
    switch (target) {
      case 'AmazonSQS.ListQueues':
        return { QueueUrls: [...queues.keys()].filter((u) => u.split('/').pop()!.startsWith(str('QueueNamePrefix'))) };
      case 'AmazonSQS.SendMessage':
      case 'AmazonSQS.SendMessageBatch':
      case 'AmazonSQS.ReceiveMessage':
      case 'AmazonSQS.DeleteMessage': {
        const queue = queues.get(str('QueueUrl'));
        if (queue === undefined) return ['com.amazonaws.sqs#QueueDoesNotExist', 'The specified queue does not exist.'];
        if (target === 'AmazonSQS.SendMessage') {
          const id = randomUUID();
          queue.push({ id, body: str('MessageBody') });
          return { MessageId: id, MD5OfMessageBody: md5(str('MessageBody')) };
        }
        if (target === 'AmazonSQS.SendMessageBatch') {
          const entries = input['Entries'] as { Id: string; MessageBody: string }[];
          const ok = entries.filter((e) => e.MessageBody !== '');
          for (const e of ok) queue.push({ id: randomUUID(), body: e.MessageBody });
          return {
            Successful: ok.map((e) => ({ Id: e.Id, MessageId: queue.find((m) => m.body === e.MessageBody)!.id, MD5OfMessageBody: md5(e.MessageBody) })),
            Failed: entries.filter((e) => e.MessageBody === '').map((e) => ({ Id: e.Id, Code: 'EmptyValue', Message: 'message body is empty', SenderFault: true })),
          };
        }
        if (target === 'AmazonSQS.ReceiveMessage') {
          const max = Number(input['MaxNumberOfMessages'] ?? 1);
          const visible = queue.filter((m) => m.handle === undefined).slice(0, max);
          for (const m of visible) m.handle = randomUUID();
          return { Messages: visible.map((m) => ({ MessageId: m.id, ReceiptHandle: m.handle, MD5OfBody: md5(m.body), Body: m.body, Attributes: { ApproximateReceiveCount: '1' } })) };
        }
        const i = queue.findIndex((m) => m.handle === str('ReceiptHandle'));
        if (i < 0) return ['com.amazonaws.sqs#ReceiptHandleIsInvalid', 'The input receipt handle is invalid.'];
        queue.splice(i, 1);
        return {};
      }
      case 'secretsmanager.CreateSecret': {
        if (secrets.has(str('Name'))) return ['ResourceExistsException', `The operation failed because the secret ${str('Name')} already exists.`];
        const version = input['ClientRequestToken'] === undefined ? randomUUID() : str('ClientRequestToken');
        secrets.set(str('Name'), { value: str('SecretString'), created: Date.now() / 1000, tags: input['Tags'], description: str('Description'), version });
        return { ARN: `arn:aws:secretsmanager:us-east-1:000000000000:secret:${str('Name')}-abc123`, Name: str('Name'), VersionId: version };
      }
      case 'secretsmanager.ListSecrets':
        return { SecretList: [...secrets].map(([name, s]) => ({ ARN: `arn:aws:secretsmanager:us-east-1:000000000000:secret:${name}-abc123`, Name: name, Description: s.description, CreatedDate: s.created, Tags: s.tags })) };
      case 'secretsmanager.GetSecretValue':
      case 'secretsmanager.PutSecretValue':
      case 'secretsmanager.DeleteSecret': {
        const name = str('SecretId');
        const s = secrets.get(name);
        if (s === undefined) return ['ResourceNotFoundException', "Secrets Manager can't find the specified secret."];
        const ARN = `arn:aws:secretsmanager:us-east-1:000000000000:secret:${name}-abc123`;
        if (target === 'secretsmanager.GetSecretValue') return { ARN, Name: name, SecretString: s.value, VersionId: s.version, CreatedDate: s.created };
        if (target === 'secretsmanager.PutSecretValue') {
          s.value = str('SecretString');
          s.version = input['ClientRequestToken'] === undefined ? randomUUID() : str('ClientRequestToken');
          return { ARN, Name: name, VersionId: s.version };
        }
        if (input['ForceDeleteWithoutRecovery'] !== true && typeof input['RecoveryWindowInDays'] !== 'number') return ['InvalidParameterException', 'no recovery option'];
        secrets.delete(name);
        return { ARN, Name: name, DeletionDate: Date.now() / 1000 };
      }
      case 'TrentService.ListKeys':
        return { Keys: [{ KeyId: 'key-1', KeyArn: 'arn:aws:kms:us-east-1:000000000000:key/key-1' }], Truncated: false };
      case 'TrentService.GenerateDataKey': {
        if (!['key-1', 'alias/k6-key', 'arn:aws:kms:us-east-1:000000000000:key/key-1'].includes(str('KeyId'))) return ['NotFoundException', `Key '${str('KeyId')}' does not exist`];
        const plain = randomBytes(Number(input['NumberOfBytes']));
        return { KeyId: 'arn:aws:kms:us-east-1:000000000000:key/key-1', Plaintext: plain.toString('base64'), CiphertextBlob: Buffer.concat([Buffer.from('enc:'), plain]).toString('base64') };
      }
      case 'AmazonSSM.GetParameter':
        if (str('Name') !== 'my-parameter') return ['ParameterNotFound', ''];
        return { Parameter: { Name: 'my-parameter', Type: 'SecureString', Value: input['WithDecryption'] === true ? 'plain value' : 'AQICAHi-encrypted', Version: 3, ARN: 'arn:aws:ssm:us-east-1:000000000000:parameter/my-parameter', DataType: 'text', LastModifiedDate: 1700000000.5 } };
      case 'Kinesis_20131202.ListStreams':
        return { StreamNames: [...streams.keys()], HasMoreStreams: false };
      case 'Kinesis_20131202.CreateStream':
        if (streams.has(str('StreamName'))) return ['ResourceInUseException', `Stream ${str('StreamName')} already exists`];
        streams.set(str('StreamName'), { mode: (input['StreamModeDetails'] as { StreamMode?: string } | undefined)?.StreamMode ?? `PROVISIONED:${String(input['ShardCount'])}`, records: [] });
        return {};
      case 'Kinesis_20131202.DeleteStream':
        if (!streams.delete(str('StreamName'))) return ['ResourceNotFoundException', `Stream ${str('StreamName')} not found`];
        return {};
      case 'Kinesis_20131202.PutRecords': {
        const stream = streams.get(str('StreamName'));
        if (stream === undefined) return ['ResourceNotFoundException', `Stream ${str('StreamName')} not found`];
        const out = (input['Records'] as { Data: string; PartitionKey: string }[]).map((r) => {
          const seq = `4960000000000000000000${String(stream.records.length).padStart(4, '0')}`;
          stream.records.push({ seq, data: r.Data, key: r.PartitionKey, at: 1700000000.25 });
          return { SequenceNumber: seq, ShardId: 'shardId-000000000000' };
        });
        return { FailedRecordCount: 0, Records: out };
      }
      case 'Kinesis_20131202.ListShards':
        return { Shards: [{ ShardId: 'shardId-000000000000', HashKeyRange: { StartingHashKey: '0', EndingHashKey: '340282366920938463463374607431768211455' }, SequenceNumberRange: { StartingSequenceNumber: '1' } }] };
      case 'Kinesis_20131202.GetShardIterator':
        if (!streams.has(str('StreamName'))) return ['ResourceNotFoundException', 'no stream'];
        return { ShardIterator: `${str('StreamName')}|${str('ShardIteratorType')}|0` };
      case 'Kinesis_20131202.GetRecords': {
        const [name, , from] = str('ShardIterator').split('|');
        const stream = streams.get(name ?? '');
        if (stream === undefined) return ['ExpiredIteratorException', 'iterator expired'];
        const records = stream.records.slice(Number(from));
        return { Records: records.map((r) => ({ SequenceNumber: r.seq, ApproximateArrivalTimestamp: r.at, Data: r.data, PartitionKey: r.key })), NextShardIterator: `${name!}|AFTER|${stream.records.length}`, MillisBehindLatest: 0 };
      }
      case 'AWSEvents.PutEvents': {
        const entries = input['Entries'] as Record<string, unknown>[];
        for (const e of entries) {
          if (typeof e['Detail'] !== 'string') return ['ValidationException', 'Detail must be a JSON string'];
          events.push({ ...e, Detail: JSON.parse(e['Detail']) as unknown });
        }
        return { FailedEntryCount: 0, Entries: entries.map(() => ({ EventId: randomUUID() })) };
      }
      default:
        return ['UnknownOperationException', `unknown target ${target}`];
    }
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', 'http://x');
      const target = req.headers['x-amz-target'] as string | undefined;
      const isLambda = url.pathname.startsWith('/2015-03-31/functions/');
      const verdict = verify(req, body);
      const record: FakeAwsRequest = {
        service: verdict.service, operation: '', method: req.method ?? '', url: req.url ?? '',
        signed: verdict.ok ? verdict.how : 'invalid', body: body.length > 4096 ? `<${body.length} bytes>` : body.toString(), headers: req.headers,
      };
      requests.push(record);
      try {
        if (target !== undefined) {
          const ct = String(req.headers['content-type']);
          if (!verdict.ok) {
            jsonError(res, ct, verdict.code === 'SignatureDoesNotMatch' ? 'InvalidSignatureException' : 'UnrecognizedClientException', verdict.message);
            record.operation = 'InvalidSignature';
            return;
          }
          const expectedCt = target.startsWith('AmazonSQS.') ? 'application/x-amz-json-1.0' : 'application/x-amz-json-1.1';
          if (ct !== expectedCt) throw new Error(`content-type ${ct} for ${target}`);
          record.operation = target;
          const out = jsonAction(target, JSON.parse(body.toString()) as Record<string, unknown>);
          if (Array.isArray(out)) jsonError(res, ct, out[0], out[1]);
          else res.writeHead(200, { 'content-type': ct }).end(JSON.stringify(out));
        } else if (isLambda) {
          if (!verdict.ok) {
            record.operation = 'InvalidSignature';
            jsonError(res, 'application/json', 'InvalidSignatureException', verdict.message, 403);
            return;
          }
          const name = decodeURIComponent(url.pathname.split('/')[3] ?? '');
          record.operation = `Invoke ${name}`;
          const headers: Record<string, string> = { 'content-type': 'application/json', 'x-amz-executed-version': url.searchParams.get('Qualifier') ?? '$LATEST' };
          if (req.headers['x-amz-log-type'] === 'Tail') headers['x-amz-log-result'] = Buffer.from(`START ${name}\nEND ${name}\n`).toString('base64');
          if (name === 'fail') {
            headers['x-amz-function-error'] = 'Unhandled';
            res.writeHead(200, headers).end(JSON.stringify({ errorMessage: 'it failed', errorType: 'Error' }));
          } else if (name === 'add-numbers') {
            const { x, y } = JSON.parse(body.toString()) as { x: number; y: number };
            res.writeHead(200, headers).end(String(x + y));
          } else if (name === 'echo') {
            res.writeHead(req.headers['x-amz-invocation-type'] === 'Event' ? 202 : 200, headers).end(JSON.stringify({ echoed: JSON.parse(body.toString() || 'null') as unknown }));
          } else {
            jsonError(res, 'application/json', 'ResourceNotFoundException', `Function not found: ${name}`, 404);
          }
        } else {
          if (!verdict.ok) {
            record.operation = 'InvalidSignature';
            s3Error(res, 403, verdict.code, verdict.message);
            return;
          }
          record.operation = s3(req, res, body, url);
        }
      } catch (e) {
        record.operation = `error: ${(e as Error).message}`;
        res.writeHead(500).end((e as Error).message);
      }
    });
  });
  const { url, close } = await listenLocal(server);
  return {
    url,
    requests,
    objects: () => new Map([...buckets].flatMap(([b, { objects }]) => [...objects].map(([k, o]) => [`${b}/${k}`, o.data] as [string, Buffer]))),
    close,
  };
}
