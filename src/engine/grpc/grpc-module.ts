// `import grpc from 'k6/net/grpc'` (internal/js/modules/k6/grpc/grpc.go): Client, Stream, the status
// code constants and the health-check serving statuses. One instance per VU; its connections and
// streams live as long as the VU, streams still open at an iteration's end are cancelled.
import type * as GrpcJs from '@grpc/grpc-js';
import { systemTagEnabled } from '../vu/system-tags.ts';
import type { VuHost } from '../vu/vu-host.ts';
import type { VuEventLoop } from '../vu/vu-event-loop.ts';
import { DEFAULT_USER_AGENT } from '../options/k6-options.ts';
import { connectionSettings } from '../http/http-module.ts';
import { NetworkPolicy } from '../http/network-policy.ts';
import { SocketBytes } from '../http/socket-bytes.ts';
import { grpcLib, protobufLib } from './grpc-packages.ts';
import { createClientClass, type GrpcClientState } from './grpc-client.ts';
import { defineGrpcMetrics, countGrpcBytes } from './grpc-metrics.ts';
import { createStreamClass } from './grpc-stream.ts';
import type { ReadFile } from './proto-files.ts';

export interface GrpcModuleDeps {
  /** Parses JSON into the script's realm. */
  readonly parseJson: (text: string) => unknown;
  /** The VU's file source (what open() reads). */
  readonly readFile: ReadFile;
  /** Relative proto paths resolve from here (the main script's directory). */
  readonly scriptDir: string;
}

const STATUS_CODES = [
  'StatusOK', 'StatusCanceled', 'StatusUnknown', 'StatusInvalidArgument', 'StatusDeadlineExceeded', 'StatusNotFound',
  'StatusAlreadyExists', 'StatusPermissionDenied', 'StatusResourceExhausted', 'StatusFailedPrecondition', 'StatusAborted',
  'StatusOutOfRange', 'StatusUnimplemented', 'StatusInternal', 'StatusUnavailable', 'StatusDataLoss', 'StatusUnauthenticated',
] as const;

// k6's own spelling, "Unkown" included.
const SERVING_STATUSES = ['HealthCheckUnknown', 'HealthCheckServing', 'HealthCheckNotServing', 'HealthCheckServiceUnkown'] as const;

export function createGrpcModule(host: VuHost, loop: VuEventLoop, deps: GrpcModuleDeps): Record<string, unknown> {
  // Loaded here, in the init context of the VU that imports the module, rather than at its first
  // connect() while the test is measuring.
  grpcLib();
  protobufLib();
  defineGrpcMetrics(host);
  const systemTags = (tag: string): boolean => systemTagEnabled(host.options, tag);
  const sockets = new SocketBytes(); // the bytes of this VU's gRPC sockets
  const connection = connectionSettings(host.options);
  const live = new Set<GrpcJs.Client>();
  const streams = new Set<{ abandon(): void }>();
  const abandonStreams = (): void => {
    for (const s of [...streams]) s.abandon();
  };
  host.lifecycle.onIterationEnd(abandonStreams);
  countGrpcBytes(host, sockets, () => {
    abandonStreams();
    for (const c of live) c.close();
    live.clear();
  });
  const clients = new WeakMap<object, GrpcClientState>();
  const Client = createClientClass({
    host,
    parseJson: deps.parseJson,
    readFile: deps.readFile,
    scriptDir: deps.scriptDir,
    dial: {
      userAgent: typeof host.options.userAgent === 'string' ? host.options.userAgent : DEFAULT_USER_AGENT,
      connection,
      policy: new NetworkPolicy(connection.blockHostnames ?? [], connection.blacklistIPs ?? [], connection.lookup),
      sockets,
    },
    systemTags,
    live,
  }, clients);
  const Stream = createStreamClass({ host, loop, parseJson: deps.parseJson, systemTags }, clients, streams);
  const mod: Record<string, unknown> = { Client, Stream };
  STATUS_CODES.forEach((name, code) => {
    mod[name] = code;
  });
  SERVING_STATUSES.forEach((name, status) => {
    mod[name] = status;
  });
  return { ...mod, default: mod };
}
