// History — retention: the tiers that keep the history file bounded, and the roll-ups between them.
import { DAY, HOUR, MINUTE } from './time';

export interface RetentionTier {
  /** Bucket size of this tier. */
  resolutionMs: number;
  /** How long points of this tier are kept before they roll up into the next (or go). */
  keepMs: number;
}

export interface RetentionPolicy {
  /** Raw samples (resolution 0) are kept this long, then averaged into the first tier. */
  rawKeepMs: number;
  /** Coarser tiers, finest first; each resolution a multiple of the one before. */
  tiers: RetentionTier[];
  eventsKeepMs: number;
  /** Backstop against a flapping member: only this many newest events are kept. */
  maxEvents: number;
}

/**
 * Raw samples 6 h; 1-minute averages 7 days; 15-minute averages 90 days; events 90 days (at most
 * 100 000). At one sample every 10 s that is at most ~2 200 + ~10 100 + ~8 600 sample rows.
 */
export const DEFAULT_RETENTION: RetentionPolicy = {
  rawKeepMs: 6 * HOUR,
  tiers: [
    { resolutionMs: MINUTE, keepMs: 7 * DAY },
    { resolutionMs: 15 * MINUTE, keepMs: 90 * DAY },
  ],
  eventsKeepMs: 90 * DAY,
  maxEvents: 100_000,
};

export interface Rollup {
  /** Resolution of the points to roll up (0 = raw). */
  fromResolutionMs: number;
  toResolutionMs: number;
  /** Points older than this (a bucket boundary of the target tier) roll up. */
  before: number;
}

export interface DownsamplePlan {
  /** In order: finest first, so a point can move down several tiers in one pass. */
  rollups: Rollup[];
  /** Points of the coarsest tier older than this are deleted. */
  purge: { resolutionMs: number; before: number };
  purgeEventsBefore: number;
  maxEvents: number;
}

export function validateRetention(policy: RetentionPolicy): void {
  const problems: string[] = [];
  if (policy.tiers.length === 0) problems.push('at least one tier is needed');
  let resolution = 0;
  let keep = policy.rawKeepMs;
  for (const tier of policy.tiers) {
    if (!(tier.resolutionMs > resolution) || (resolution > 0 && tier.resolutionMs % resolution))
      problems.push(`tier ${tier.resolutionMs} ms must be a multiple of ${resolution || 1} ms`);
    if (!(tier.keepMs > keep))
      problems.push(`tier ${tier.resolutionMs} ms must keep longer than the tier before`);
    resolution = tier.resolutionMs;
    keep = tier.keepMs;
  }
  if (!(policy.rawKeepMs > 0)) problems.push('rawKeepMs must be positive');
  if (!(policy.eventsKeepMs > 0)) problems.push('eventsKeepMs must be positive');
  if (!(policy.maxEvents >= 1)) problems.push('maxEvents must be at least 1');
  if (problems.length) throw new RangeError(`invalid retention policy: ${problems.join('; ')}`);
}

const floorTo = (t: number, step: number) => Math.floor(t / step) * step;

/** What retention does at `now`: which points roll up into which tier, and what goes. */
export function downsamplePlan(
  now: number,
  policy: RetentionPolicy = DEFAULT_RETENTION,
): DownsamplePlan {
  validateRetention(policy);
  const rollups: Rollup[] = [];
  let fromResolutionMs = 0;
  let keepMs = policy.rawKeepMs;
  for (const tier of policy.tiers) {
    rollups.push({
      fromResolutionMs,
      toResolutionMs: tier.resolutionMs,
      before: floorTo(now - keepMs, tier.resolutionMs),
    });
    fromResolutionMs = tier.resolutionMs;
    keepMs = tier.keepMs;
  }
  return {
    rollups,
    purge: { resolutionMs: fromResolutionMs, before: now - keepMs },
    purgeEventsBefore: now - policy.eventsKeepMs,
    maxEvents: policy.maxEvents,
  };
}

/**
 * Most sample rows each tier can hold when samples come at most every `sampleEveryMs` and
 * retention runs at least every `retentionEveryMs`. Keyed by resolution (0 = raw).
 */
export function retentionBounds(
  policy: RetentionPolicy,
  sampleEveryMs: number,
  retentionEveryMs: number,
): Map<number, number> {
  const bounds = new Map<number, number>();
  let resolution = 0;
  let step = sampleEveryMs;
  let keep = policy.rawKeepMs;
  for (const tier of policy.tiers) {
    // Points wait up to one target bucket (alignment) plus one retention period.
    bounds.set(resolution, Math.ceil((keep + tier.resolutionMs + retentionEveryMs) / step) + 1);
    resolution = tier.resolutionMs;
    step = tier.resolutionMs;
    keep = tier.keepMs;
  }
  bounds.set(resolution, Math.ceil((keep + retentionEveryMs) / step) + 1);
  return bounds;
}
