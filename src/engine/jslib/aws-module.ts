// Built-in https://jslib.k6.io/aws/<version>/{index,aws,s3,sqs,kms,secrets-manager,ssm,kinesis,lambda,
// event-bridge,signature}.js: grafana/k6-jslib-aws as k6's docs describe it, written anew. Every file
// serves the whole library (a service's bundle is a subset of it in the jslib).
//
// The library is script-realm JS (its classes, errors and promises are the script's): AWSConfig,
// Endpoint, SignatureV4 (sign, presign) and the service clients, whose async methods sign each request
// with SigV4 and send it with the VU's own `http.asyncRequest`, so it shows in the metrics like any
// k6/http request. The hashing and S3's XML reading are host helpers (aws-host.ts).
import vm from 'node:vm';
import { bodyBytes, parseXml, sha256Hex, sigV4Signature } from './aws-host.ts';
import { AWS_CORE_SOURCE } from './aws-core-source.ts';
import { AWS_S3_SOURCE } from './aws-s3-source.ts';
import { AWS_SERVICES_SOURCE } from './aws-services-source.ts';

export interface AwsDeps {
  /** The VU's k6/http module (asyncRequest is called). */
  http: object;
  /** `__ENV` as the VU sees it (AWSConfig.fromEnvironment). */
  env: () => Readonly<Record<string, string>>;
  /** JSON.parse of the script realm, so parsed XML is made of script objects. */
  parseJson: (text: string) => unknown;
}

const EXPORTS = [
  'AWSConfig', 'InvalidAWSConfigError', 'Endpoint', 'SignatureV4', 'InvalidSignatureError', 'AMZ_CONTENT_SHA256_HEADER', 'UNSIGNED_PAYLOAD',
  'AWSError', 'NetworkError', 'GeneralError', 'DNSError', 'TCPError', 'TLSError', 'HTTP2Error',
  'S3Client', 'S3Bucket', 'S3Object', 'S3UploadedObject', 'S3MultipartUpload', 'S3Part', 'S3ServiceError',
  'SQSClient', 'SQSServiceError', 'ReceivedMessage',
  'SecretsManagerClient', 'Secret', 'SecretsManagerServiceError',
  'KMSClient', 'KMSKey', 'KMSDataKey', 'KMSServiceError',
  'SystemsManagerClient', 'SystemsManagerParameter', 'SystemsManagerServiceError',
  'KinesisClient', 'KinesisServiceError',
  'EventBridgeClient', 'EventBridgeServiceError',
  'LambdaClient', 'LambdaInvocationError',
] as const;

const SOURCE = `(function (http, host, env) {
  'use strict';
  ${AWS_CORE_SOURCE}
  ${AWS_S3_SOURCE}
  ${AWS_SERVICES_SOURCE}
  return { ${EXPORTS.join(', ')} };
})`;

let script: vm.Script | undefined;

/** The aws jslib's exports in the script realm `context`. */
export function createAwsModule(context: vm.Context, deps: AwsDeps): Record<string, unknown> {
  script ??= new vm.Script(SOURCE, { filename: 'https://jslib.k6.io/aws/index.js' });
  const make = script.runInContext(context) as (http: object, host: object, env: () => unknown) => Record<string, unknown>;
  const host = {
    sha256Hex,
    sigV4Signature,
    parseXml: (text: string) => deps.parseJson(JSON.stringify(parseXml(text))),
    base64Encode: (data: unknown) => bodyBytes(data).toString('base64'),
    base64Decode: (data: unknown) => (typeof data === 'string' ? Buffer.from(data, 'base64').toString('utf8') : data),
  };
  const api = make(deps.http, host, deps.env);
  return { ...api, default: api };
}
