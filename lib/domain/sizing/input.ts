// Sizing inputs: one zod schema per field, shared by the URL parser and the form, so a value the
// form refuses is exactly a value the URL falls back on.
import { z } from 'zod';

import { MAX_RECOMMENDED_MEMBERS } from '../quorum';

export const MAX_FAILURES_TARGET = 3;
/**
 * Counts above MAX_RECOMMENDED_MEMBERS (7) are allowed so the "too many" warning can be shown,
 * not chosen by accident.
 */
export const MAX_MEMBERS_INPUT = 9;
/** The count field's hint: the range, and where and why the console draws the line. */
export const MAX_RECOMMENDED_MEMBERS_INPUT_HINT = `1 to ${MAX_MEMBERS_INPUT}. Odd counts: an even one survives no more than the odd count below. Above ${MAX_RECOMMENDED_MEMBERS} the console warns: each extra member slows every write, and the vendor sizes at 3, 5 or ${MAX_RECOMMENDED_MEMBERS}.`;
export const MAX_ZONES = 5;
export const MAX_WORKERS = 10_000;
export const MAX_CACHE_REGIONS = 10;
export const MAX_CACHES_PER_REGION = 5;
export const MIN_AVAILABILITY_PERCENT = 90;
export const MAX_AVAILABILITY_PERCENT = 99.9999;

/** Size a quorum tier by the failures it must survive, or by a member count. */
export type TierTarget = { by: 'failures'; failures: number } | { by: 'count'; members: number };

export type CacheStorage = 'shared' | 'local';

export interface SizingInput {
  dtr: TierTarget;
  ucp: TierTarget;
  /** Application worker nodes, besides UCP, DTR and cache nodes. */
  workers: number;
  /** Failure zones (racks, rooms, availability zones) the nodes are spread over. */
  zones: number;
  /** Per-node availability in percent, e.g. 99.9. */
  availability: number;
  /** Run DTR replicas on the UCP manager nodes (unsupported; shown to explain why). */
  dtrOnManagers: boolean;
  /** Regions that get DTR caches; 0 means no caches. */
  cacheRegions: number;
  cachesPerRegion: number;
  cacheStorage: CacheStorage;
  /** Planned size of each DTR node, when the planner knows it. */
  memoryGb: number | null;
  vcpus: number | null;
  diskGb: number | null;
}

export const DEFAULT_SIZING_INPUT: SizingInput = {
  dtr: { by: 'failures', failures: 1 },
  ucp: { by: 'failures', failures: 1 },
  workers: 4,
  zones: 3,
  availability: 99.9,
  dtrOnManagers: false,
  cacheRegions: 0,
  cachesPerRegion: 2,
  cacheStorage: 'shared',
  memoryGb: null,
  vcpus: null,
  diskGb: null,
};

function wholeNumber(what: string, min: number, max: number) {
  const range = `${what} must be a whole number from ${min} to ${max}`;
  return z
    .string()
    .trim()
    .regex(/^\d+$/, `${range}.`)
    .transform(Number)
    .pipe(z.number().int().min(min, `${range}.`).max(max, `${range}.`));
}

/** Empty means "not given" (null). */
function optionalWholeNumber(what: string, min: number, max: number) {
  return z.union([
    z
      .string()
      .trim()
      .length(0)
      .transform(() => null),
    wholeNumber(what, min, max),
  ]);
}

const percent = z
  .string()
  .trim()
  .transform((raw) => raw.replace(/\s*%$/, ''))
  .pipe(
    z
      .string()
      .regex(
        /^\d{1,3}(\.\d{1,4})?$/,
        `Per-node availability must be a percentage such as 99 or 99.9 (at most 4 decimals).`,
      ),
  )
  .transform(Number)
  .pipe(
    z
      .number()
      .min(
        MIN_AVAILABILITY_PERCENT,
        `Per-node availability must be from ${MIN_AVAILABILITY_PERCENT}% to ${MAX_AVAILABILITY_PERCENT}%.`,
      )
      .max(
        MAX_AVAILABILITY_PERCENT,
        `Per-node availability must be below 100%: no node is never down (at most ${MAX_AVAILABILITY_PERCENT}%).`,
      ),
  );

const flag = (what: string) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .pipe(
      z.enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'], {
        message: `${what} must be 1 (yes) or 0 (no).`,
      }),
    )
    .transform((value) => ['1', 'true', 'yes', 'on'].includes(value));

/** Every input as a URL parameter (and form field), parsed from its text. */
export const SIZING_FIELDS = {
  dtrFailures: wholeNumber('DTR failures to tolerate', 0, MAX_FAILURES_TARGET),
  replicas: wholeNumber('DTR replicas', 1, MAX_MEMBERS_INPUT),
  ucpFailures: wholeNumber('UCP manager failures to tolerate', 0, MAX_FAILURES_TARGET),
  managers: wholeNumber('UCP managers', 1, MAX_MEMBERS_INPUT),
  workers: wholeNumber('Application workers', 0, MAX_WORKERS),
  zones: wholeNumber('Failure zones', 1, MAX_ZONES),
  availability: percent,
  dtrOnManagers: flag('DTR on manager nodes'),
  cacheRegions: wholeNumber('Cache regions', 0, MAX_CACHE_REGIONS),
  cachesPerRegion: wholeNumber('Cache nodes per region', 1, MAX_CACHES_PER_REGION),
  cacheStorage: z.enum(['shared', 'local'], { message: 'Cache storage must be shared or local.' }),
  memoryGb: optionalWholeNumber('Memory per DTR node (GB)', 1, 4096),
  vcpus: optionalWholeNumber('vCPUs per DTR node', 1, 512),
  diskGb: optionalWholeNumber('Disk per DTR node (GB)', 1, 100_000),
} as const;

export type SizingField = keyof typeof SIZING_FIELDS;
export const SIZING_FIELD_NAMES = Object.keys(SIZING_FIELDS) as SizingField[];
export type SizingFieldValue<F extends SizingField> = z.output<(typeof SIZING_FIELDS)[F]>;

export type FieldResult<T> = { ok: true; value: T } | { ok: false; message: string };

/** One field's text, parsed: the value, or the first problem in words. */
export function parseSizingField<F extends SizingField>(
  field: F,
  raw: string,
): FieldResult<SizingFieldValue<F>> {
  const schema: z.ZodType = SIZING_FIELDS[field];
  const result = schema.safeParse(raw);
  // Each schema's output is SizingFieldValue<F> by construction of SIZING_FIELDS.
  if (result.success) return { ok: true, value: result.data as SizingFieldValue<F> };
  const message = result.error.issues[0]?.message ?? 'is not a valid value.';
  return { ok: false, message };
}

export function isSizingField(name: string): name is SizingField {
  return Object.hasOwn(SIZING_FIELDS, name);
}
