// Majority-quorum arithmetic shared by DTR (RethinkDB) and UCP managers (Swarm Raft).
import type { Quorum, QuorumStatus } from './types';

function assertCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a whole number ≥ 0, got ${value}`);
  }
}

/**
 * The most members a quorum group should have: above it the console warns (DTR_TOO_MANY_REPLICAS
 * on the running cluster, DTR_/UCP_TOO_MANY_* in a sizing plan). Every write waits for a majority,
 * so each member past 7 slows writes while 7 already survive 3 failures, and the vendor's sizing
 * stops there:
 * - MSR 2.9 `join` reference, https://docs.mirantis.com/msr/2.9/cli-ref/join/ : "For setting MSR
 *   for high-availability, create 3, 5, or 7 replicas of MSR."
 * - DTR 2.7 "Set up high availability", https://docs.mirantis.com/containers/v2.1/dockeree-products/dtr/dtr-admin/configure/set-up-high-availability.html :
 *   the table of replicas and failures tolerated ends at "7 | 3".
 * - MSR 3.1 "Set up high availability", https://docs.mirantis.com/msr/3.1/ops/msr-configure/set-up-high-availability.html :
 *   "Adding too many replicas to the RethinkDB cluster can lead to performance degradation."
 */
export const MAX_RECOMMENDED_MEMBERS = 7;

/** Members needed for a strict majority of n: n div 2 + 1. */
export function majority(members: number): number {
  assertCount('members', members);
  return Math.floor(members / 2) + 1;
}

/** Failures n members survive by design: (n - 1) div 2. Zero for an empty group. */
export function failuresTolerated(members: number): number {
  assertCount('members', members);
  return members === 0 ? 0 : Math.floor((members - 1) / 2);
}

/**
 * Quorum state of n members with h counted up and u of unknown state (the rest are down).
 * - healthy: every member up (margin equals the designed tolerance)
 * - degraded: some down or unknown, still margin > 0 counting every unknown member as down
 * - at-risk: margin 0 that way, on a group designed to tolerate failures (one more loss is an outage)
 * - unknown: a majority works only if enough of the unknown members are up: the console cannot tell
 * - lost: fewer than a majority even if every unknown member is up
 * The margin is h - majority: the margin left if every unknown member is down.
 */
export function assessQuorum(members: number, healthy: number, unknown = 0): Quorum {
  assertCount('members', members);
  assertCount('healthy', healthy);
  assertCount('unknown', unknown);
  if (healthy + unknown > members) {
    throw new RangeError(
      `healthy (${healthy}) and unknown (${unknown}) cannot exceed members (${members})`,
    );
  }
  const need = majority(members);
  const tolerated = failuresTolerated(members);
  const margin = healthy - need;
  let status: QuorumStatus;
  if (members === 0 || healthy + unknown < need) status = 'lost';
  else if (margin < 0) status = 'unknown';
  else if (healthy === members) status = 'healthy';
  else if (margin > 0) status = 'degraded';
  else status = 'at-risk';
  return {
    members,
    healthy,
    majority: need,
    failuresTolerated: tolerated,
    margin,
    status,
    unknown,
  };
}

export interface ToleranceRow {
  members: number;
  majority: number;
  failuresTolerated: number;
}

/** The failure-tolerance table for 1..maxMembers (DESIGN.md §1). */
export function toleranceTable(maxMembers = 7): ToleranceRow[] {
  return Array.from({ length: maxMembers }, (_, i) => {
    const members = i + 1;
    return { members, majority: majority(members), failuresTolerated: failuresTolerated(members) };
  });
}
