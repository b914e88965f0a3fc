import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SIZING_INPUT, parseSizingField, type SizingInput } from './input';
import { parseSizingParams, serializeSizingInput, sizingInputToFields } from './url';

describe('sizing inputs from the URL', () => {
  it('no parameters give the defaults and no problems', () => {
    expect(parseSizingParams({})).toEqual({
      input: DEFAULT_SIZING_INPUT,
      problems: [],
      explicit: false,
    });
  });

  it('reads every input', () => {
    const { input, problems } = parseSizingParams(
      new URLSearchParams(
        'replicas=5&managers=3&workers=20&zones=3&availability=99.95&dtrOnManagers=1&cacheRegions=2&cachesPerRegion=3&cacheStorage=local&memoryGb=16&vcpus=4&diskGb=50',
      ),
    );
    expect(problems).toEqual([]);
    expect(input).toEqual({
      dtr: { by: 'count', members: 5 },
      ucp: { by: 'count', members: 3 },
      workers: 20,
      zones: 3,
      availability: 99.95,
      dtrOnManagers: true,
      cacheRegions: 2,
      cachesPerRegion: 3,
      cacheStorage: 'local',
      memoryGb: 16,
      vcpus: 4,
      diskGb: 50,
    });
  });

  it('junk falls back to the default for that field only, and names it', () => {
    const { input, problems } = parseSizingParams({
      zones: 'banana',
      replicas: '12',
      availability: '100',
      workers: '-3',
      dtrFailures: '2',
      cacheStorage: 'tape',
      vcpus: '1.5',
    });
    expect(problems.map((p) => p.param).sort()).toEqual(
      ['availability', 'cacheStorage', 'replicas', 'vcpus', 'workers', 'zones'].sort(),
    );
    expect(problems.find((p) => p.param === 'zones')).toMatchObject({
      value: 'banana',
      message: 'Failure zones must be a whole number from 1 to 5.',
    });
    expect(problems.find((p) => p.param === 'availability')?.message).toMatch(/below 100%/);
    // replicas refused: the valid dtrFailures is used
    expect(input.dtr).toEqual({ by: 'failures', failures: 2 });
    expect(input.zones).toBe(DEFAULT_SIZING_INPUT.zones);
    expect(input.workers).toBe(DEFAULT_SIZING_INPUT.workers);
    expect(input.availability).toBe(DEFAULT_SIZING_INPUT.availability);
    expect(input.vcpus).toBeNull();
  });

  it('a parameter given twice is refused rather than guessed', () => {
    const { input, problems } = parseSizingParams(new URLSearchParams('zones=2&zones=3'));
    expect(problems).toEqual([expect.objectContaining({ param: 'zones', value: '2, 3' })]);
    expect(input.zones).toBe(DEFAULT_SIZING_INPUT.zones);
  });

  it('a long junk value is shortened in the notice', () => {
    const { problems } = parseSizingParams({ workers: 'x'.repeat(500) });
    expect(problems[0]?.value.length).toBeLessThanOrEqual(41);
  });

  it('ignores parameters it does not know', () => {
    expect(parseSizingParams({ utm_source: 'mail' }).problems).toEqual([]);
    // …nor makes the link an explicit plan: the page still starts from the running cluster.
    expect(parseSizingParams({ utm_source: 'mail' }).explicit).toBe(false);
    expect(parseSizingParams({ workers: '6' }).explicit).toBe(true);
    // A refused value is still the link's word: its default, not the cluster's figure, stands.
    expect(parseSizingParams({ replicas: 'abc' }).explicit).toBe(true);
  });

  it('accepts a percent sign and refuses non-numbers at the field', () => {
    expect(parseSizingField('availability', '99.9 %')).toEqual({ ok: true, value: 99.9 });
    expect(parseSizingField('availability', 'high')).toMatchObject({ ok: false });
    expect(parseSizingField('availability', '89')).toMatchObject({ ok: false });
    expect(parseSizingField('zones', '')).toMatchObject({ ok: false });
    expect(parseSizingField('memoryGb', '')).toEqual({ ok: true, value: null });
    expect(parseSizingField('dtrOnManagers', 'maybe')).toMatchObject({ ok: false });
  });

  it('the canonical query restores the same input (a link restores the plan)', () => {
    const target = fc.oneof(
      fc.integer({ min: 0, max: 3 }).map((failures) => ({ by: 'failures' as const, failures })),
      fc.integer({ min: 1, max: 9 }).map((members) => ({ by: 'count' as const, members })),
    );
    const input: fc.Arbitrary<SizingInput> = fc.record({
      dtr: target,
      ucp: target,
      workers: fc.integer({ min: 0, max: 10_000 }),
      zones: fc.integer({ min: 1, max: 5 }),
      availability: fc.constantFrom(90, 99, 99.5, 99.9, 99.95, 99.99, 99.9999),
      dtrOnManagers: fc.boolean(),
      cacheRegions: fc.integer({ min: 1, max: 10 }),
      cachesPerRegion: fc.integer({ min: 1, max: 5 }),
      cacheStorage: fc.constantFrom('shared' as const, 'local' as const),
      memoryGb: fc.option(fc.integer({ min: 1, max: 4096 })),
      vcpus: fc.option(fc.integer({ min: 1, max: 512 })),
      diskGb: fc.option(fc.integer({ min: 1, max: 100_000 })),
    });
    fc.assert(
      fc.property(input, (original) => {
        const parsed = parseSizingParams(new URLSearchParams(serializeSizingInput(original)));
        expect(parsed.problems).toEqual([]);
        expect(parsed.input).toEqual(original);
      }),
    );
  });

  it('form text carries both ways of sizing a tier', () => {
    const fields = sizingInputToFields({
      ...DEFAULT_SIZING_INPUT,
      dtr: { by: 'count', members: 5 },
    });
    expect(fields.replicas).toBe('5');
    expect(fields.dtrFailures).toBe('2');
    expect(fields.memoryGb).toBe('');
  });
});
