import { describe, expect, it } from 'vitest';
import vm from 'node:vm';
import { createAwsModule } from './aws-module.ts';
import { parseXml } from './aws-host.ts';
import { builtinJslib } from './jslib-urls.ts';

type Signed = { url: string; headers: Record<string, string> };
type Signer = { sign(r: object, o?: object): Signed; presign(r: object, o?: object): Signed };
type Api = Record<string, new (...a: unknown[]) => unknown>;

function aws(env: Record<string, string> = {}): Api {
  const context = vm.createContext({});
  const parse = vm.runInContext('(t) => JSON.parse(t)', context) as (t: string) => unknown;
  const http = { asyncRequest: () => Promise.reject(new Error('no http in this test')) };
  return createAwsModule(context, { http, env: () => env, parseJson: parse }) as unknown as Api;
}

describe('aws jslib: URLs', () => {
  it('serves every file of any version of the aws jslib, and nothing else under aws/', () => {
    for (const f of ['index', 'aws', 's3', 'sqs', 'kms', 'secrets-manager', 'ssm', 'kinesis', 'lambda', 'event-bridge', 'signature']) {
      expect(builtinJslib(`https://jslib.k6.io/aws/0.14.0/${f}.js`)).toBe('aws');
    }
    expect(builtinJslib('https://jslib.k6.io/aws/0.12.3/dynamodb.js')).toBeUndefined();
  });
});

describe('aws jslib: SignatureV4 against AWS\'s published examples', () => {
  it('get-vanilla (the SigV4 test suite): GET / signed with host and x-amz-date', () => {
    const { SignatureV4, Endpoint } = aws();
    const signer = new SignatureV4!({
      service: 'service', region: 'us-east-1', applyChecksum: false,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
    }) as Signer;
    const signed = signer.sign({ method: 'GET', endpoint: new Endpoint!('https://example.amazonaws.com'), path: '/', headers: {} },
      { signingDate: new Date('2015-08-30T12:36:00Z') });
    expect(signed.headers['authorization']).toBe('AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, '
      + 'SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31');
    expect(signed.headers['x-amz-date']).toBe('20150830T123600Z');
    expect(signed.url).toBe('https://example.amazonaws.com/');
  });

  it('get-vanilla-query-order-key-case: the query sorted by key in the canonical request and the URL', () => {
    const { SignatureV4, Endpoint } = aws();
    const signer = new SignatureV4!({
      service: 'service', region: 'us-east-1', applyChecksum: false,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
    }) as Signer;
    const signed = signer.sign({ method: 'GET', endpoint: new Endpoint!('example.amazonaws.com'), path: '/', headers: {}, query: { Param2: 'value2', Param1: 'value1' } },
      { signingDate: '2015-08-30T12:36:00Z' });
    expect(signed.headers['authorization']).toMatch(/, Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500$/);
    expect(signed.url).toBe('https://example.amazonaws.com/?Param1=value1&Param2=value2');
  });

  const s3Credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

  it('S3 GET Object example: range and x-amz-content-sha256 signed, the path not escaped again', () => {
    const { SignatureV4, Endpoint } = aws();
    const signer = new SignatureV4!({ service: 's3', region: 'us-east-1', uriEscapePath: false, applyChecksum: true, credentials: s3Credentials }) as Signer;
    const signed = signer.sign({ method: 'GET', endpoint: new Endpoint!('https://examplebucket.s3.amazonaws.com'), path: '/test.txt', headers: { Range: 'bytes=0-9' } },
      { signingDate: new Date('2013-05-24T00:00:00Z') });
    expect(signed.headers['x-amz-content-sha256']).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(signed.headers['authorization']).toBe('AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, '
      + 'SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41');
  });

  it('S3 presigned URL example: the signature and the X-Amz-* parameters in the query, unsigned payload', () => {
    const { SignatureV4, Endpoint, AMZ_CONTENT_SHA256_HEADER } = aws() as unknown as Record<string, never> & { AMZ_CONTENT_SHA256_HEADER: string };
    const signer = new (SignatureV4 as unknown as new (o: object) => Signer)({ service: 's3', region: 'us-east-1', uriEscapePath: false, credentials: s3Credentials });
    const hdr = AMZ_CONTENT_SHA256_HEADER;
    const signed = signer.presign(
      { method: 'GET', endpoint: new (Endpoint as unknown as new (u: string) => object)('https://examplebucket.s3.amazonaws.com'), path: '/test.txt', headers: { [hdr]: 'UNSIGNED-PAYLOAD' } },
      { expiresIn: 86400, signingDate: new Date('2013-05-24T00:00:00Z'), unhoistableHeaders: new Set([hdr]), unsignableHeaders: new Set([hdr]) },
    );
    expect(signed.url).toBe('https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256'
      + '&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z'
      + '&X-Amz-Expires=86400&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404&X-Amz-SignedHeaders=host');
    expect(() => signer.presign({ method: 'GET', endpoint: new (Endpoint as unknown as new (u: string) => object)('s3.amazonaws.com'), path: '/', headers: {} }, { expiresIn: 7 * 86400 + 1 }))
      .toThrow("Signature version 4 presigned URLs can't be valid for more than 7 days");
  });

  it('a session token is sent as x-amz-security-token and signed', () => {
    const { SignatureV4, Endpoint } = aws();
    const signer = new SignatureV4!({ service: 'sqs', region: 'eu-west-1', credentials: { ...s3Credentials, sessionToken: 'TOKEN' } }) as Signer;
    const signed = signer.sign({ method: 'POST', endpoint: new Endpoint!('http://127.0.0.1:9000'), path: '/', headers: {}, body: '{}' });
    expect(signed.headers['x-amz-security-token']).toBe('TOKEN');
    expect(signed.headers['host']).toBe('127.0.0.1:9000');
    expect(signed.headers['authorization']).toContain('SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,');
  });
});

describe('aws jslib: AWSConfig', () => {
  it('validates the region and credentials, reads them from __ENV with fromEnvironment', () => {
    const { AWSConfig } = aws({ AWS_REGION: 'eu-west-3', AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 'tok' });
    expect(() => new AWSConfig!({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 's' })).toThrow('invalid AWS region');
    expect(() => new AWSConfig!({ region: 'us-east-1', accessKeyId: 'short', secretAccessKey: 's' })).toThrow('size should be between 16 and 128 characters, got 5');
    expect(() => new AWSConfig!({ region: 'us-east-1', accessKeyId: 'AKIAIOSFODNN7EXAMPLE' })).toThrow('invalid AWS secret access key');
    const fromEnv = (AWSConfig as unknown as { fromEnvironment(o?: object): Record<string, unknown> }).fromEnvironment({ endpoint: 'http://127.0.0.1:4566' });
    expect(fromEnv).toMatchObject({ region: 'eu-west-3', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'secret', sessionToken: 'tok' });
    expect(String(fromEnv['endpoint'])).toBe('http://127.0.0.1:4566');
  });
});

describe('aws jslib: XML reader', () => {
  it('reads elements, text with entities and CDATA, drops namespaces, rejects broken documents', () => {
    const doc = parseXml('<?xml version="1.0"?>\n<a:R xmlns:a="x"><K>a &amp; b&#33;</K><E/><C><![CDATA[<x>]]></C></a:R>');
    expect(doc.name).toBe('R');
    expect(doc.children.map((c) => [c.name, c.text])).toEqual([['K', 'a & b!'], ['E', ''], ['C', '<x>']]);
    expect(() => parseXml('<a><b></a>')).toThrow(SyntaxError);
    expect(() => parseXml('<a>')).toThrow(SyntaxError);
  });
});
