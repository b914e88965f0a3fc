// The form's text turned into a plan input. A refused field keeps the last good value, so one typo
// never throws away the rest of the plan.
import type { SizingField, SizingFieldValue, SizingInput, TierTarget } from './input';
import { parseSizingField } from './input';
import { sizingInputToFields } from './url';

export interface SizingFormState {
  fields: Record<SizingField, string>;
  dtrBy: TierTarget['by'];
  ucpBy: TierTarget['by'];
  cachesOn: boolean;
}

export type SizingFieldErrors = Partial<Record<SizingField, string>>;

export function formStateFromInput(input: SizingInput): SizingFormState {
  return {
    fields: sizingInputToFields(input),
    dtrBy: input.dtr.by,
    ucpBy: input.ucp.by,
    cachesOn: input.cacheRegions > 0,
  };
}

/** The input the form describes, and a message for every field that was refused. */
export function inputFromForm(
  state: SizingFormState,
  lastGood: SizingInput,
): { input: SizingInput; errors: SizingFieldErrors } {
  const errors: SizingFieldErrors = {};
  const read = <F extends SizingField>(field: F, fallback: SizingFieldValue<F>) => {
    const result = parseSizingField(field, state.fields[field]);
    if (result.ok) return result.value;
    errors[field] = result.message;
    return fallback;
  };

  const tier = (
    by: TierTarget['by'],
    countField: 'replicas' | 'managers',
    failuresField: 'dtrFailures' | 'ucpFailures',
    previous: TierTarget,
  ): TierTarget => {
    if (by === 'count') {
      const fallback = previous.by === 'count' ? previous.members : 2 * previous.failures + 1;
      return { by, members: read(countField, fallback) };
    }
    const fallback = previous.by === 'failures' ? previous.failures : 1;
    return { by, failures: read(failuresField, fallback) };
  };

  let cacheRegions = 0;
  let cachesPerRegion = lastGood.cachesPerRegion;
  let cacheStorage = lastGood.cacheStorage;
  if (state.cachesOn) {
    const fallback = Math.max(1, lastGood.cacheRegions);
    cacheRegions = read('cacheRegions', fallback);
    if (cacheRegions === 0 && !errors.cacheRegions) {
      errors.cacheRegions = 'With caches needed, give at least 1 region.';
      cacheRegions = fallback;
    }
    cachesPerRegion = read('cachesPerRegion', lastGood.cachesPerRegion);
    cacheStorage = read('cacheStorage', lastGood.cacheStorage);
  }

  const input: SizingInput = {
    dtr: tier(state.dtrBy, 'replicas', 'dtrFailures', lastGood.dtr),
    ucp: tier(state.ucpBy, 'managers', 'ucpFailures', lastGood.ucp),
    workers: read('workers', lastGood.workers),
    zones: read('zones', lastGood.zones),
    availability: read('availability', lastGood.availability),
    dtrOnManagers: read('dtrOnManagers', lastGood.dtrOnManagers),
    cacheRegions,
    cachesPerRegion,
    cacheStorage,
    memoryGb: read('memoryGb', lastGood.memoryGb),
    vcpus: read('vcpus', lastGood.vcpus),
    diskGb: read('diskGb', lastGood.diskGb),
  };
  return { input, errors };
}
