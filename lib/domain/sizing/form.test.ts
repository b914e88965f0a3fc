import { describe, expect, it } from 'vitest';
import {
  describeFieldValue,
  formStateFromInput,
  inputFromForm,
  planFreshness,
  type SizingFormState,
} from './form';
import { DEFAULT_SIZING_INPUT } from './input';

describe('the sizing form', () => {
  const base = formStateFromInput(DEFAULT_SIZING_INPUT);

  it('turns its text back into the same input', () => {
    expect(inputFromForm(base, DEFAULT_SIZING_INPUT)).toEqual({
      input: DEFAULT_SIZING_INPUT,
      errors: {},
    });
  });

  it('a refused field keeps its last good value and the rest still applies', () => {
    const state = { ...base, fields: { ...base.fields, zones: 'seven', workers: '12' } };
    const { input, errors } = inputFromForm(state, DEFAULT_SIZING_INPUT);
    expect(errors).toEqual({ zones: 'Failure zones must be a whole number from 1 to 5.' });
    expect(input.zones).toBe(DEFAULT_SIZING_INPUT.zones);
    expect(input.workers).toBe(12);
  });

  it('only checks the fields in use: a replica count while sizing by failures is ignored', () => {
    const state = { ...base, fields: { ...base.fields, replicas: 'junk' } };
    expect(inputFromForm(state, DEFAULT_SIZING_INPUT).errors).toEqual({});
    const byCount = { ...state, dtrBy: 'count' as const };
    expect(inputFromForm(byCount, DEFAULT_SIZING_INPUT).errors.replicas).toMatch(/DTR replicas/);
    expect(inputFromForm(byCount, DEFAULT_SIZING_INPUT).input.dtr).toEqual({
      by: 'count',
      members: 3,
    });
  });

  it('caches switched on need at least one region; off means no caches', () => {
    const on = { ...base, cachesOn: true, fields: { ...base.fields, cacheRegions: '0' } };
    expect(inputFromForm(on, DEFAULT_SIZING_INPUT).errors.cacheRegions).toMatch(
      /at least 1 region/,
    );
    expect(inputFromForm(on, DEFAULT_SIZING_INPUT).input.cacheRegions).toBe(1);
    const two = { ...on, fields: { ...on.fields, cacheRegions: '2' } };
    expect(inputFromForm(two, DEFAULT_SIZING_INPUT).input.cacheRegions).toBe(2);
    const off = { ...two, cachesOn: false };
    expect(inputFromForm(off, DEFAULT_SIZING_INPUT).input.cacheRegions).toBe(0);
  });
});

describe('whether the plan on screen is the plan for the form', () => {
  const base = formStateFromInput({ ...DEFAULT_SIZING_INPUT, dtr: { by: 'count', members: 3 } });
  const planInput = { ...DEFAULT_SIZING_INPUT, dtr: { by: 'count' as const, members: 3 } };
  const freshness = (fields: Partial<SizingFormState['fields']>, pending = false) => {
    const state = { ...base, fields: { ...base.fields, ...fields } };
    const { errors } = inputFromForm(state, planInput);
    return planFreshness({ state, errors, planInput, pending });
  };

  it('current when the form holds the plan’s own values', () => {
    expect(freshness({})).toEqual({ state: 'current', refused: [], summary: '' });
  });

  it('updating while a valid change is on its way', () => {
    expect(freshness({ replicas: '5' }, true).state).toBe('updating');
  });

  it.each(['0', '11', 'abc'])(
    'a refused count (%s) makes the plan stale and names its input',
    (typed) => {
      const result = freshness({ replicas: typed }, false);
      expect(result.state).toBe('stale');
      expect(result.refused).toEqual([
        {
          field: 'replicas',
          label: 'DTR replicas',
          typed,
          planValue: '3',
          message: 'DTR replicas must be a whole number from 1 to 9.',
        },
      ]);
      expect(result.summary).toBe(
        `This plan is for the last valid input: DTR replicas 3 (not “${typed}”). Fix the field marked in the form to update it.`,
      );
    },
  );

  it('stale even while another valid change is pending', () => {
    expect(freshness({ replicas: 'abc', workers: '9' }, true).state).toBe('stale');
  });

  it('says every refused field with its unit, and an emptied one', () => {
    const result = freshness({ availability: '100', zones: '' });
    expect(result.summary).toBe(
      'This plan is for the last valid input: Failure zones 3 (the field is empty); Per-node availability 99.9% (not “100”). Fix the fields marked in the form to update it.',
    );
  });

  it('names fields as a person reads them', () => {
    expect(describeFieldValue({ ...planInput, memoryGb: 32 }, 'memoryGb')).toBe('32 GB');
    expect(describeFieldValue(planInput, 'memoryGb')).toBe('not given');
    expect(describeFieldValue(planInput, 'dtrOnManagers')).toBe('no');
  });
});
