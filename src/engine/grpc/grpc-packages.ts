// @grpc/grpc-js and protobufjs are loaded on first use, when a script imports k6/net/grpc, so that
// `stampede run` of any other script does not pay for them. protobufjs is the copy @grpc/proto-loader
// depends on (its parser, reflection types and descriptor extension), resolved from proto-loader's
// own location.
import { createRequire } from 'node:module';
import type * as GrpcJs from '@grpc/grpc-js';
import type * as Protobuf from 'protobufjs';

interface DescriptorExt {
  readonly FileDescriptorSet: Protobuf.Type;
  readonly FileDescriptorProto: Protobuf.Type;
}

let grpcJs: typeof GrpcJs | undefined;
let protobuf: typeof Protobuf | undefined;
let descriptor: DescriptorExt | undefined;

function protoLoaderRequire(): NodeJS.Require {
  const require = createRequire(import.meta.url);
  return createRequire(require.resolve('@grpc/proto-loader'));
}

export function grpcLib(): typeof GrpcJs {
  grpcJs ??= createRequire(import.meta.url)('@grpc/grpc-js') as typeof GrpcJs;
  return grpcJs;
}

export function protobufLib(): typeof Protobuf {
  protobuf ??= protoLoaderRequire()('protobufjs') as typeof Protobuf;
  return protobuf;
}

/**
 * protobufjs' descriptor extension: `Root.fromDescriptor(set)` for protosets and reflection, and the
 * FileDescriptorSet type to decode them.
 */
export function descriptorLib(): DescriptorExt {
  if (descriptor === undefined) {
    protobufLib();
    descriptor = protoLoaderRequire()('protobufjs/ext/descriptor') as DescriptorExt;
  }
  return descriptor;
}

/** The Long class protobufjs reads and writes 64-bit integers with. */
export interface LongClass {
  fromString(text: string, unsigned?: boolean): unknown;
  fromNumber(n: number): unknown;
}

export function longLib(): LongClass {
  return protobufLib().util.Long as unknown as LongClass;
}
