// Memory carried from one poll to the next: confirmed member states and source health.
import type { ProbeResult, SourceHealth, TrackedProbe } from '@/lib/domain/types';

/**
 * Confirms a probe against the last confirmed state. A new status is re-probed once at once
 * and adopted only if the re-probe agrees; otherwise the old status (and its since) stays.
 */
export async function confirmProbe(
  previous: TrackedProbe | undefined,
  probe: () => Promise<ProbeResult>,
): Promise<TrackedProbe> {
  const first = await probe();
  if (!previous) return { ...first, since: first.checkedAt };
  if (first.status === previous.status) return { ...first, since: previous.since };
  const second = await probe();
  if (second.status === first.status) return { ...second, since: second.checkedAt };
  if (second.status === previous.status) return { ...second, since: previous.since };
  return { ...previous, checkedAt: second.checkedAt };
}

export const NEVER_CHECKED: SourceHealth = {
  state: 'error',
  lastSuccessAt: null,
  lastError: null,
  checkedAt: null,
  configured: true,
};

/** A source the operator did not configure (DTR in a Swarm-only console): nothing to poll. */
export const NOT_CONFIGURED: SourceHealth = {
  state: 'ok',
  lastSuccessAt: null,
  lastError: null,
  checkedAt: null,
  configured: false,
};

/** A source's health after one poll: ok, or stale (had data before) / error (never had any). */
export function nextSourceHealth(
  previous: SourceHealth,
  error: string | null,
  at: string,
): SourceHealth {
  if (error === null)
    return { state: 'ok', lastSuccessAt: at, lastError: null, checkedAt: at, configured: true };
  return {
    state: previous.lastSuccessAt ? 'stale' : 'error',
    lastSuccessAt: previous.lastSuccessAt,
    lastError: error,
    checkedAt: at,
    configured: true,
  };
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

// Fields that move on every poll without anything having happened.
// Replicas self-report every few seconds: the report times change on every poll without the
// cluster changing. Warnings that depend on them are re-assessed on every poll anyway.
const VOLATILE = new Set([
  'generatedAt',
  'checkedAt',
  'latencyMs',
  'lastSuccessAt',
  'lastReport',
  'replicaTimestamp',
]);

/** The snapshot's content without per-poll timestamps and latencies, for change detection. */
export function fingerprint(value: unknown): string {
  return JSON.stringify(value, (key, v: unknown) => (VOLATILE.has(key) ? undefined : v));
}
