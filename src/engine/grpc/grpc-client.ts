// `new grpc.Client()` (internal/js/modules/k6/grpc/client.go): load()/loadProtoset() in the init
// context, connect() outside it (blocking until the connection is ready, optionally reading the
// services by reflection), invoke() blocking the VU until the RPC ended, asyncInvoke() returning a
// Promise, healthCheck(), close(). Requests go through k6's JSON round trip (NaN and infinities as
// strings) and protojson; responses come back as protojson with EmitUnpopulated.
import { performance } from 'node:perf_hooks';
import type * as GrpcJs from '@grpc/grpc-js';
import { isThenable } from '../vu/blocking.ts';
import { callSite } from '../vu/call-site.ts';
import { goError } from '../vu/go-error.ts';
import { resolveOpenPath } from '../vu/open-file.ts';
import type { VuHost } from '../vu/vu-host.ts';
import { dial, type DialSettings } from './grpc-connection.ts';
import { peerIp, toMetadata, unaryCall, type RpcOutcome } from './grpc-call.ts';
import { callTags, emitRpcDuration } from './grpc-metrics.ts';
import { parseCallParams, parseConnectParams, type CallParams } from './grpc-params.ts';
import { loadProtoFiles, methodsOf, rootFromDescriptorSet, type MethodDef, type ReadFile } from './proto-files.ts';
import { LoadedTypes } from './proto-types.ts';
import { messageToJson, ProtoJsonError } from './protojson-encode.ts';
import { codeName, statusDetailsJson } from './grpc-status.ts';
import { healthCheckRequest, servingStatus } from './grpc-health.ts';
import { messageFromJson } from './protojson-decode.ts';
import { reflectServices } from './grpc-reflection.ts';
import type * as Protobuf from 'protobufjs';

export interface GrpcClientDeps {
  readonly host: VuHost;
  /** Parses JSON into the script's realm (the objects a script receives). */
  readonly parseJson: (text: string) => unknown;
  readonly readFile: ReadFile;
  readonly scriptDir: string;
  readonly dial: DialSettings;
  readonly systemTags: (tag: string) => boolean;
  /** Every connection of the VU, closed when the VU ends. */
  readonly live: Set<GrpcJs.Client>;
}

export interface MethodInfo {
  readonly package: string;
  readonly service: string;
  readonly full_method: string;
}

/** What a request turns into before it is sent. */
export interface PreparedCall {
  readonly def: MethodDef;
  readonly method: string;
  readonly params: CallParams;
  readonly tags: Record<string, string>;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** An object that refers back to one of its ancestors (what k6's normalizeNumberStrings refuses). */
function hasCycle(v: unknown, stack: unknown[] = []): boolean {
  if (v === null || typeof v !== 'object') return false;
  if (stack.includes(v)) return true;
  stack.push(v);
  for (const x of Object.values(v)) if (hasCycle(x, stack)) return true;
  stack.pop();
  return false;
}

/** invoke()'s request: k6's normalizeNumberStrings + MarshalJSON, a cyclic object refused with k6's error. */
export function invokeRequestJson(req: unknown): unknown {
  if (hasCycle(req)) throw goError('unable to normalize number strings: cyclic reference to an object found');
  return requestJson(req);
}

/** k6's normalizeNumberStrings + MarshalJSON: the request as the JSON protojson reads. */
export function requestJson(req: unknown): unknown {
  const text = JSON.stringify(req, (_k, v: unknown) => {
    if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
    return v;
  });
  return text === undefined ? null : JSON.parse(text);
}

export class GrpcClientState {
  readonly methods = new Map<string, MethodDef>();
  readonly types = new LoadedTypes();
  conn: GrpcJs.Client | undefined;
  address = '';
  readonly deps: GrpcClientDeps;

  constructor(deps: GrpcClientDeps) {
    this.deps = deps;
  }

  addRoot(root: Protobuf.Root): MethodInfo[] {
    this.types.add(root);
    const out: MethodInfo[] = [];
    for (const def of methodsOf(root)) {
      this.methods.set(def.path, def);
      out.push({ package: def.packageName, service: def.service, full_method: def.path });
    }
    return out;
  }

  /** The method's definition by its name, with or without the leading slash. */
  method(name: string): MethodDef {
    if (name === '') throw goError('method to invoke cannot be empty');
    const path = name.startsWith('/') ? name : `/${name}`;
    const def = this.methods.get(path);
    if (def === undefined) throw goError(`method ${JSON.stringify(path)} not found in file descriptors`);
    return def;
  }

  prepare(method: string, params: unknown, what: string): PreparedCall {
    const def = this.method(method);
    let p: CallParams;
    try {
      p = parseCallParams(params, this.deps.host.state.tags);
    } catch (e) {
      throw goError(`invalid GRPC's ${what} parameters: ${errorText(e)}`);
    }
    return { def, method: def.path, params: p, tags: callTags(p.tags, this.address, def.path, this.deps.systemTags) };
  }

  encode(type: Protobuf.Type, json: unknown, what: string): Buffer {
    try {
      const obj = messageFromJson(type, json, this.types);
      return Buffer.from(type.encode(obj).finish());
    } catch (e) {
      if (e instanceof ProtoJsonError) throw goError(`${what}: ${e.message}`);
      throw e;
    }
  }

  /** A decoded message as the script receives it (protojson with EmitUnpopulated, in the script's realm). */
  decode(type: Protobuf.Type, bytes: Buffer | undefined): unknown {
    const msg = type.decode(bytes ?? new Uint8Array()) as unknown as Record<string, unknown>;
    let json: unknown;
    try {
      json = messageToJson(type, msg, this.types);
    } catch (e) {
      // k6 (grpcext Invoke): protojson's refusal as a GoError, e.g. a google.protobuf.Value with no kind set.
      if (e instanceof ProtoJsonError) throw goError(`unable to convert response object to JSON: ${e.message}`);
      throw e;
    }
    return this.deps.parseJson(JSON.stringify(json));
  }

  close(): void {
    const conn = this.conn;
    if (conn === undefined) return;
    this.conn = undefined;
    this.deps.live.delete(conn);
    conn.close();
  }
}

export function createClientClass(deps: GrpcClientDeps, states: WeakMap<object, GrpcClientState>): new () => object {
  const { host } = deps;
  const inInit = (): boolean => host.state.phase === 'init';
  const stateOf = (self: unknown): GrpcClientState => {
    const s = states.get(self as object);
    if (s === undefined) throw new TypeError('Illegal invocation');
    return s;
  };
  const toScript = (infos: MethodInfo[]): unknown => deps.parseJson(JSON.stringify(infos));

  const runInvoke = (s: GrpcClientState, call: PreparedCall, req: unknown): Promise<unknown> => {
    const conn = s.conn;
    if (conn === undefined) throw goError('no gRPC connection, you must call connect first');
    const body = s.encode(call.def.requestType, invokeRequestJson(req), 'unable to serialise request object to protocol buffer');
    const started = performance.now();
    const sink = host.samples;
    // k6 GRPC Invoke's default timeout is 2 minutes.
    const timeout = call.params.timeoutMs > 0 ? call.params.timeoutMs : 120_000;
    return unaryCall(conn, call.method, body, call.params.metadata, timeout, host.signal).then((out: RpcOutcome) => {
      emitRpcDuration(host, call.tags, out.code, performance.now() - started, deps.systemTags, peerIp(out.peer), sink);
      return invokeResponse(s, call, out);
    });
  };

  const invokeResponse = (s: GrpcClientState, call: PreparedCall, out: RpcOutcome): unknown => {
    const res: Record<string, unknown> = {
      message: null,
      error: null,
      headers: out.headers,
      trailers: out.trailers,
      status: out.code,
    };
    if (out.code !== 0) {
      // k6 marshals the status proto with the client's types: details it cannot resolve leave {}.
      const details = statusDetailsJson(out.statusDetails, s.types);
      res.error = details === undefined ? {} : { code: out.code, message: out.details, details };
    }
    const text = JSON.stringify(res);
    const obj = deps.parseJson(text) as Record<string, unknown>;
    if (!call.params.discardResponseMessage) obj.message = s.decode(call.def.responseType, out.code === 0 ? out.response : undefined);
    return obj;
  };

  const checkInvoke = (s: GrpcClientState, method: unknown, req: unknown, params: unknown): PreparedCall => {
    if (inInit()) throw goError('invoking RPC methods in the init context is not supported');
    if (s.conn === undefined) throw goError('no gRPC connection, you must call connect first');
    const call = s.prepare(String(method ?? ''), params, 'client.invoke()');
    if (req === undefined || req === null) throw goError('request cannot be nil');
    return call;
  };

  class Client {
    constructor() {
      states.set(this, new GrpcClientState(deps));
    }

    load(importPaths: unknown, ...files: unknown[]): unknown {
      const s = stateOf(this);
      if (!inInit()) throw goError('load must be called in the init context');
      const paths = importPaths === undefined || importPaths === null ? [] : Array.isArray(importPaths) ? importPaths.map(String) : [String(importPaths)];
      let loaded: ReturnType<typeof loadProtoFiles>;
      try {
        loaded = loadProtoFiles(deps.readFile, deps.scriptDir, paths, files.map(String));
      } catch (e) {
        throw goError(errorText(e));
      }
      if (isThenable(loaded)) {
        const attach = callSite();
        return host.block(loaded.then((root) => toScript(s.addRoot(root)), (e: unknown) => {
          throw goError(errorText(e));
        }).catch((e: unknown) => {
          throw attach(e);
        }));
      }
      return toScript(s.addRoot(loaded));
    }

    loadProtoset(path: unknown): unknown {
      const s = stateOf(this);
      if (!inInit()) throw goError('load must be called in the init context');
      const name = String(path);
      const fromBytes = (bytes: Uint8Array): unknown => {
        let root: Protobuf.Root;
        try {
          root = rootFromDescriptorSet(bytes);
        } catch (e) {
          // Bytes that are not protobuf wire format get Go's proto.Unmarshal text, as in k6.
          const text = errorText(e);
          throw goError(`couldn't unmarshal protoset file ${name}: ${/invalid wire type|index out of range/i.test(text) ? 'proto: cannot parse invalid wire-format data' : text}`);
        }
        return toScript(s.addRoot(root));
      };
      // k6's GetAbsFilePath: joined with the script's directory and cleaned.
      const abs = resolveOpenPath(deps.scriptDir, name);
      let read: Uint8Array | Promise<Uint8Array>;
      try {
        read = deps.readFile(abs);
      } catch (e) {
        throw goError(`couldn't open protoset: ${errorText(e)}`);
      }
      if (isThenable(read)) {
        const attach = callSite();
        return host.block(Promise.resolve(read).then(fromBytes, (e: unknown) => {
          throw goError(`couldn't open protoset: ${errorText(e)}`);
        }).catch((e: unknown) => {
          throw attach(e);
        }));
      }
      return fromBytes(read);
    }

    connect(address: unknown, params?: unknown): unknown {
      const s = stateOf(this);
      if (inInit()) throw goError('connecting to a gRPC server in the init context is not supported');
      let p: ReturnType<typeof parseConnectParams>;
      try {
        p = parseConnectParams(params);
      } catch (e) {
        throw goError(`invalid grpc.connect() parameters: ${errorText(e)}`);
      }
      const addr = String(address);
      s.close();
      s.address = addr;
      const connected = dial(addr, p, deps.dial, host.signal).then(async (conn) => {
        s.conn = conn;
        deps.live.add(conn);
        if (p.reflect) {
          let root: Protobuf.Root;
          try {
            root = await reflectServices(conn, toMetadata(p.reflectMetadata), Date.now() + p.timeoutMs, (code, ms, peer) => {
              emitRpcDuration(host, { ...host.state.tags }, code, ms, deps.systemTags, peerIp(peer));
            });
          } catch (e) {
            throw goError(errorText(e));
          }
          try {
            s.addRoot(root);
          } catch (e) {
            throw goError(`can't convert method info: ${errorText(e)}`);
          }
        }
        return true;
      }, (e: unknown) => {
        throw goError(errorText(e));
      });
      return host.block(connected);
    }

    invoke(method: unknown, req: unknown, params?: unknown): unknown {
      const s = stateOf(this);
      const call = checkInvoke(s, method, req, params);
      return host.block(runInvoke(s, call, req));
    }

    asyncInvoke(method: unknown, req: unknown, params?: unknown): Promise<unknown> {
      const s = stateOf(this);
      let p: Promise<unknown>;
      try {
        const call = checkInvoke(s, method, req, params);
        p = runInvoke(s, call, req);
      } catch (e) {
        return Promise.reject(e);
      }
      // Settled on the VU's loop, as k6 does: its callbacks wait while the VU is inside a blocking call.
      return host.settleOnLoop(p);
    }

    healthCheck(service?: unknown): unknown {
      const s = stateOf(this);
      const conn = s.conn;
      if (conn === undefined) throw goError('no gRPC connection, you must call connect first');
      const name = service === undefined || service === null ? '' : String(service);
      const body = healthCheckRequest(name);
      const tags: Record<string, string> = { ...host.state.tags };
      const started = performance.now();
      return host.block(unaryCall(conn, '/grpc.health.v1.Health/Check', body, [], 0, host.signal).then((out) => {
        emitRpcDuration(host, tags, out.code, performance.now() - started, deps.systemTags, peerIp(out.peer));
        if (out.code !== 0) throw goError(`rpc error: code = ${codeName(out.code)} desc = ${out.details}`);
        return deps.parseJson(JSON.stringify({ status: servingStatus(out.response) }));
      }));
    }

    close(): void {
      stateOf(this).close();
    }
  }
  return Client;
}
