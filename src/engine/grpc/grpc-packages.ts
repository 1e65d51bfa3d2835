// @grpc/grpc-js and protobufjs are loaded on first use, when a script imports k6/net/grpc, so that
// `stampede run` of any other script does not pay for them. protobufjs (its parser, reflection types
// and descriptor extension) is a direct dependency in the range @grpc/proto-loader asks for, so npm
// installs the one copy both use.
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

const require = createRequire(import.meta.url);

export function grpcLib(): typeof GrpcJs {
  grpcJs ??= require('@grpc/grpc-js') as typeof GrpcJs;
  return grpcJs;
}

export function protobufLib(): typeof Protobuf {
  protobuf ??= require('protobufjs') as typeof Protobuf;
  return protobuf;
}

/**
 * protobufjs' descriptor extension: `Root.fromDescriptor(set)` for protosets and reflection, and the
 * FileDescriptorSet type to decode them.
 */
export function descriptorLib(): DescriptorExt {
  if (descriptor === undefined) {
    protobufLib();
    descriptor = require('protobufjs/ext/descriptor') as DescriptorExt;
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
