// Script-realm source of the aws jslib's S3Client (see aws-module.ts), written from k6's docs and
// Amazon S3's REST API: path-style requests (`/{bucket}/{key}`) signed with SigV4 (the path as sent,
// the body's SHA-256 in x-amz-content-sha256), XML answers read with host.parseXml.

export const AWS_S3_SOURCE = String.raw`
  const S3ServiceError = serviceError('S3ServiceError');

  class S3Bucket {
    constructor(name, creationDate) { this.name = name; this.creationDate = creationDate; }
  }
  class S3Object {
    constructor(key, lastModified, etag, size, storageClass, data) {
      this.key = key;
      this.lastModified = lastModified;
      this.etag = etag;
      this.size = size;
      this.storageClass = storageClass;
      this.data = data;
    }
  }
  class S3UploadedObject {
    constructor(key, etag, options) {
      const o = options || {};
      this.key = key;
      this.etag = etag;
      this.crc32 = o.crc32;
      this.crc32c = o.crc32c;
      this.crc64nvme = o.crc64nvme;
      this.sha1 = o.sha1;
      this.sha256 = o.sha256;
      this.checksumType = o.checksumType;
      this.size = o.size;
    }
    // The name k6's docs give.
    get eTag() { return this.etag; }
  }
  class S3MultipartUpload {
    constructor(key, uploadId) { this.key = key; this.uploadId = uploadId; }
  }
  class S3Part {
    constructor(partNumber, eTag) { this.partNumber = partNumber; this.eTag = eTag; }
  }

  const child = (el, name) => el.children.find((c) => c.name === name);
  const childText = (el, name) => { const c = child(el, name); return c === undefined ? undefined : c.text; };
  function xml(res, operation) {
    try {
      return host.parseXml(typeof res.body === 'string' ? res.body : '');
    } catch (e) {
      throw new S3ServiceError('unexpected response to ' + operation + ': ' + e.message, 'InvalidResponse', operation);
    }
  }
  function xmlEscape(s) {
    return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  }
  const objectPath = (bucket, key) => '/' + escapeURI(bucket) + '/' + escapePath(String(key));

  class S3Client extends AWSClient {
    constructor(awsConfig) {
      super(awsConfig, 's3', { uriEscapePath: false, applyChecksum: true });
    }

    async listBuckets() {
      const res = await this._send('GET', '/');
      this.#check(res, 'ListBuckets');
      const doc = xml(res, 'ListBuckets');
      const list = child(doc, 'Buckets');
      return (list ? list.children : []).filter((b) => b.name === 'Bucket')
        .map((b) => new S3Bucket(childText(b, 'Name'), Date.parse(childText(b, 'CreationDate'))));
    }

    async listObjects(bucketName, prefix) {
      const res = await this._send('GET', '/' + escapeURI(bucketName) + '/', { query: { 'list-type': '2', prefix: prefix || '' } });
      this.#check(res, 'ListObjectsV2');
      return xml(res, 'ListObjectsV2').children.filter((c) => c.name === 'Contents').map((o) => new S3Object(
        childText(o, 'Key'),
        Date.parse(childText(o, 'LastModified')),
        childText(o, 'ETag'),
        parseInt(childText(o, 'Size'), 10),
        childText(o, 'StorageClass'),
      ));
    }

    async getObject(bucketName, objectKey, additionalHeaders) {
      const headers = Object.assign({}, additionalHeaders);
      const accept = findHeader(headers, 'accept');
      const binary = accept !== undefined && headers[accept] === 'application/octet-stream';
      const res = await this._send('GET', objectPath(bucketName, objectKey), { headers, responseType: binary ? 'binary' : 'text' });
      this.#check(res, 'GetObject');
      return new S3Object(
        objectKey,
        Date.parse(headerValue(res, 'Last-Modified')),
        headerValue(res, 'ETag'),
        parseInt(headerValue(res, 'Content-Length'), 10),
        headerValue(res, 'X-Amz-Storage-Class') || 'STANDARD',
        res.body,
      );
    }

    async putObject(bucketName, objectKey, data, params) {
      const p = params || {};
      const headers = {};
      if (p.contentDisposition) headers['Content-Disposition'] = p.contentDisposition;
      if (p.contentEncoding) headers['Content-Encoding'] = p.contentEncoding;
      if (p.contentLength) headers['Content-Length'] = String(p.contentLength);
      if (p.contentMD5) headers['Content-MD5'] = p.contentMD5;
      if (p.contentType) headers['Content-Type'] = p.contentType;
      const res = await this._send('PUT', objectPath(bucketName, objectKey), { headers, body: data });
      this.#check(res, 'PutObject');
      const size = headerValue(res, 'x-amz-object-size');
      return new S3UploadedObject(objectKey, headerValue(res, 'ETag'), {
        crc32: headerValue(res, 'x-amz-checksum-crc32'),
        crc32c: headerValue(res, 'x-amz-checksum-crc32c'),
        crc64nvme: headerValue(res, 'x-amz-checksum-crc64nvme'),
        sha1: headerValue(res, 'x-amz-checksum-sha1'),
        sha256: headerValue(res, 'x-amz-checksum-sha256'),
        checksumType: headerValue(res, 'x-amz-checksum-type'),
        size: size === undefined ? undefined : parseInt(size, 10),
      });
    }

    async deleteObject(bucketName, objectKey) {
      const res = await this._send('DELETE', objectPath(bucketName, objectKey));
      this.#check(res, 'DeleteObject');
    }

    async copyObject(sourceBucket, sourceKey, destinationBucket, destinationKey) {
      const headers = { 'x-amz-copy-source': escapeURI(sourceBucket) + '/' + escapePath(String(sourceKey)) };
      const res = await this._send('PUT', objectPath(destinationBucket, destinationKey), { headers });
      this.#check(res, 'CopyObject');
      // S3 may answer 200 with an <Error> body when the copy fails after it started.
      if (typeof res.body === 'string' && /<Error[\s>]/.test(res.body)) this.#throw(res, 'CopyObject');
    }

    async createMultipartUpload(bucketName, objectKey) {
      const res = await this._send('POST', objectPath(bucketName, objectKey), { query: { uploads: '' } });
      this.#check(res, 'CreateMultipartUpload');
      return new S3MultipartUpload(objectKey, childText(xml(res, 'CreateMultipartUpload'), 'UploadId'));
    }

    async uploadPart(bucketName, objectKey, uploadId, partNumber, data) {
      const res = await this._send('PUT', objectPath(bucketName, objectKey), {
        query: { partNumber: String(partNumber), uploadId: String(uploadId) },
        body: data,
      });
      this.#check(res, 'UploadPart');
      return new S3Part(partNumber, headerValue(res, 'ETag'));
    }

    async completeMultipartUpload(bucketName, objectKey, uploadId, parts) {
      const body = '<CompleteMultipartUpload>' + parts.map((part) => '<Part><PartNumber>' + part.partNumber
        + '</PartNumber><ETag>' + xmlEscape(part.eTag) + '</ETag></Part>').join('') + '</CompleteMultipartUpload>';
      const res = await this._send('POST', objectPath(bucketName, objectKey), { query: { uploadId: String(uploadId) }, body });
      this.#check(res, 'CompleteMultipartUpload');
      if (typeof res.body === 'string' && /<Error[\s>]/.test(res.body)) this.#throw(res, 'CompleteMultipartUpload');
    }

    async abortMultipartUpload(bucketName, objectKey, uploadId) {
      const res = await this._send('DELETE', objectPath(bucketName, objectKey), { query: { uploadId: String(uploadId) } });
      this.#check(res, 'AbortMultipartUpload');
    }

    #check(res, operation) {
      if (!ok(res)) this.#throw(res, operation);
    }

    #throw(res, operation) {
      if (res.status === 301) throw new S3ServiceError('Resource not found', 'ResourceNotFound', operation);
      let code = '';
      let message = res.error || ('status ' + res.status);
      if (typeof res.body === 'string' && res.body !== '') {
        try {
          const doc = host.parseXml(res.body);
          code = childText(doc, 'Code') || '';
          message = childText(doc, 'Message') || code || message;
        } catch (_) { /* not XML: keep the transport's message */ }
      }
      if (SIGNATURE_CODES.has(code)) throw new InvalidSignatureError(message, code);
      throw new S3ServiceError(message, code || 'unknown', operation);
    }
  }
`;
