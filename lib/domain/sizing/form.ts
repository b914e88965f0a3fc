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

/** Each input's name as the form shows it, for messages about the plan. */
export const SIZING_FIELD_LABELS: Record<SizingField, string> = {
  dtrFailures: 'DTR failures to tolerate',
  replicas: 'DTR replicas',
  ucpFailures: 'UCP manager failures to tolerate',
  managers: 'UCP managers',
  workers: 'Application workers',
  zones: 'Failure zones',
  availability: 'Per-node availability',
  dtrOnManagers: 'DTR on manager nodes',
  cacheRegions: 'Cache regions',
  cachesPerRegion: 'Cache nodes per region',
  cacheStorage: 'Cache storage',
  memoryGb: 'Memory per DTR node',
  vcpus: 'vCPUs per DTR node',
  diskGb: 'Disk per DTR node',
};

const UNITS: Partial<Record<SizingField, string>> = {
  availability: '%',
  memoryGb: ' GB',
  diskGb: ' GB',
};

/** A field's value in the plan's input, as a person reads it: "3", "99.9%", "16 GB", "not given". */
export function describeFieldValue(input: SizingInput, field: SizingField): string {
  const raw = sizingInputToFields(input)[field];
  if (raw === '') return 'not given';
  if (field === 'dtrOnManagers') return raw === '1' ? 'yes' : 'no';
  return `${raw}${UNITS[field] ?? ''}`;
}

export interface RefusedField {
  field: SizingField;
  label: string;
  /** What the form holds, shortened. */
  typed: string;
  /** The value the plan on screen uses instead. */
  planValue: string;
  message: string;
}

/**
 * Whether the plan on screen is the plan for what the form says:
 * - current: it is;
 * - updating: the form is valid and its plan is on its way;
 * - stale: a field is refused, so the plan on screen is for the last valid input, not what the
 *   form shows. It must not read, print or export as the plan for the form's values.
 */
export interface PlanFreshness {
  state: 'current' | 'updating' | 'stale';
  refused: RefusedField[];
  /** For a stale plan: "This plan is for the last valid input: DTR replicas 3 (not “abc”)." */
  summary: string;
}

const MAX_TYPED = 24;

export function planFreshness({
  state,
  errors,
  planInput,
  pending,
}: {
  state: SizingFormState;
  errors: SizingFieldErrors;
  /** The input of the plan on screen. */
  planInput: SizingInput;
  /** The form's valid input differs from the plan on screen (a new plan is being computed). */
  pending: boolean;
}): PlanFreshness {
  const refused: RefusedField[] = (Object.keys(errors) as SizingField[])
    .filter((field) => errors[field] !== undefined)
    .map((field) => {
      const text = state.fields[field].trim();
      return {
        field,
        label: SIZING_FIELD_LABELS[field],
        typed: text.length > MAX_TYPED ? `${text.slice(0, MAX_TYPED)}…` : text,
        planValue: describeFieldValue(planInput, field),
        message: errors[field] ?? '',
      };
    });
  if (refused.length === 0)
    return { state: pending ? 'updating' : 'current', refused, summary: '' };
  const parts = refused.map(
    (r) =>
      `${r.label} ${r.planValue} (${r.typed === '' ? 'the field is empty' : `not “${r.typed}”`})`,
  );
  return {
    state: 'stale',
    refused,
    summary: `This plan is for the last valid input: ${parts.join('; ')}. Fix the field${refused.length === 1 ? '' : 's'} marked in the form to update it.`,
  };
}
