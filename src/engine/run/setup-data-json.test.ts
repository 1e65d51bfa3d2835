import { describe, expect, it } from 'vitest';
import { SetupDataJsonError, setupDataJson } from './setup-data-json.ts';

const refusal = (v: unknown): string => {
  try {
    setupDataJson(v);
  } catch (e) {
    expect(e).toBeInstanceOf(SetupDataJsonError);
    return (e as Error).message;
  }
  return 'marshalled';
};

describe('setupDataJson: json.Marshal of what sobek exports, as k6 passes setup() data on', () => {
  it('refuses functions anywhere, and NaN or infinities, with Go’s errors', () => {
    expect(refusal(() => 1)).toBe('json: unsupported type: func(sobek.FunctionCall) sobek.Value');
    expect(refusal({ a: 1, f() {} })).toBe('json: unsupported type: func(sobek.FunctionCall) sobek.Value');
    expect(refusal([1, NaN])).toBe('json: unsupported value: NaN');
    expect(refusal({ x: -Infinity })).toBe('json: unsupported value: -Inf');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(refusal(cyclic)).toBe('json: unsupported value: encountered a cycle via map[string]interface {}');
  });

  it('keeps undefined keys as null; Maps, Sets, BigInts, byte arrays and Dates as Go encodes their exports', () => {
    expect(setupDataJson({ a: undefined, b: 1 })).toBe('{"a":null,"b":1}');
    expect(setupDataJson([1, undefined])).toBe('[1,null]');
    expect(setupDataJson(new Map<unknown, unknown>([['a', 1], ['b', [2]]]))).toBe('[["a",1],["b",[2]]]');
    expect(setupDataJson(new Set(['x', 'y']))).toBe('["x","y"]');
    expect(setupDataJson({ n: 10n })).toBe('{"n":10}');
    expect(setupDataJson(new Uint8Array([104, 105]))).toBe('"aGk="');
    expect(setupDataJson(new Int32Array([1, -2]))).toBe('[1,-2]');
    expect(setupDataJson({ d: new Date(1500), e: new Date(0) })).toBe('{"d":"1970-01-01T00:00:01.5Z","e":"1970-01-01T00:00:00Z"}');
    expect(setupDataJson({ s: 'str', t: true, z: null, o: { k: [1.5] } })).toBe('{"s":"str","t":true,"z":null,"o":{"k":[1.5]}}');
  });

  it('a shared (not cyclic) object is written each time it appears', () => {
    const shared = { v: 1 };
    expect(setupDataJson({ a: shared, b: shared })).toBe('{"a":{"v":1},"b":{"v":1}}');
  });
});
