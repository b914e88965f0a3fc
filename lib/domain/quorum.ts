// Majority-quorum arithmetic shared by DTR (RethinkDB) and UCP managers (Swarm Raft).
import type { Quorum, QuorumStatus } from './types';

function assertCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a whole number ≥ 0, got ${value}`);
  }
}

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
 * Quorum state of n members with h healthy.
 * - healthy: every member up (margin equals the designed tolerance)
 * - degraded: some down, still margin > 0
 * - at-risk: margin 0 on a group designed to tolerate failures (one more loss is an outage)
 * - lost: fewer healthy than the majority
 */
export function assessQuorum(members: number, healthy: number): Quorum {
  assertCount('members', members);
  assertCount('healthy', healthy);
  if (healthy > members) {
    throw new RangeError(`healthy (${healthy}) cannot exceed members (${members})`);
  }
  const need = majority(members);
  const tolerated = failuresTolerated(members);
  const margin = healthy - need;
  let status: QuorumStatus;
  if (members === 0 || margin < 0) status = 'lost';
  else if (healthy === members) status = 'healthy';
  else if (margin > 0) status = 'degraded';
  else status = 'at-risk';
  return { members, healthy, majority: need, failuresTolerated: tolerated, margin, status };
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
