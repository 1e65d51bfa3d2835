// connect(addr, { reflect: true }): the server reflection protocol, as k6's grpcext.Reflect uses it
// (grpcreflect's auto client: v1, falling back to v1alpha). List the services, ask for the file
// containing each, then for every dependency not returned yet, and build the Root from those
// FileDescriptorProtos. grpc-js has no reflection client; the two messages are declared here.
import { performance } from 'node:perf_hooks';
import type * as GrpcJs from '@grpc/grpc-js';
import type * as Protobuf from 'protobufjs';
import { descriptorLib, protobufLib } from './grpc-packages.ts';
import { rootFromDescriptorSet } from './proto-files.ts';
import { codeName } from './grpc-status.ts';
import { lengthDelimited } from './proto-wire.ts';

const REFLECTION_JSON = {
  nested: {
    ServerReflectionRequest: {
      oneofs: { message_request: { oneof: ['file_by_filename', 'file_containing_symbol', 'list_services'] } },
      fields: {
        host: { type: 'string', id: 1 },
        file_by_filename: { type: 'string', id: 3 },
        file_containing_symbol: { type: 'string', id: 4 },
        list_services: { type: 'string', id: 7 },
      },
    },
    ServerReflectionResponse: {
      fields: {
        valid_host: { type: 'string', id: 1 },
        file_descriptor_response: { type: 'FileDescriptorResponse', id: 4 },
        list_services_response: { type: 'ListServiceResponse', id: 6 },
        error_response: { type: 'ErrorResponse', id: 7 },
      },
    },
    FileDescriptorResponse: { fields: { file_descriptor_proto: { rule: 'repeated', type: 'bytes', id: 1 } } },
    ListServiceResponse: { fields: { service: { rule: 'repeated', type: 'ServiceResponse', id: 1 } } },
    ServiceResponse: { fields: { name: { type: 'string', id: 1 } } },
    ErrorResponse: { fields: { error_code: { type: 'int32', id: 1 }, error_message: { type: 'string', id: 2 } } },
  },
};

/** A decoded response: protobufjs leaves unset message fields null. */
interface ReflectionResponse {
  file_descriptor_response?: { file_descriptor_proto?: Uint8Array[] } | null;
  list_services_response?: { service?: Array<{ name?: string }> } | null;
  error_response?: { error_code?: number; error_message?: string } | null;
}

/** Called when a reflection call ended (k6's stats handler times reflection calls too). */
export type RpcEnded = (code: number, ms: number, peer: string) => void;

let types: { request: Protobuf.Type; response: Protobuf.Type } | undefined;

function reflectionTypes(): { request: Protobuf.Type; response: Protobuf.Type } {
  if (types === undefined) {
    const root = protobufLib().Root.fromJSON(REFLECTION_JSON);
    types = { request: root.lookupType('ServerReflectionRequest'), response: root.lookupType('ServerReflectionResponse') };
  }
  return types;
}

/** One reflection stream: each ask() sends a request and resolves with its response, in order. */
class ReflectionStream {
  readonly #call: GrpcJs.ClientDuplexStream<Buffer, Buffer>;
  readonly #waiting: Array<{ resolve: (r: ReflectionResponse) => void; reject: (e: Error) => void }> = [];
  #failure: Error | undefined;

  constructor(client: GrpcJs.Client, path: string, metadata: GrpcJs.Metadata, deadline: number, ended: RpcEnded) {
    const id = (b: Buffer): Buffer => b;
    const started = performance.now();
    this.#call = client.makeBidiStreamRequest(path, id, id, metadata, { deadline });
    this.#call.on('status', (status: GrpcJs.StatusObject) => ended(status.code, performance.now() - started, this.#call.getPeer()));
    const { response } = reflectionTypes();
    this.#call.on('data', (buf: Buffer) => {
      this.#waiting.shift()?.resolve(response.decode(buf) as unknown as ReflectionResponse);
    });
    this.#call.on('error', (e: GrpcJs.ServiceError) => this.#fail(new Error(`rpc error: code = ${codeName(e.code)} desc = ${e.details}`, { cause: e })));
    this.#call.on('end', () => this.#fail(new Error('reflection stream ended')));
  }

  #fail(e: Error): void {
    this.#failure ??= e;
    for (const w of this.#waiting.splice(0)) w.reject(e);
  }

  ask(request: Record<string, unknown>): Promise<ReflectionResponse> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    const { request: type } = reflectionTypes();
    return new Promise((resolve, reject) => {
      this.#waiting.push({ resolve, reject });
      this.#call.write(Buffer.from(type.encode(type.fromObject(request)).finish()));
    });
  }

  end(): void {
    this.#call.end();
    this.#call.cancel();
  }
}

async function collect(stream: ReflectionStream): Promise<Uint8Array[]> {
  const listed = await stream.ask({ list_services: '' });
  if (listed.error_response !== undefined && listed.error_response !== null) throw new Error(`can't list services: ${listed.error_response.error_message ?? ''}`);
  const services = (listed.list_services_response?.service ?? []).map((s) => s.name ?? '');
  const FileDescriptorProto = descriptorLib().FileDescriptorProto;
  const files = new Map<string, Uint8Array>();
  const add = (res: ReflectionResponse, what: string): string[] => {
    if (res.error_response !== undefined && res.error_response !== null) throw new Error(`${what}: ${res.error_response.error_message ?? ''}`);
    const deps: string[] = [];
    for (const bytes of res.file_descriptor_response?.file_descriptor_proto ?? []) {
      const fd = FileDescriptorProto.decode(bytes) as unknown as { name?: string; dependency?: string[] };
      const name = fd.name ?? '';
      if (files.has(name)) continue;
      files.set(name, bytes);
      deps.push(...(fd.dependency ?? []));
    }
    return deps;
  };
  const pending: string[] = [];
  for (const svc of services) {
    if (svc === 'grpc.reflection.v1alpha.ServerReflection' || svc === 'grpc.reflection.v1.ServerReflection') continue;
    pending.push(...add(await stream.ask({ file_containing_symbol: svc }), `can't get method on service ${JSON.stringify(svc)}`));
  }
  while (pending.length > 0) {
    const name = pending.shift() ?? '';
    if (files.has(name)) continue;
    pending.push(...add(await stream.ask({ file_by_filename: name }), `can't get file ${JSON.stringify(name)}`));
  }
  return [...files.values()];
}

/** A FileDescriptorSet's bytes from its files' bytes (field 1, repeated). */
function descriptorSet(files: Uint8Array[]): Uint8Array {
  return Buffer.concat(files.map((f) => lengthDelimited(1, f)));
}

export async function reflectServices(client: GrpcJs.Client, metadata: GrpcJs.Metadata, deadline: number, ended: RpcEnded): Promise<Protobuf.Root> {
  let files: Uint8Array[] | undefined;
  let lastError: unknown;
  for (const path of ['/grpc.reflection.v1.ServerReflection/ServerReflectionInfo', '/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo']) {
    const stream = new ReflectionStream(client, path, metadata.clone(), deadline, ended);
    try {
      files = await collect(stream);
      break;
    } catch (e) {
      lastError = e;
      // Only an unimplemented v1 falls back to v1alpha.
      if (((e as Error).cause as GrpcJs.ServiceError | undefined)?.code !== 12) break;
    } finally {
      stream.end();
    }
  }
  if (files === undefined) throw new Error(`can't list services: ${(lastError as Error).message}`);
  return rootFromDescriptorSet(descriptorSet(files));
}
