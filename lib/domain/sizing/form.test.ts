import { describe, expect, it } from 'vitest';
import { formStateFromInput, inputFromForm } from './form';
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
