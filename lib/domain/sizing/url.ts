// The URL is the plan's state: query parameters in, canonical query out. Junk falls back to the
// default for that field only, and every fallback is reported so the page can say so.
import { failuresTolerated } from '../quorum';
import {
  DEFAULT_SIZING_INPUT,
  SIZING_FIELD_NAMES,
  parseSizingField,
  type SizingField,
  type SizingFieldValue,
  type SizingInput,
  type TierTarget,
} from './input';

export interface ParamProblem {
  param: SizingField;
  /** The text found in the URL (shortened). */
  value: string;
  message: string;
}

export interface ParsedSizingParams {
  input: SizingInput;
  problems: ParamProblem[];
  /** The address names at least one sizing input (valid or not): it, not the cluster, sets the plan. */
  explicit: boolean;
}

export type RawSearchParams = URLSearchParams | Record<string, string | string[] | undefined>;

const MAX_ECHO = 40;

function valuesOf(params: RawSearchParams, name: string): string[] {
  if (params instanceof URLSearchParams) return params.getAll(name);
  const value = params[name];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function echo(value: string): string {
  return value.length > MAX_ECHO ? `${value.slice(0, MAX_ECHO)}…` : value;
}

/** Reads every sizing input from the query; fields missing or refused take their default. */
export function parseSizingParams(params: RawSearchParams): ParsedSizingParams {
  const problems: ParamProblem[] = [];
  const found: { [F in SizingField]?: SizingFieldValue<F> } = {};
  let explicit = false;

  for (const field of SIZING_FIELD_NAMES) {
    const values = valuesOf(params, field);
    const [first] = values;
    if (first === undefined) continue;
    explicit = true;
    if (values.length > 1) {
      problems.push({
        param: field,
        value: echo(values.join(', ')),
        message: `${field} was given ${values.length} times; give it once.`,
      });
      continue;
    }
    const result = parseSizingField(field, first);
    if (result.ok) (found as Record<SizingField, unknown>)[field] = result.value;
    else problems.push({ param: field, value: echo(first), message: result.message });
  }

  const tier = (
    members: number | undefined,
    failures: number | undefined,
    fallback: TierTarget,
  ): TierTarget => {
    if (members !== undefined) return { by: 'count', members };
    if (failures !== undefined) return { by: 'failures', failures };
    return fallback;
  };

  const d = DEFAULT_SIZING_INPUT;
  const input: SizingInput = {
    dtr: tier(found.replicas, found.dtrFailures, d.dtr),
    ucp: tier(found.managers, found.ucpFailures, d.ucp),
    workers: found.workers ?? d.workers,
    zones: found.zones ?? d.zones,
    availability: found.availability ?? d.availability,
    dtrOnManagers: found.dtrOnManagers ?? d.dtrOnManagers,
    cacheRegions: found.cacheRegions ?? d.cacheRegions,
    cachesPerRegion: found.cachesPerRegion ?? d.cachesPerRegion,
    cacheStorage: found.cacheStorage ?? d.cacheStorage,
    memoryGb: found.memoryGb !== undefined ? found.memoryGb : d.memoryGb,
    vcpus: found.vcpus !== undefined ? found.vcpus : d.vcpus,
    diskGb: found.diskGb !== undefined ? found.diskGb : d.diskGb,
  };
  return { input, problems, explicit };
}

/** The canonical query for a plan: every input that matters, in a fixed order, no defaults left implicit. */
export function serializeSizingInput(input: SizingInput): string {
  const params = new URLSearchParams();
  if (input.dtr.by === 'count') params.set('replicas', String(input.dtr.members));
  else params.set('dtrFailures', String(input.dtr.failures));
  if (input.ucp.by === 'count') params.set('managers', String(input.ucp.members));
  else params.set('ucpFailures', String(input.ucp.failures));
  params.set('workers', String(input.workers));
  params.set('zones', String(input.zones));
  params.set('availability', String(input.availability));
  if (input.dtrOnManagers) params.set('dtrOnManagers', '1');
  params.set('cacheRegions', String(input.cacheRegions));
  if (input.cacheRegions > 0) {
    params.set('cachesPerRegion', String(input.cachesPerRegion));
    params.set('cacheStorage', input.cacheStorage);
  }
  if (input.memoryGb !== null) params.set('memoryGb', String(input.memoryGb));
  if (input.vcpus !== null) params.set('vcpus', String(input.vcpus));
  if (input.diskGb !== null) params.set('diskGb', String(input.diskGb));
  return params.toString();
}

/** Members a tier target asks for: 2f + 1 for f failures, or the count itself. */
export function membersFor(target: TierTarget): number {
  return target.by === 'count' ? target.members : 2 * target.failures + 1;
}

/** Form text for every field, both ways of sizing a tier filled in so switching keeps a sensible value. */
export function sizingInputToFields(input: SizingInput): Record<SizingField, string> {
  const failuresOf = (target: TierTarget) =>
    target.by === 'failures' ? target.failures : Math.min(3, failuresTolerated(target.members));
  return {
    dtrFailures: String(failuresOf(input.dtr)),
    replicas: String(membersFor(input.dtr)),
    ucpFailures: String(failuresOf(input.ucp)),
    managers: String(membersFor(input.ucp)),
    workers: String(input.workers),
    zones: String(input.zones),
    availability: String(input.availability),
    dtrOnManagers: input.dtrOnManagers ? '1' : '0',
    cacheRegions: String(input.cacheRegions),
    cachesPerRegion: String(input.cachesPerRegion),
    cacheStorage: input.cacheStorage,
    memoryGb: input.memoryGb === null ? '' : String(input.memoryGb),
    vcpus: input.vcpus === null ? '' : String(input.vcpus),
    diskGb: input.diskGb === null ? '' : String(input.diskGb),
  };
}
