import { describe, expect, it } from 'vitest';
import type * as Protobuf from 'protobufjs';
import { loadProtoFiles } from './proto-files.ts';
import { LoadedTypes } from './proto-types.ts';
import { messageToJson } from './protojson-encode.ts';
import { messageFromJson } from './protojson-decode.ts';
import { GrpcClientState, type GrpcClientDeps } from './grpc-client.ts';

const PROTO = `
syntax = "proto3";
package t;
import "google/protobuf/any.proto";
import "google/protobuf/duration.proto";
import "google/protobuf/empty.proto";
import "google/protobuf/field_mask.proto";
import "google/protobuf/struct.proto";
import "google/protobuf/timestamp.proto";
import "google/protobuf/wrappers.proto";

enum Color { COLOR_UNSPECIFIED = 0; RED = 1; }
message Inner { string some_name = 1; }
message All {
  int64 i64 = 1;
  uint64 u64 = 2;
  sint32 s32 = 3;
  float f = 4;
  double d = 5;
  bytes b = 6;
  Color color = 7;
  oneof pick { string word = 8; int32 number = 9; }
  optional bool flag = 10;
  map<int64, string> by_id = 11;
  google.protobuf.Duration took = 12;
  google.protobuf.Timestamp at = 13;
  google.protobuf.Struct meta = 14;
  google.protobuf.Value any_value = 15;
  google.protobuf.Int64Value wrapped = 16;
  google.protobuf.FieldMask mask = 17;
  google.protobuf.Any packed = 18;
  google.protobuf.Empty nothing = 19;
  repeated Inner inners = 20;
  string renamed = 21 [json_name = "otherName"];
}
`;

function load(): { type: Protobuf.Type; types: LoadedTypes } {
  const root = loadProtoFiles((p) => {
    if (p === '/proj/all.proto') return new TextEncoder().encode(PROTO);
    throw new Error('missing');
  }, '/proj', [], ['all.proto']) as Protobuf.Root;
  const types = new LoadedTypes();
  types.add(root);
  return { type: root.lookupType('t.All'), types };
}

/** What a script sends, through the wire, as the script receives it back. */
function roundTrip(json: unknown): Record<string, unknown> {
  const { type, types } = load();
  const bytes = type.encode(messageFromJson(type, json, types)).finish();
  return messageToJson(type, type.decode(bytes) as unknown as Record<string, unknown>, types) as Record<string, unknown>;
}

describe('protojson as k6 maps messages', () => {
  it('an empty message has every field but unset oneof members and proto3 optionals, with protojson defaults', () => {
    expect(roundTrip({})).toEqual({
      i64: '0', u64: '0', s32: 0, f: 0, d: 0, b: '', color: 'COLOR_UNSPECIFIED', byId: {}, took: null, at: null, meta: null,
      anyValue: null, wrapped: null, mask: null, packed: null, nothing: null, inners: [], otherName: '',
    });
  });

  it('64-bit integers are decimal strings at full range; floats, NaN and bytes as protojson writes them', () => {
    const out = roundTrip({ i64: -9223372036854775808n.toString(), u64: '18446744073709551615', f: 0.1, d: 'NaN', s32: '-7', b: '-_8', by_id: { '12345678901234': 'x' } });
    expect(out).toMatchObject({ i64: '-9223372036854775808', u64: '18446744073709551615', f: 0.1, d: 'NaN', s32: -7, b: '+/8=', byId: { '12345678901234': 'x' } });
    expect(roundTrip({ d: 'Infinity' }).d).toBe('Infinity');
  });

  it('oneof members and proto3 optionals appear only when set, zero values included', () => {
    expect(roundTrip({ number: 0, flag: false })).toMatchObject({ number: 0, flag: false });
    expect(roundTrip({ word: 'w' })).not.toHaveProperty('number');
    expect(() => roundTrip({ word: 'w', number: 1 })).toThrow('oneof pick is already set');
  });

  it('fields are read by JSON or proto name, enums by name or number, and written by JSON name', () => {
    expect(roundTrip({ otherName: 'a', inners: [{ someName: 'x' }, { some_name: 'y' }], color: 1 })).toMatchObject({
      otherName: 'a', inners: [{ someName: 'x' }, { someName: 'y' }], color: 'RED',
    });
    expect(roundTrip({ color: 7 }).color).toBe(7);
    expect(() => roundTrip({ renamed_not: 1 })).toThrow('proto: unknown field "renamed_not"');
    expect(() => roundTrip({ s32: 2 ** 31 })).toThrow('invalid value for sint32 field s32: 2147483648');
    expect(() => roundTrip({ s32: 1.5 })).toThrow('invalid value for sint32 field s32: 1.5');
  });

  it('the well-known types use their JSON forms', () => {
    const out = roundTrip({
      took: '-1.5s', at: '2024-02-29T23:59:59.000000001+01:00', meta: { a: [1, 'two', null, { b: true }] }, any_value: 'text',
      wrapped: '42', mask: 'someName,other', nothing: {}, packed: { '@type': 'type.googleapis.com/t.Inner', someName: 'packed' },
    });
    expect(out).toMatchObject({
      took: '-1.500s', at: '2024-02-29T22:59:59.000000001Z', meta: { a: [1, 'two', null, { b: true }] }, anyValue: 'text',
      wrapped: '42', mask: 'someName,other', nothing: {}, packed: { '@type': 'type.googleapis.com/t.Inner', someName: 'packed' },
    });
    expect(roundTrip({ took: '3s', packed: { '@type': 'type.googleapis.com/google.protobuf.Duration', value: '1.000001s' } })).toMatchObject({
      took: '3s', packed: { '@type': 'type.googleapis.com/google.protobuf.Duration', value: '1.000001s' },
    });
    expect(() => roundTrip({ at: 'yesterday' })).toThrow('invalid google.protobuf.Timestamp value "yesterday"');
  });
});

describe('a response protojson refuses', () => {
  it('fails invoke()\'s decoding as k6 does: GoError "unable to convert response object to JSON: …"', () => {
    const { type } = load();
    const state = new GrpcClientState({ parseJson: (t: string) => JSON.parse(t) as unknown } as unknown as GrpcClientDeps);
    state.types.add(type.root);
    // Field 15 (any_value, a google.protobuf.Value) present but empty: no kind is set.
    const bytes = Buffer.from([0x7a, 0x00]);
    expect(() => state.decode(type, bytes)).toThrow(expect.objectContaining({
      name: 'GoError',
      message: 'unable to convert response object to JSON: google.protobuf.Value: none of the oneof fields is set',
    }) as Error);
  });
});
