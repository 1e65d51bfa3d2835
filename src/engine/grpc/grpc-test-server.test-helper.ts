// A grpc-js server on 127.0.0.1 for the k6/net/grpc tests: the Echo service of
// fixtures/grpc/echo.proto (unary, failing, slow, server-, client- and bidi-streaming calls, metadata
// echoed back), the orchard services of fixtures/grpc/orchard.proto, grpc.health.v1 Check, and server
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

/** The orchard of fixtures/grpc/orchard.proto: (9, 9) is a sapling with every field at its zero value but the position. */
const ORCHARD = [
  { variety: 'Bramley', position: { row: 3, column: 14 }, age_years: 12 },
  { variety: 'Cox Orange Pippin', position: { row: 7, column: -2 }, age_years: 30 },
  { variety: 'Egremont Russet', position: { row: 12, column: 5 }, age_years: 4 },
  { variety: '', position: { row: 9, column: 9 }, age_years: 0 },
];
const GRID = 20;

interface Spot {
  row: number;
  column: number;
}
const treeAt = (s: Spot) => ORCHARD.find((t) => t.position.row === s.row && t.position.column === s.column);

export async function startGrpcTarget(opts: { credentials?: grpc.ServerCredentials } = {}): Promise<GrpcTarget> {
  const echo = protoLoader.loadSync('echo.proto', LOAD_OPTIONS);
  const orchard = protoLoader.loadSync('orchard.proto', LOAD_OPTIONS);
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

  server.addService(service(orchard, 'orchard.Groves'), {
    Inspect(call: grpc.ServerUnaryCall<Obj, Obj>, cb: grpc.sendUnaryData<Obj>) {
      record('/orchard.Groves/Inspect', call.metadata);
      // The x-picker header comes back as the x-picker-seen header.
      const picker = call.metadata.get('x-picker')[0];
      if (picker !== undefined) {
        const md = new grpc.Metadata();
        md.set('x-picker-seen', String(picker));
        call.sendMetadata(md);
      }
      const spot = call.request as unknown as Spot;
      if (Math.abs(spot.row) > GRID || Math.abs(spot.column) > GRID) {
        cb({ code: grpc.status.NOT_FOUND, details: `no row ${spot.row} column ${spot.column} in this orchard` });
        return;
      }
      cb(null, treeAt(spot) ?? { variety: '', position: spot, age_years: 0 });
    },
    Survey(call: grpc.ServerWritableStream<Obj, Obj>) {
      record('/orchard.Groves/Survey', call.metadata);
      const { near_corner: a, far_corner: b } = call.request as unknown as { near_corner: Spot; far_corner: Spot };
      if (a.row > b.row || a.column > b.column) {
        call.emit('error', { code: grpc.status.INVALID_ARGUMENT, details: 'near_corner must not lie beyond far_corner' });
        return;
      }
      const inside = (s: Spot): boolean => s.row >= a.row && s.row <= b.row && s.column >= a.column && s.column <= b.column;
      for (const t of ORCHARD) if (t.variety !== '' && inside(t.position)) call.write(t);
      call.end();
    },
  });
  server.addService(service(orchard, 'orchard.Picking'), {
    Collect(call: grpc.ServerReadableStream<Obj, Obj>, cb: grpc.sendUnaryData<Obj>) {
      record('/orchard.Picking/Collect', call.metadata);
      let visited = 0;
      let found = 0;
      const started = Date.now();
      call.on('data', (s: Obj) => {
        visited++;
        if (treeAt(s as unknown as Spot)?.variety) found++;
      });
      call.on('end', () => cb(null, { spots_visited: visited, trees_found: found, crates_filled: found * 3, elapsed_seconds: Math.round((Date.now() - started) / 1000) }));
    },
    Banter(call: grpc.ServerDuplexStream<Obj, Obj>) {
      record('/orchard.Picking/Banter', call.metadata);
      call.on('data', (r: Obj) => call.write({ at: r.at, words: `heard: ${String(r.words)}` }));
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

  addReflection(server, [echo, orchard]);

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
