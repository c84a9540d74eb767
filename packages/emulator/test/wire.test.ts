import { describe, expect, test } from 'vitest';
import { readStart, readV3Pagination } from '../src/paging.js';
import { intval, toBool, toDate, toDateTime, toInt, toNonNegativeInt, toPositiveInt, yn } from '../src/wire.js';

describe('wire values', () => {
  test.each([
    [37, 37],
    ['37', 37],
    [' 5 ', 5],
    ['-3', -3],
    ['3.5', undefined],
    ['abc', undefined],
    [null, undefined],
    [2 ** 60, undefined],
    [true, undefined],
  ])('toInt(%j) = %j', (raw, want) => expect(toInt(raw)).toBe(want));
  test('positive and non-negative ids', () => {
    expect(toPositiveInt('0')).toBeUndefined();
    expect(toPositiveInt('12')).toBe(12);
    expect(toNonNegativeInt('0')).toBe(0);
    expect(toNonNegativeInt(-1)).toBeUndefined();
  });
  test.each([
    ['12abc', 12],
    ['abc', 0],
    ['-1', -1],
    [undefined, 0],
    [7.9, 7],
  ])('intval(%j) = %j like PHP', (raw, want) => expect(intval(raw)).toBe(want));
  test.each([
    [true, true],
    ['Y', true],
    ['y', true],
    ['1', true],
    [1, true],
    ['true', true],
    ['N', false],
    ['0', false],
    [0, false],
    ['false', false],
    ['maybe', undefined],
    [{}, undefined],
  ])('toBool(%j) = %j', (raw, want) => expect(toBool(raw)).toBe(want));
  test('yn falls back for absent values', () => {
    expect(yn(undefined, 'Y')).toBe('Y');
    expect(yn('', 'N')).toBe('N');
    expect(yn(true)).toBe('Y');
  });
  test('dates and datetimes', () => {
    expect(toDate('2024-08-30')).toBe('2024-08-30');
    expect(toDate('2024-08-30T23:00:00+03:00')).toBe('2024-08-30');
    expect(toDateTime('2024-08-30T10:00:00+02:00')).toBe('2024-08-30T08:00:00+00:00');
    expect(toDateTime('30.08.2024 10:11')).toBe('2024-08-30T10:11:00+00:00');
    expect(toDateTime('not a date')).toBeUndefined();
  });
});

describe('paging', () => {
  test('start is read with intval; negative start skips the count', () => {
    expect(readStart({ params: { start: '100' } })).toEqual({ offset: 100, limit: 50, counted: true });
    expect(readStart({ params: { START: 'x' } })).toEqual({ offset: 0, limit: 50, counted: true });
    expect(readStart({ params: { start: -1 } })).toEqual({ offset: 0, limit: 50, counted: false });
  });
  test('REST 3.0 pagination', () => {
    expect(readV3Pagination(undefined)).toEqual({ limit: 50, offset: 0 });
    expect(readV3Pagination({ page: 3, limit: 10 })).toEqual({ limit: 10, offset: 20 });
    expect(readV3Pagination({ offset: 5 })).toEqual({ limit: 50, offset: 5 });
    expect(readV3Pagination({ page: 0 })).toHaveProperty('error');
    expect(readV3Pagination({ size: 1 })).toEqual({ error: 'Unable to recognize pagination parameter `size`' });
  });
});
