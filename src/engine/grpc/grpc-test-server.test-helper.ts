// A grpc-js server on 127.0.0.1 for the k6/net/grpc tests: the Echo service of
// fixtures/grpc/echo.proto (unary, failing, slow, server-, client- and bidi-streaming calls, metadata
// echoed back), the route guide services k6's examples call, grpc.health.v1 Check, and server
// reflection (v1alpha) over both.
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { fileURLToPath } from 'node:url';

/** The protos the test scripts load (test/scripts/fixtures/grpc). */
export const PROTO_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'test', 'scripts', 'fixtures', 'grpc');

export interface GrpcTarget {
  /** host:port */
  readonly address: string;
  /** Request metadata of every call, by method path. */
  readonly calls: Array<{ path: string; metadata: Record<string, unknown> }>;
  close(): Promise<void>;
}

type Obj = Record<string, unknown>;

const LOAD_OPTIONS: protoLoader.Options = { keepCase: true, longs: String, enums: String, bytes: Buffer, oneofs: true, includeDirs: [PROTO_DIR] };

function service(def: protoLoader.PackageDefinition, name: string): grpc.ServiceDefinition {
  return def[name] as grpc.ServiceDefinition;
}

const ROUTE_FEATURES = [
  { name: 'Berkshire Valley Management Area Trail, Jefferson, NJ, USA', location: { latitude: 409146138, longitude: -746188906 } },
  { name: 'Patriots Path, Mendham, NJ 07945, USA', location: { latitude: 407838351, longitude: -746143763 } },
  { name: '', location: { latitude: 410248224, longitude: -747127767 } },
];

export async function startGrpcTarget(opts: { credentials?: grpc.ServerCredentials } = {}): Promise<GrpcTarget> {
  const echo = protoLoader.loadSync('echo.proto', LOAD_OPTIONS);
  const route = protoLoader.loadSync('route_guide.proto', LOAD_OPTIONS);
  const calls: GrpcTarget['calls'] = [];
  const server = new grpc.Server();
  const record = (p: string, md: grpc.Metadata): void => {
    calls.push({ path: p, metadata: md.getMap() });
  };

  const reply = (req: Obj): Obj => {
    const out: Obj = { ...req };
    for (const k of ['code', 'delay_ms', 'count']) delete out[k];
    if (req.text === 'nested') out.nested = { inner_name: 'inside' };
    if (typeof req.ratio === 'number') out.share = req.ratio;
    return out;
  };

  server.addService(service(echo, 'stampede.test.Echo'), {
    Say(call: grpc.ServerUnaryCall<Obj, Obj>, cb: grpc.sendUnaryData<Obj>) {
      record('/stampede.test.Echo/Say', call.metadata);
      const md = new grpc.Metadata();
      const token = call.metadata.get('x-token')[0];
      if (token !== undefined) md.set('x-echo', String(token));
      call.sendMetadata(md);
      const trailers = new grpc.Metadata();
      trailers.set('x-trailer', 'done');
      cb(null, reply(call.request), trailers);
    },
    Fail(call: grpc.ServerUnaryCall<Obj, Obj>, cb: grpc.sendUnaryData<Obj>) {
      record('/stampede.test.Echo/Fail', call.metadata);
      const code = Number(call.request.code);
      const text = String(call.request.text);
      const metadata = new grpc.Metadata();
      // `text` "details:<type name>" attaches a google.rpc.Status whose one detail is that type holding Nested{inner_name: "why"}.
      if (text.startsWith('details:')) metadata.set('grpc-status-details-bin', statusWithDetail(code, text, text.slice(8)));
      cb({ code, details: text, metadata });
    },
    Slow(call: grpc.ServerUnaryCall<Obj, Obj>, cb: grpc.sendUnaryData<Obj>) {
      record('/stampede.test.Echo/Slow', call.metadata);
      setTimeout(() => cb(null, reply(call.request)), Number(call.request.delay_ms));
    },
    Count(call: grpc.ServerWritableStream<Obj, Obj>) {
      record('/stampede.test.Echo/Count', call.metadata);
      const n = Number(call.request.count ?? 0);
      for (let i = 1; i <= n; i++) call.write({ text: `${String(call.request.text)} ${i}`, big: String(i) });
      const code = Number(call.request.code ?? 0);
      if (code !== 0) call.emit('error', { code, details: 'count failed' });
      else call.end();
    },
    Sum(call: grpc.ServerReadableStream<Obj, Obj>, cb: grpc.sendUnaryData<Obj>) {
      record('/stampede.test.Echo/Sum', call.metadata);
      const texts: string[] = [];
      call.on('data', (m: Obj) => texts.push(String(m.text)));
      call.on('end', () => cb(null, { text: texts.join('+'), total: String(texts.length) }));
    },
    Chat(call: grpc.ServerDuplexStream<Obj, Obj>) {
      record('/stampede.test.Echo/Chat', call.metadata);
      call.on('data', (m: Obj) => call.write({ text: String(m.text).toUpperCase() }));
      call.on('end', () => call.end());
    },
  });

  server.addService(service(route, 'main.FeatureExplorer'), {
    GetFeature(call: grpc.ServerUnaryCall<Obj, Obj>, cb: grpc.sendUnaryData<Obj>) {
      const p = call.request as { latitude: number; longitude: number };
      const found = ROUTE_FEATURES.find((f) => f.location.latitude === p.latitude && f.location.longitude === p.longitude);
      cb(null, found ?? { name: '', location: p });
    },
    ListFeatures(call: grpc.ServerWritableStream<Obj, Obj>) {
      for (const f of ROUTE_FEATURES) if (f.name !== '') call.write(f);
      call.end();
    },
  });
  server.addService(service(route, 'main.RouteGuide'), {
    RecordRoute(call: grpc.ServerReadableStream<Obj, Obj>, cb: grpc.sendUnaryData<Obj>) {
      let points = 0;
      const started = Date.now();
      call.on('data', () => points++);
      call.on('end', () => cb(null, { point_count: points, feature_count: 0, distance: points * 100, elapsed_time: Math.round((Date.now() - started) / 1000) }));
    },
    RouteChat(call: grpc.ServerDuplexStream<Obj, Obj>) {
      call.on('data', (note: Obj) => call.write(note));
      call.on('end', () => call.end());
    },
  });

  // grpc.health.v1.Health/Check: SERVING for "" and the Echo service, SERVICE_UNKNOWN otherwise.
  const id = (b: Buffer): Buffer => b;
  server.addService({
    Check: { path: '/grpc.health.v1.Health/Check', requestStream: false, responseStream: false, requestSerialize: id, requestDeserialize: id, responseSerialize: id, responseDeserialize: id },
  }, {
    Check(call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) {
      const name = call.request.length > 2 ? call.request.subarray(2).toString() : '';
      cb(null, Buffer.from([0x08, name === '' || name === 'stampede.test.Echo' ? 1 : 3]));
    },
  });

  addReflection(server, [echo, route]);

  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', opts.credentials ?? grpc.ServerCredentials.createInsecure(), (err, p) => (err === null ? resolve(p) : reject(err)));
  });
  return {
    address: `127.0.0.1:${port}`,
    calls,
    close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}

function field(n: number, bytes: Buffer): Buffer {
  return Buffer.concat([Buffer.from([(n << 3) | 2, bytes.length]), bytes]);
}

/** google.rpc.Status { code, message, details: [Any { type_url, value: Nested { inner_name: "why" } }] } */
function statusWithDetail(code: number, message: string, typeName: string): Buffer {
  const detail = Buffer.concat([field(1, Buffer.from(`type.googleapis.com/${typeName}`)), field(2, field(1, Buffer.from('why')))]);
  return Buffer.concat([Buffer.from([0x08, code]), field(2, Buffer.from(message)), field(3, detail)]);
}

/** A serialized FileDescriptorSet of `file` and its imports (what `protoc --descriptor_set_out --include_imports` writes). */
export function protosetOf(file: string): Buffer {
  const def = protoLoader.loadSync(file, LOAD_OPTIONS);
  const first = Object.values(def).find((e) => 'format' in e) as { fileDescriptorProtos: Buffer[] } | undefined;
  const parts: Buffer[] = [];
  for (const fd of first?.fileDescriptorProtos ?? []) {
    const len: number[] = [];
    let v = fd.length;
    while (v > 0x7f) {
      len.push((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    len.push(v);
    parts.push(Buffer.from([0x0a, ...len]), fd);
  }
  return Buffer.concat(parts);
}

/** grpc.reflection.v1alpha.ServerReflection over the loaded definitions (their serialized FileDescriptorProtos). */
function addReflection(server: grpc.Server, defs: protoLoader.PackageDefinition[]): void {
  const reflection = protoLoader.fromJSON({
    nested: {
      Req: { fields: { host: { type: 'string', id: 1 }, file_by_filename: { type: 'string', id: 3 }, file_containing_symbol: { type: 'string', id: 4 }, list_services: { type: 'string', id: 7 } } },
      Res: { fields: { file_descriptor_response: { type: 'Files', id: 4 }, list_services_response: { type: 'Services', id: 6 }, error_response: { type: 'Err', id: 7 } } },
      Files: { fields: { file_descriptor_proto: { rule: 'repeated', type: 'bytes', id: 1 } } },
      Services: { fields: { service: { rule: 'repeated', type: 'Svc', id: 1 } } },
      Svc: { fields: { name: { type: 'string', id: 1 } } },
      Err: { fields: { error_code: { type: 'int32', id: 1 }, error_message: { type: 'string', id: 2 } } },
    },
  }, { keepCase: true });
  const req = reflection.Req as protoLoader.MessageTypeDefinition<Obj, Obj>;
  const res = reflection.Res as protoLoader.MessageTypeDefinition<Obj, Obj>;
  const services: string[] = [];
  const files = new Map<string, Buffer[]>();
  for (const def of defs) {
    for (const [name, entry] of Object.entries(def)) {
      if ('format' in entry) continue;
      services.push(name);
      const first = Object.values(entry as Record<string, { requestType: { fileDescriptorProtos: Buffer[] } }>)[0];
      files.set(name, first?.requestType.fileDescriptorProtos ?? []);
    }
  }
  const encode = (m: Obj): Buffer => res.serialize(m);
  server.addService({
    ServerReflectionInfo: {
      path: '/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo',
      requestStream: true,
      responseStream: true,
      requestSerialize: (b: Buffer) => b,
      requestDeserialize: (b: Buffer) => req.deserialize(b),
      responseSerialize: encode,
      responseDeserialize: (b: Buffer) => b,
    },
  }, {
    ServerReflectionInfo(call: grpc.ServerDuplexStream<Obj, Obj>) {
      call.on('data', (m: Obj) => {
        if (typeof m.list_services === 'string') {
          call.write({ list_services_response: { service: [...services, 'grpc.reflection.v1alpha.ServerReflection'].map((name) => ({ name })) } });
        } else if (typeof m.file_containing_symbol === 'string') {
          const found = files.get(m.file_containing_symbol);
          if (found === undefined) call.write({ error_response: { error_code: 5, error_message: 'not found' } });
          else call.write({ file_descriptor_response: { file_descriptor_proto: found } });
        } else {
          call.write({ error_response: { error_code: 5, error_message: 'not found' } });
        }
      });
      call.on('end', () => call.end());
    },
  });
}
