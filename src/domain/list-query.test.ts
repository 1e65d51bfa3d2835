import { describe, expect, it } from 'vitest';
import { StampedeError } from '../core/index.ts';
import { deriveDistribution } from './distribution.ts';
import { parseId, parseIsoDate, parseListQuery } from './list-query.ts';

function validationError(fn: () => unknown): StampedeError {
  try {
    fn();
  } catch (err) {
    if (err instanceof StampedeError && err.code === 'STAMPEDE_ERR_VALIDATION') return err;
    throw err;
  }
  throw new Error('expected a validation error');
}

const runRules = { orderBy: ['created'], createdRange: true, starred: true } as const;

describe('list query', () => {
  it('defaults to the first 1000 without a count', () => {
    expect(parseListQuery({})).toEqual({ top: 1000, skip: 0, count: false, orderBy: [], createdAfter: null, createdBefore: null, isStarred: null });
  });

  it('parses paging, count, order, date range and starred', () => {
    const q = parseListQuery({ $top: '50', $skip: '100', $count: 'true', $orderby: 'created desc', created_after: '2026-01-01T00:00:00Z', created_before: '2026-02-01', is_starred: '1' }, runRules);
    expect(q).toEqual({
      top: 50,
      skip: 100,
      count: true,
      orderBy: [{ field: 'created', desc: true }],
      createdAfter: new Date('2026-01-01T00:00:00Z'),
      createdBefore: new Date('2026-02-01T00:00:00Z'),
      isStarred: true,
    });
    expect(parseListQuery({ is_starred: 'false' }, runRules).isStarred).toBe(false);
    expect(parseListQuery({ is_starred: '0' }, runRules).isStarred).toBe(false);
  });

  it('rejects $top over 1000, negative or non-numeric, naming the parameter', () => {
    expect(validationError(() => parseListQuery({ $top: '1001' })).target).toBe('$top');
    expect(validationError(() => parseListQuery({ $top: '-1' })).target).toBe('$top');
    expect(parseListQuery({ $top: '0' }).top).toBe(0);
    expect(validationError(() => parseListQuery({ $skip: '1.5' })).target).toBe('$skip');
    expect(validationError(() => parseListQuery({ $count: 'yes' })).target).toBe('$count');
  });

  it('reports every problem at once', () => {
    const err = validationError(() => parseListQuery({ $top: 'x', $skip: '-2', created_after: 'yesterday', is_starred: 'maybe' }, runRules));
    expect(err.details.map((d) => d.target)).toEqual(['$top', '$skip', 'created_after', 'is_starred']);
  });

  it('rejects unknown order fields and repeated parameters', () => {
    expect(validationError(() => parseListQuery({ $orderby: 'name' }, runRules)).target).toBe('$orderby');
    expect(validationError(() => parseListQuery({ $orderby: 'created sideways' }, runRules)).target).toBe('$orderby');
    expect(validationError(() => parseListQuery({ $top: ['1', '2'] })).target).toBe('$top');
  });

  it('parses ISO dates strictly, treating naive times as UTC', () => {
    expect(parseIsoDate('2026-01-02T03:04:05')?.toISOString()).toBe('2026-01-02T03:04:05.000Z');
    expect(parseIsoDate('2026-01-02T03:04:05.123+02:00')?.toISOString()).toBe('2026-01-02T01:04:05.123Z');
    expect(parseIsoDate('2026-02-30')).toBeUndefined();
    expect(parseIsoDate('2026-13-01')).toBeUndefined();
    expect(parseIsoDate('1700000000')).toBeUndefined();
  });

  it('reads an offset whose + arrived as a space (an unencoded query string) as +, and booleans in any case', () => {
    expect(parseIsoDate('2026-01-02T03:04:05 02:00')?.toISOString()).toBe('2026-01-02T01:04:05.000Z');
    expect(parseIsoDate('2026-01-02T03:04:05 0200')?.toISOString()).toBe('2026-01-02T01:04:05.000Z');
    expect(parseIsoDate('2026-01-02T03:04:05  02:00')).toBeUndefined();
    expect(parseListQuery({ $count: 'True', is_starred: 'FALSE' }, runRules)).toMatchObject({ count: true, isStarred: false });
    expect(validationError(() => parseListQuery({ $count: 'yes' })).target).toBe('$count');
  });

  it('accepts only positive safe integer ids', () => {
    expect(parseId('42', 'id')).toBe(42);
    expect(validationError(() => parseId('0', 'id')).target).toBe('id');
    expect(validationError(() => parseId('abc', 'id')).target).toBe('id');
    expect(validationError(() => parseId('99999999999999999', 'id')).target).toBe('id');
  });
});

describe('distribution', () => {
  const zones = ['amazon:us:ashburn', 'amazon:de:frankfurt'];
  it('defaults to the default zone at 100%', () => {
    expect(deriveDistribution({ vus: 1 }, zones)).toEqual([{ load_zone: 'amazon:us:ashburn', percent: 100 }]);
  });
  it('reads options.cloud.distribution', () => {
    const options = { cloud: { distribution: { a: { loadZone: 'amazon:us:ashburn', percent: 60 }, b: { loadZone: 'amazon:de:frankfurt', percent: 40 } } } };
    expect(deriveDistribution(options, zones)).toEqual([
      { load_zone: 'amazon:us:ashburn', percent: 60 },
      { load_zone: 'amazon:de:frankfurt', percent: 40 },
    ]);
  });
  it('rejects unknown zones and percents not adding to 100', () => {
    expect(validationError(() => deriveDistribution({ cloud: { distribution: { a: { loadZone: 'mars:base', percent: 100 } } } }, zones)).details[0]?.target).toBe(
      'options.cloud.distribution.a.loadZone',
    );
    expect(validationError(() => deriveDistribution({ cloud: { distribution: { a: { loadZone: 'amazon:us:ashburn', percent: 50 } } } }, zones)).message).toMatch(/add up to 100/);
  });
});
