// When a snapshot's figures count as out of date: the cluster banners (components/status/
// freshness.tsx) and the fleet overview's rows (fleet.ts) apply the same rule.

/** Below this many poll intervals the snapshot is just between two polls; above, the monitor is behind. */
export const STALL_FACTOR = 3;
/** …and never less than this, so a short poll interval does not cry wolf. */
export const MIN_STALL_MS = 10_000;

/** How old a snapshot may grow, polled every `pollIntervalMs`, before the monitor is behind. */
export function stallAfterMs(pollIntervalMs: number): number {
  return Math.max(STALL_FACTOR * pollIntervalMs, MIN_STALL_MS);
}

/** Whether a snapshot `ageMs` old means the monitor is behind; an unreadable age counts as behind. */
export function isStalled(ageMs: number, pollIntervalMs: number): boolean {
  return !(ageMs <= stallAfterMs(pollIntervalMs));
}
