import { describe, expect, it } from 'vitest';
import type { WarningCode } from '../types';
import { codesFor, warningsFor } from '@/test/support/assess';

const SIZE_CODES: WarningCode[] = [
  'DTR_SINGLE_REPLICA',
  'DTR_TWO_REPLICAS',
  'DTR_EVEN_REPLICAS',
  'DTR_TOO_MANY_REPLICAS',
];
const healthy = (n: number) => Array.from({ length: n }, () => 'healthy' as const);
const sizeCodes = (n: number) =>
  codesFor({ replicas: healthy(n) }).filter((code) => SIZE_CODES.includes(code));

describe('DTR size rules', () => {
  it.each([
    [1, ['DTR_SINGLE_REPLICA']],
    [2, ['DTR_TWO_REPLICAS']],
    [3, []],
    [4, ['DTR_EVEN_REPLICAS']],
    [5, []],
    [6, ['DTR_EVEN_REPLICAS']],
    [7, []],
    [8, ['DTR_TOO_MANY_REPLICAS', 'DTR_EVEN_REPLICAS']],
    [9, ['DTR_TOO_MANY_REPLICAS']],
  ])('%i replicas → %j', (n, expected) => {
    expect(sizeCodes(n)).toEqual(expected);
  });

  it('a healthy single replica gets DTR_SINGLE_REPLICA and nothing else', () => {
    expect(codesFor({ replicas: ['healthy'] })).toEqual(['DTR_SINGLE_REPLICA']);
  });

  it('two healthy replicas get DTR_TWO_REPLICAS only, explained as no tolerance by design rather than "at risk"', () => {
    expect(codesFor({ replicas: ['healthy', 'healthy'] })).toEqual(['DTR_TWO_REPLICAS']);
    const [two] = warningsFor('DTR_TWO_REPLICAS', { replicas: ['healthy', 'healthy'] });
    expect(two?.severity).toBe('warning');
    expect(two?.detail).toMatch(/losing either replica stops the registry/);
    expect(two?.detail).toMatch(/not "at risk"/);
    expect(two?.href).toBe('/replicas/join');
  });

  it('an even count is info, suggesting the odd count on either side', () => {
    const [even] = warningsFor('DTR_EVEN_REPLICAS', { replicas: healthy(4) });
    expect(even?.severity).toBe('info');
    expect(even?.title).toBe('4 DTR replicas survive no more failures than 3');
    expect(even?.nextStep).toMatch(
      /Join one more replica \(5 survive 2 failures\), or remove one replica to get 3/,
    );
  });

  it('more than 7 replicas warns about slower writes', () => {
    const [many] = warningsFor('DTR_TOO_MANY_REPLICAS', { replicas: healthy(9) });
    expect(many?.severity).toBe('warning');
    expect(many?.detail).toMatch(/slower/);
  });

  it('counts configured replicas, healthy or not', () => {
    expect(warningsFor('DTR_TWO_REPLICAS', { replicas: ['healthy', 'unreachable'] })).toHaveLength(
      1,
    );
    expect(warningsFor('DTR_SINGLE_REPLICA', { replicas: [] })).toEqual([]);
  });
});
