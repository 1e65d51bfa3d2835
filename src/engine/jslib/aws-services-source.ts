// Script-realm source of the aws jslib's JSON-protocol clients (see aws-module.ts): SQS (AWS JSON 1.0,
// `AmazonSQS.<Action>`), Secrets Manager, KMS, Systems Manager, Kinesis and EventBridge (AWS JSON 1.1,
// `<prefix>.<Action>` in X-Amz-Target), and Lambda's REST Invoke. Written from k6's docs and AWS's API
// references: every call is a SigV4-signed POST whose error answer (`__type`, `message`) becomes the
// client's service error, or InvalidSignatureError for a signature or credentials code.

export const AWS_SERVICES_SOURCE = String.raw`
  const SQSServiceError = serviceError('SQSServiceError');
  const SecretsManagerServiceError = serviceError('SecretsManagerServiceError');
  const KMSServiceError = serviceError('KMSServiceError');
  const SystemsManagerServiceError = serviceError('SystemsManagerServiceError');
  const KinesisServiceError = serviceError('KinesisServiceError');
  const EventBridgeServiceError = serviceError('EventBridgeServiceError');

  class JSONServiceClient extends AWSClient {
    #target;
    #contentType;
    #ErrorClass;
    constructor(awsConfig, service, target, contentType, ErrorClass) {
      super(awsConfig, service, { uriEscapePath: true, applyChecksum: true });
      this.#target = target;
      this.#contentType = contentType;
      this.#ErrorClass = ErrorClass;
    }
    // One action: the answer's JSON body (an empty body is {}).
    async _call(action, payload) {
      const res = await this._send('POST', '/', {
        headers: { 'Content-Type': this.#contentType, 'X-Amz-Target': this.#target + '.' + action },
        body: JSON.stringify(payload),
      });
      if (!ok(res)) {
        const { code, message } = jsonError(res);
        if (SIGNATURE_CODES.has(code)) throw new InvalidSignatureError(message, code);
        throw new this.#ErrorClass(message, code, action);
      }
      if (typeof res.body !== 'string' || res.body === '') return {};
      return JSON.parse(res.body);
    }
  }
  const json10 = 'application/x-amz-json-1.0';
  const json11 = 'application/x-amz-json-1.1';
  const defined = (o) => { for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k]; return o; };

  // SQS

  class ReceivedMessage {
    constructor(m) {
      this.messageId = m.MessageId;
      this.body = m.Body;
      this.receiptHandle = m.ReceiptHandle;
      this.md5OfBody = m.MD5OfBody;
      this.attributes = m.Attributes || {};
      this.messageAttributes = m.MessageAttributes || {};
      // The names the published jslib uses too.
      this.id = m.MessageId;
      this.Body = m.Body;
      this.ReceiptHandle = m.ReceiptHandle;
      this.BodyMD5 = m.MD5OfBody;
      this.Attributes = this.attributes;
      this.MessageAttributes = this.messageAttributes;
    }
  }
  function messageFields(messageBody, options) {
    const o = options || {};
    const out = { MessageBody: messageBody };
    if (o.messageDeduplicationId !== undefined) out.MessageDeduplicationId = o.messageDeduplicationId;
    if (o.messageGroupId !== undefined) out.MessageGroupId = o.messageGroupId;
    if (o.messageAttributes !== undefined) {
      out.MessageAttributes = {};
      for (const name of Object.keys(o.messageAttributes)) {
        const a = o.messageAttributes[name];
        out.MessageAttributes[name] = { DataType: a.type, [a.type === 'Binary' ? 'BinaryValue' : 'StringValue']: a.value };
      }
    }
    if (o.delaySeconds !== undefined) out.DelaySeconds = o.delaySeconds;
    return out;
  }

  class SQSClient extends JSONServiceClient {
    constructor(awsConfig) { super(awsConfig, 'sqs', 'AmazonSQS', json10, SQSServiceError); }

    async sendMessage(queueUrl, messageBody, options) {
      const r = await this._call('SendMessage', Object.assign({ QueueUrl: queueUrl }, messageFields(messageBody, options)));
      return { id: r.MessageId, bodyMD5: r.MD5OfMessageBody };
    }

    async sendMessageBatch(queueUrl, entries) {
      const Entries = entries.map((e) => Object.assign(messageFields(e.messageBody, e.messageOptions), { Id: e.messageId }));
      const r = await this._call('SendMessageBatch', { QueueUrl: queueUrl, Entries });
      return {
        successful: (r.Successful || []).map((e) => ({ id: e.MessageId, bodyMD5: e.MD5OfMessageBody })),
        failed: (r.Failed || []).map((e) => new SQSServiceError(e.Message, e.Code, 'SendMessageBatch')),
      };
    }

    // receiveMessages(queueUrl, { maxNumberOfMessages, visibilityTimeoutSeconds, waitTimeSeconds, ... }) as
    // k6's docs give it, or the published jslib's positional form (queueUrl, messageAttributeNames,
    // messageSystemAttributeNames, maxNumberOfMessages = 1, visibilityTimeout = 30, waitTimeSeconds = 10,
    // receiveRequestAttemptId).
    async receiveMessages(queueUrl, options, ...rest) {
      let o = options || {};
      if (Array.isArray(options) || rest.length > 0) {
        const [messageSystemAttributeNames, maxNumberOfMessages = 1, visibilityTimeout = 30, waitTimeSeconds = 10, receiveRequestAttemptId] = rest;
        o = { messageAttributeNames: options, messageSystemAttributeNames, maxNumberOfMessages, visibilityTimeoutSeconds: visibilityTimeout, waitTimeSeconds, receiveRequestAttemptId };
      }
      const payload = defined({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: o.maxNumberOfMessages,
        VisibilityTimeout: o.visibilityTimeoutSeconds !== undefined ? o.visibilityTimeoutSeconds : o.visibilityTimeout,
        WaitTimeSeconds: o.waitTimeSeconds,
        MessageAttributeNames: o.messageAttributeNames || ['All'],
        MessageSystemAttributeNames: o.messageSystemAttributeNames || ['All'],
        ReceiveRequestAttemptId: o.receiveRequestAttemptId,
      });
      const r = await this._call('ReceiveMessage', payload);
      return (r.Messages || []).map((m) => new ReceivedMessage(m));
    }

    async deleteMessage(queueUrl, receiptHandle) {
      await this._call('DeleteMessage', { QueueUrl: queueUrl, ReceiptHandle: receiptHandle });
    }

    async listQueues(options) {
      const o = options || {};
      const r = await this._call('ListQueues', defined({ MaxResults: o.maxResults, NextToken: o.nextToken, QueueNamePrefix: o.queueNamePrefix }));
      const out = { urls: r.QueueUrls || [], nextToken: r.NextToken };
      // One of k6's doc examples reads queueUrls: the same list, not enumerated.
      Object.defineProperty(out, 'queueUrls', { value: out.urls, enumerable: false });
      return out;
    }
  }

  // Secrets Manager

  class Secret {
    constructor(name, arn, secretString, createdDate, lastAccessedDate, lastChangedDate, tags) {
      this.name = name;
      this.arn = arn;
      this.secret = secretString;
      this.createdDate = createdDate;
      this.lastAccessedDate = lastAccessedDate;
      this.lastChangedDate = lastChangedDate;
      this.tags = tags || [];
    }
    static fromJSON(j) {
      return new Secret(j.Name, j.ARN, j.SecretString, j.CreatedDate, j.LastAccessedDate, j.LastChangedDate, j.Tags);
    }
    // The names k6's docs give.
    get createdAt() { return this.createdDate; }
    get lastAccessDate() { return this.lastAccessedDate; }
  }

  class SecretsManagerClient extends JSONServiceClient {
    constructor(awsConfig) { super(awsConfig, 'secretsmanager', 'secretsmanager', json11, SecretsManagerServiceError); }

    async listSecrets() {
      const r = await this._call('ListSecrets', {});
      return (r.SecretList || []).map(Secret.fromJSON);
    }
    async getSecret(id) {
      return Secret.fromJSON(await this._call('GetSecretValue', { SecretId: id }));
    }
    async createSecret(name, secret, description, versionID, tags) {
      const r = await this._call('CreateSecret', defined({ Name: name, Description: description, SecretString: secret, ClientRequestToken: versionID, Tags: tags }));
      return Secret.fromJSON(Object.assign({ SecretString: secret, Tags: tags }, r));
    }
    async putSecretValue(id, secret, versionID) {
      const r = await this._call('PutSecretValue', defined({ SecretId: id, SecretString: secret, ClientRequestToken: versionID }));
      return Secret.fromJSON(Object.assign({ SecretString: secret }, r));
    }
    async deleteSecret(id, options) {
      const o = Object.assign({ recoveryWindow: 30, noRecovery: false }, options);
      const payload = { SecretId: id };
      if (o.noRecovery === true) payload.ForceDeleteWithoutRecovery = true;
      else payload.RecoveryWindowInDays = o.recoveryWindow;
      await this._call('DeleteSecret', payload);
    }
  }

  // KMS

  class KMSKey {
    constructor(keyArn, keyId) { this.keyArn = keyArn; this.keyId = keyId; }
  }
  class KMSDataKey {
    constructor(ciphertextBlob, id, plaintext) { this.ciphertextBlob = ciphertextBlob; this.id = id; this.plaintext = plaintext; }
  }
  class KMSClient extends JSONServiceClient {
    constructor(awsConfig) { super(awsConfig, 'kms', 'TrentService', json11, KMSServiceError); }
    async listKeys() {
      const r = await this._call('ListKeys', {});
      return (r.Keys || []).map((k) => new KMSKey(k.KeyArn, k.KeyId));
    }
    async generateDataKey(id, size) {
      const r = await this._call('GenerateDataKey', { KeyId: id, NumberOfBytes: size === undefined ? 32 : size });
      return new KMSDataKey(r.CiphertextBlob, r.KeyId, r.Plaintext);
    }
  }

  // Systems Manager

  class SystemsManagerParameter {
    constructor(p, sourceResult) {
      this.arn = p.ARN;
      this.dataType = p.DataType;
      this.lastModifiedDate = p.LastModifiedDate;
      this.name = p.Name;
      this.selector = p.Selector;
      this.sourceResult = sourceResult;
      this.type = p.Type;
      this.value = p.Value;
      this.version = p.Version;
    }
  }
  class SystemsManagerClient extends JSONServiceClient {
    constructor(awsConfig) { super(awsConfig, 'ssm', 'AmazonSSM', json11, SystemsManagerServiceError); }
    async getParameter(name, withDecryption) {
      const r = await this._call('GetParameter', { Name: name, WithDecryption: withDecryption === true });
      return new SystemsManagerParameter(r.Parameter || {}, r.Parameter ? r.Parameter.SourceResult : undefined);
    }
  }

  // Kinesis: record data travels base64-encoded (a blob in AWS JSON).

  class KinesisClient extends JSONServiceClient {
    constructor(awsConfig) { super(awsConfig, 'kinesis', 'Kinesis_20131202', json11, KinesisServiceError); }
    async createStream(streamName, options) {
      const o = options || {};
      await this._call('CreateStream', defined({
        StreamName: streamName,
        ShardCount: o.shardCount,
        StreamModeDetails: o.streamModeDetails ? { StreamMode: o.streamModeDetails.streamMode } : undefined,
      }));
    }
    async deleteStream(streamName, options) {
      const o = options || {};
      await this._call('DeleteStream', defined({ StreamName: streamName, EnforceConsumerDeletion: o.enforceConsumerDeletion }));
    }
    async listStreams(options) {
      const o = options || {};
      const r = await this._call('ListStreams', defined({ ExclusiveStartStreamName: o.exclusiveStartStreamName, Limit: o.limit, NextToken: o.nextToken }));
      return {
        streamNames: r.StreamNames || [],
        hasMoreStreams: r.HasMoreStreams === true,
        nextToken: r.NextToken,
        streamSummaries: (r.StreamSummaries || []).map((s) => ({
          streamName: s.StreamName, streamARN: s.StreamARN, streamStatus: s.StreamStatus,
          streamModeDetails: s.StreamModeDetails ? { streamMode: s.StreamModeDetails.StreamMode } : undefined,
          streamCreationTimestamp: s.StreamCreationTimestamp,
        })),
      };
    }
    async putRecords(streamName, records) {
      const r = await this._call('PutRecords', {
        StreamName: streamName,
        Records: records.map((rec) => defined({ Data: host.base64Encode(rec.data), PartitionKey: rec.partitionKey, ExplicitHashKey: rec.explicitHashKey })),
      });
      return {
        failedRecordCount: r.FailedRecordCount || 0,
        records: (r.Records || []).map((e) => ({ sequenceNumber: e.SequenceNumber, shardId: e.ShardId, errorCode: e.ErrorCode, errorMessage: e.ErrorMessage })),
        encryptionType: r.EncryptionType,
      };
    }
    async getRecords(shardIterator, options) {
      const o = options || {};
      const r = await this._call('GetRecords', defined({ ShardIterator: shardIterator, Limit: o.limit }));
      return {
        records: (r.Records || []).map((e) => ({
          sequenceNumber: e.SequenceNumber,
          approximateArrivalTimestamp: e.ApproximateArrivalTimestamp === undefined ? undefined : new Date(e.ApproximateArrivalTimestamp * 1000),
          data: host.base64Decode(e.Data),
          partitionKey: e.PartitionKey,
          encryptionType: e.EncryptionType,
        })),
        nextShardIterator: r.NextShardIterator,
        millisBehindLatest: r.MillisBehindLatest,
      };
    }
    async listShards(streamName, options) {
      const o = options || {};
      // AWS rejects StreamName together with NextToken.
      const r = await this._call('ListShards', defined({
        StreamName: o.nextToken === undefined ? streamName : undefined,
        NextToken: o.nextToken,
        ExclusiveStartShardId: o.exclusiveStartShardId,
        MaxResults: o.maxResults,
      }));
      return {
        shards: (r.Shards || []).map((s) => ({
          shardId: s.ShardId,
          parentShardId: s.ParentShardId,
          adjacentParentShardId: s.AdjacentParentShardId,
          hashKeyRange: s.HashKeyRange ? { startingHashKey: s.HashKeyRange.StartingHashKey, endingHashKey: s.HashKeyRange.EndingHashKey } : undefined,
          sequenceNumberRange: s.SequenceNumberRange
            ? { startingSequenceNumber: s.SequenceNumberRange.StartingSequenceNumber, endingSequenceNumber: s.SequenceNumberRange.EndingSequenceNumber }
            : undefined,
        })),
        nextToken: r.NextToken,
      };
    }
    async getShardIterator(streamName, shardId, shardIteratorType, options) {
      const o = options || {};
      const r = await this._call('GetShardIterator', defined({
        StreamName: streamName,
        ShardId: shardId,
        ShardIteratorType: shardIteratorType,
        StartingSequenceNumber: o.startingSequenceNumber,
        Timestamp: o.timestamp === undefined ? undefined : toDate(o.timestamp).getTime() / 1000,
      }));
      return { shardIterator: r.ShardIterator };
    }
  }

  // EventBridge

  class EventBridgeClient extends JSONServiceClient {
    constructor(awsConfig) { super(awsConfig, 'events', 'AWSEvents', json11, EventBridgeServiceError); }
    async putEvents(input) {
      const Entries = (input.Entries || []).map((e) => Object.assign({}, e, { Detail: typeof e.Detail === 'string' ? e.Detail : JSON.stringify(e.Detail) }));
      await this._call('PutEvents', Object.assign({}, input, { Entries }));
    }
  }

  // Lambda: POST /2015-03-31/functions/{name}/invocations (REST), the answer's payload as text.

  class LambdaInvocationError extends Error {
    constructor(message, response) {
      super(message + ': ' + response.payload);
      this.name = 'LambdaInvocationError';
      this.response = response;
    }
  }
  class LambdaClient extends AWSClient {
    constructor(awsConfig) { super(awsConfig, 'lambda', { uriEscapePath: true, applyChecksum: true }); }
    async invoke(name, payload, options) {
      const o = options || {};
      const headers = {
        'Content-Type': 'application/json',
        'X-Amz-Invocation-Type': o.invocationType || 'RequestResponse',
        'X-Amz-Log-Type': o.logType || 'None',
      };
      if (o.clientContext) headers['X-Amz-Client-Context'] = o.clientContext;
      const query = o.qualifier ? { Qualifier: o.qualifier } : undefined;
      const res = await this._send('POST', '/2015-03-31/functions/' + escapeURI(name) + '/invocations', { headers, query, body: payload || '' });
      if (!ok(res)) {
        const { code, message } = jsonError(res);
        if (SIGNATURE_CODES.has(code)) throw new InvalidSignatureError(message, code);
        throw new AWSError(message, code);
      }
      const logResult = headerValue(res, 'X-Amz-Log-Result');
      const response = {
        executedVersion: headerValue(res, 'X-Amz-Executed-Version'),
        logResult: logResult ? host.base64Decode(logResult) : undefined,
        statusCode: res.status,
        payload: res.body,
      };
      const functionError = headerValue(res, 'X-Amz-Function-Error');
      if (functionError) throw new LambdaInvocationError(functionError, response);
      return response;
    }
  }
`;
