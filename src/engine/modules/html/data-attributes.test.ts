import { describe, expect, it } from 'vitest';
import { convertDataValue, dataAttrToProperty, propertyToDataAttr } from './data-attributes.ts';

describe('k6/html data() names and values', () => {
  it('maps attribute names to properties and back with Go\'s initialisms', () => {
    expect(dataAttrToProperty('num-a')).toBe('numA');
    expect(dataAttrToProperty('not-num-a')).toBe('notNumA');
    expect(dataAttrToProperty('user-id')).toBe('userID');
    expect(dataAttrToProperty('api-url-path')).toBe('apiURLPath');
    expect(dataAttrToProperty('test')).toBe('test');
    expect(propertyToDataAttr('numA')).toBe('num-a');
    expect(propertyToDataAttr('userID')).toBe('user-id');
    expect(propertyToDataAttr('test-b')).toBe('test-b');
  });

  it('converts only values that survive the round trip', () => {
    expect(convertDataValue('123')).toBe(123);
    expect(convertDataValue('-1.25')).toBe(-1.25);
    expect(convertDataValue('1.50')).toBe('1.50');
    expect(convertDataValue('1e3')).toBe('1e3');
    expect(convertDataValue('+5')).toBe('+5');
    expect(convertDataValue('{"a":[1]}')).toEqual({ a: [1] });
    expect(convertDataValue('[broken')).toBe('[broken');
    expect(convertDataValue('false')).toBe(false);
    expect(convertDataValue('null')).toBeUndefined();
    expect(convertDataValue('')).toBeUndefined();
  });
});
